from django.db import models
from django.utils.translation import gettext_lazy as _


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


class SupportType(models.TextChoices):
    FINANCING = "financing", _("Financing")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    FEASIBILITY_STUDY = "feasibility_study", _("Feasibility study")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    TECHNOLOGY = "technology", _("Technology")
