from django.db import models
from django.utils.translation import gettext_lazy as _


class CityKind(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial")
    ADMINISTRATIVE = "administrative", _("Administrative")
    TOURISM = "tourism", _("Tourism")


class CityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class AppointmentRole(models.TextChoices):
    NATIONAL_REPRESENTATIVE = "nr", _("National Representative")
    CSCO = "csco", _("Chief Smart City Officer")
    CITY_TEAM = "city_team", _("City team member")
