"""Writes that mean something for partners: twinnings kept, partnerships proposed and moved."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from action_plans.models import PriorityProject
from ascn_portal.accounts.models import User
from ascn_portal.accounts.offices import secretariat_members as secretariat
from ascn_portal.errors import Conflict
from ascn_portal.notifications.services import notify
from cities.selectors import officers_of_city as city_officers

from .choices import LIVE_STAGES, PARTNERSHIP_MOVES, PartnershipStage, TwinningStatus
from .models import ConsortiumMember, Partner, PartnerContact, PartnershipTransition, ProjectPartnership, Twinning
from .offices import partner_ids_of

MAX_CONSORTIUM = 20


def _require(user: User, rule: str, obj=None) -> None:
    if not user.has_perm(rule, obj):
        raise PermissionDenied


def partner_contacts(partner: Partner):
    return User.objects.filter(pk__in=PartnerContact.objects.active().filter(partner=partner).values("user_id"))


def partners_of(user: User):
    """The partners a person speaks for today."""
    return Partner.objects.filter(pk__in=partner_ids_of(user), is_active=True).order_by("name")


def twinning_save(*, twinning: Twinning, by: User, focus_areas=None) -> Twinning:
    """Record or change a twinning; the database keeps one active twinning per city.

    Becoming active (with its start date, today unless given) or ended (with its end date) tells the
    city's officers and the partner's contacts. A second active twinning of a city is refused with a
    message, also when two are started at the same moment.
    """
    _require(by, "partners.change_twinning" if twinning.pk else "partners.add_twinning")
    with transaction.atomic():
        before = Twinning.objects.select_for_update().filter(pk=twinning.pk).values_list("status", flat=True).first()
        today = timezone.localdate()
        if twinning.status == TwinningStatus.ACTIVE and before != TwinningStatus.ACTIVE:
            twinning.starts_on = twinning.starts_on or today
        if twinning.status == TwinningStatus.ENDED and before != TwinningStatus.ENDED:
            twinning.ends_on = twinning.ends_on or today
        twinning.full_clean()
        try:
            with transaction.atomic():
                twinning.save()
        except IntegrityError as error:
            raise Conflict(f"{twinning.city} already has an active twinning; end it first.") from error
        if focus_areas is not None:
            twinning.focus_areas.set(focus_areas)
        if twinning.status != before and twinning.status in (TwinningStatus.ACTIVE, TwinningStatus.ENDED):
            started = twinning.status == TwinningStatus.ACTIVE
            notify(
                recipients=city_officers(twinning.city) | partner_contacts(twinning.partner),
                kind="twinning.started" if started else "twinning.ended",
                context={"city": twinning.city.name, "partner": twinning.partner.name,
                         "on": twinning.starts_on if started else twinning.ends_on},
                link="/twinnings/",
            )  # fmt: skip
    return twinning


def partner_profile_update(*, partner: Partner, by: User, focus_areas=None, member_states=None, **fields) -> Partner:
    """A partner's contact (or the secretariat) keeps the partner's description and interests; the
    change is recorded in its history, and the next recommendations read it."""
    _require(by, "partners.act_for_partner", partner)
    allowed = {"description", "website", "stages", "support_types", "ticket_min_usd", "ticket_max_usd"}
    if set(fields) - allowed:
        raise ValidationError(dict.fromkeys(set(fields) - allowed, "This field is kept by the secretariat."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        for name, value in fields.items():
            setattr(partner, name, value)
        partner._history_user = by
        partner.full_clean()
        partner.save()
        if focus_areas is not None:
            partner.focus_areas.set(focus_areas)
        if member_states is not None:
            partner.member_states.set(member_states)
    return partner


def twinning_start(*, twinning: Twinning, by: User, on=None) -> Twinning:
    twinning.status, twinning.starts_on = TwinningStatus.ACTIVE, on or twinning.starts_on
    return twinning_save(twinning=twinning, by=by)


def twinning_end(*, twinning: Twinning, by: User, on=None) -> Twinning:
    twinning.status, twinning.ends_on = TwinningStatus.ENDED, on or timezone.localdate()
    return twinning_save(twinning=twinning, by=by)


# Who a partnership's move tells (`PartnershipMove.tells` names them): each a function of the partnership.
RECIPIENTS = {
    "partner_contacts": lambda partnership: partner_contacts(partnership.partner),
    "city_officers": lambda partnership: city_officers(partnership.project.plan.city),
    "secretariat": lambda partnership: secretariat(),
}


def consortium_check(members: list[dict]) -> None:
    if not members:
        return
    if len(members) > MAX_CONSORTIUM:
        raise ValidationError({"consortium": f"A consortium has at most {MAX_CONSORTIUM} members."})
    if sum(1 for m in members if m.get("is_lead")) != 1:
        raise ValidationError({"consortium": "Name exactly one lead company of the consortium."})
    names = [m["company"].strip(" \t\n\r\f\v").lower() for m in members]
    if len(set(names)) != len(names):
        raise ValidationError({"consortium": "A company is listed twice in the consortium."})


def _context(partnership: ProjectPartnership) -> dict:
    project = partnership.project
    return {"partner": partnership.partner.name, "project": project.title, "city": project.plan.city.name,
            "stage": partnership.get_stage_display(), "support": partnership.get_support_type_display()}  # fmt: skip


def _already_live(partner: Partner) -> str:
    return gettext("%(partner)s already has a live partnership on this project.") % {"partner": partner}


def partnership_express_interest(
    *, project: PriorityProject, partner: Partner, by: User, support_type: str,
    amount_usd: Decimal | None = None, message: str = "", consortium: list[dict] | None = None,
) -> ProjectPartnership:  # fmt: skip
    """A partner's contact proposes a partnership on a published project; the city and secretariat hear of it."""
    _require(by, "partners.express_interest", project)
    if partner.pk not in partner_ids_of(by):
        raise PermissionDenied("You do not speak for this partner.")
    consortium = consortium or []
    consortium_check(consortium)
    with transaction.atomic():
        partnership = ProjectPartnership(
            project=project, partner=partner, support_type=support_type, amount_usd=amount_usd, message=message,
            created_by=by,
        )  # fmt: skip
        live = ProjectPartnership.objects.filter(project=project, partner=partner, stage__in=LIVE_STAGES)
        # A second expression while one is live is a conflict with what exists (409), not bad input.
        try:
            partnership.full_clean()
        except ValidationError as error:
            if live.exists():
                raise Conflict(_already_live(partner)) from error
            raise
        try:
            with transaction.atomic():  # two expressions at once: the database keeps one live partnership
                partnership.save()
        except IntegrityError as error:
            raise Conflict(_already_live(partner)) from error
        _consortium_add(partnership, consortium)
        PartnershipTransition.objects.create(
            partnership=partnership, action="express_interest", from_stage=PartnershipStage.INTEREST,
            to_stage=PartnershipStage.INTEREST, by=by, comment=message,
        )  # fmt: skip
        city = project.plan.city
        notify(
            recipients=city_officers(city) | secretariat(), kind="partnership.interest",
            context={**_context(partnership), "by": by.full_name, "message": message},
            link=f"/projects/{project.pk}/",
        )  # fmt: skip
    return partnership


def partnership_move(
    *, partnership: ProjectPartnership, action: str, by: User, comment: str = ""
) -> ProjectPartnership:
    """Move a partnership one step; only the side the rule names may, and the other side is told."""
    move = PARTNERSHIP_MOVES.get(action)
    if move is None:
        raise ValidationError({"action": f"Choose one of: {', '.join(PARTNERSHIP_MOVES)}."})
    with transaction.atomic():
        partnership = (
            ProjectPartnership.objects.select_for_update(of=("self",))
            .select_related("project__plan__city", "partner")
            .get(pk=partnership.pk)
        )
        _require(by, move.rule, partnership)
        if partnership.stage not in move.sources:
            raise Conflict(
                f"A partnership that is “{partnership.get_stage_display()}” cannot be moved to "
                f"“{PartnershipStage(move.target).label}”."
            )
        before = partnership.stage
        partnership.stage = move.target
        if move.target == PartnershipStage.FINALISED:
            partnership.finalised_on = timezone.localdate()
        partnership.save(update_fields=["stage", "finalised_on", "updated_at"])
        PartnershipTransition.objects.create(partnership=partnership, action=action, from_stage=before,
                                             to_stage=move.target, by=by, comment=comment)  # fmt: skip
        recipients = User.objects.none()
        for name in move.tells:
            recipients = recipients | RECIPIENTS[name](partnership)
        notify(
            recipients=recipients.exclude(pk=by.pk), kind="partnership.moved",
            context={**_context(partnership), "by": by.full_name, "did": str(move.past), "comment": comment},
            link=f"/projects/{partnership.project_id}/",
        )  # fmt: skip
    return partnership


CORRECTABLE = ("support_type", "amount_usd", "message")


def partnership_correct(*, partnership: ProjectPartnership, by: User, consortium=None, **fields) -> ProjectPartnership:
    """The secretariat corrects a partnership's terms (support, amount, message) and its consortium;
    recorded with who. The stage is not among them: it moves only through `partnership_move`."""
    _require(by, "partners.change_projectpartnership", partnership)
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"Only {', '.join(CORRECTABLE)} may be corrected; the stage moves through its steps.")
    with transaction.atomic():
        locked = ProjectPartnership.objects.select_for_update().get(pk=partnership.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked._history_user = by
        locked.save(update_fields=[*fields, "updated_at"])
        if consortium is not None:
            consortium_check(consortium)
            _consortium_replace(locked, consortium)
    return locked


def _consortium_replace(partnership: ProjectPartnership, members: list[dict]) -> None:
    """The consortium becomes exactly `members` (the lead changes without meeting the one-lead rule halfway)."""
    partnership.consortium.all().delete()
    _consortium_add(partnership, members)


def _consortium_add(partnership: ProjectPartnership, members: list[dict]) -> None:
    """Members already checked as a whole (`consortium_check`: one lead, each company once)."""
    for member in members:
        item = ConsortiumMember(partnership=partnership, company=member["company"].strip(" \t\n\r\f\v"),
                                country=member["country"], is_lead=bool(member.get("is_lead")))  # fmt: skip
        item.full_clean(exclude=["partnership"], validate_constraints=False)
        item.save()
