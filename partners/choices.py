from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from action_plans.choices import SupportType  # noqa: F401  what projects seek is what partners offer


class PartnerKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue partner")
    SECTORAL_DIALOGUE = "sectoral_dialogue", _("Sectoral dialogue partner")
    DEVELOPMENT = "development", _("Development partner")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    MULTILATERAL_BANK = "multilateral_bank", _("Multilateral bank")
    FOREIGN_CITY = "foreign_city", _("Foreign city")
    ACADEMIC_NGO = "academic_ngo", _("Academic or NGO")


class OrganisationType(models.TextChoices):
    """IATI OrganisationType codelist, so partners can be exchanged with aid systems."""

    GOVERNMENT = "10", _("Government")
    LOCAL_GOVERNMENT = "11", _("Local Government")
    OTHER_PUBLIC_SECTOR = "15", _("Other Public Sector")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    REGIONAL_NGO = "23", _("Regional NGO")
    PUBLIC_PRIVATE_PARTNERSHIP = "30", _("Public Private Partnership")
    MULTILATERAL = "40", _("Multilateral")
    FOUNDATION = "60", _("Foundation")
    PRIVATE_SECTOR = "70", _("Private Sector")
    ACADEMIC = "80", _("Academic, Training and Research")
    OTHER = "90", _("Other")


DEFAULT_ORGANISATION_TYPE = {
    PartnerKind.DIALOGUE: OrganisationType.GOVERNMENT,
    PartnerKind.SECTORAL_DIALOGUE: OrganisationType.GOVERNMENT,
    PartnerKind.DEVELOPMENT: OrganisationType.GOVERNMENT,
    PartnerKind.PRIVATE_SECTOR: OrganisationType.PRIVATE_SECTOR,
    PartnerKind.MULTILATERAL_BANK: OrganisationType.MULTILATERAL,
    PartnerKind.FOREIGN_CITY: OrganisationType.LOCAL_GOVERNMENT,
    PartnerKind.ACADEMIC_NGO: OrganisationType.ACADEMIC,
}


class TwinningStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class PartnershipStage(models.TextChoices):
    INTEREST = "interest", _("Interest expressed")
    DISCUSSION = "discussion", _("In discussion")
    MOU_SIGNED = "mou_signed", _("MOU signed")
    FINALISED = "finalised", _("Finalised")
    IMPLEMENTING = "implementing", _("Implementing")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STAGES = (PartnershipStage.INTEREST, PartnershipStage.DISCUSSION, PartnershipStage.MOU_SIGNED)
LIVE_STAGES = (*OPEN_STAGES, PartnershipStage.FINALISED, PartnershipStage.IMPLEMENTING)


@dataclass(frozen=True)
class PartnershipMove:
    """A move of a partnership: from which stages, to which, made by which side (the rule names it)."""

    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    rule: str
    past: str  # how the timeline and the notification tell it
    tells: tuple[str, ...]  # who hears of it (besides the mover): names of `services.RECIPIENTS`
    done: str  # said to the mover afterwards


# A move by the city side (or the secretariat for it) tells the partner and the city's officers.
CITY_MOVE_TELLS = ("partner_contacts", "city_officers")

# The workflow is data: only services.partnership_move changes a stage, after asking the rule.
# The city side (its officers) and the secretariat move a partnership forward or decline it; the
# partner may withdraw while nothing is finalised.
PARTNERSHIP_MOVES: dict[str, PartnershipMove] = {
    move.action: move
    for move in [
        PartnershipMove("discuss", _("Start discussion"), (PartnershipStage.INTEREST,), PartnershipStage.DISCUSSION,
                        "partners.advance_partnership", "started discussing", CITY_MOVE_TELLS,
                        _("The partnership is in discussion; the partner is told.")),
        PartnershipMove("sign_mou", _("MOU signed"), (PartnershipStage.DISCUSSION,), PartnershipStage.MOU_SIGNED,
                        "partners.advance_partnership", "recorded the MOU", CITY_MOVE_TELLS,
                        _("The MOU is recorded; the partner is told.")),
        PartnershipMove("finalise", _("Finalise"), (PartnershipStage.MOU_SIGNED,), PartnershipStage.FINALISED,
                        "partners.advance_partnership", "finalised the partnership", CITY_MOVE_TELLS,
                        _("The partnership is finalised and joins this year's finalised list.")),
        PartnershipMove("implement", _("Implementation started"), (PartnershipStage.FINALISED,),
                        PartnershipStage.IMPLEMENTING, "partners.advance_partnership", "started implementing",
                        CITY_MOVE_TELLS, _("Implementation is recorded as started.")),
        PartnershipMove("complete", _("Completed"), (PartnershipStage.IMPLEMENTING,), PartnershipStage.COMPLETED,
                        "partners.advance_partnership", "completed the partnership", CITY_MOVE_TELLS,
                        _("The partnership is recorded as completed.")),
        PartnershipMove("decline", _("Decline"), OPEN_STAGES, PartnershipStage.DECLINED,
                        "partners.advance_partnership", "declined the partnership", CITY_MOVE_TELLS,
                        _("The partnership is declined; the partner is told.")),
        PartnershipMove("withdraw", _("Withdraw"), OPEN_STAGES, PartnershipStage.WITHDRAWN,
                        "partners.withdraw_partnership", "withdrew", ("city_officers", "secretariat"),
                        _("Your interest is withdrawn; the city and the secretariat are told.")),
    ]
}  # fmt: skip
