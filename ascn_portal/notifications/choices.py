from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DIGEST = "digest", _("Waiting for digest")
    SKIPPED = "skipped", _("Not emailed (preference)")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class Audience(models.TextChoices):
    NETWORK = "network", _("Everyone in the network")
    NATIONAL_REPRESENTATIVES = "nr", _("National Representatives")
    CITY_OFFICERS = "city_officers", _("City officers (CSCOs and city teams)")
    PARTNER_CONTACTS = "partner_contacts", _("Partner contacts")
