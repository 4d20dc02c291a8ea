from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    ANNUAL_MEETING = "annual_meeting", _("Annual meeting")
    SUMMIT = "summit", _("Summit")
    PARTNERSHIP_MEETING = "partnership_meeting", _("Partnership meeting")
    TRADE_MISSION = "trade_mission", _("Trade mission")
    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public: anyone signed in may register")
    NETWORK = "network", _("Network members")
    DELEGATIONS = "delegations", _("Invited delegations: their leads register them")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")


class OutcomeKind(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    ENDORSED = "endorsed", _("Endorsed")
    NOTED = "noted", _("Noted")
    SIGNED = "signed", _("Signed")
    LAUNCHED = "launched", _("Launched")
    AGREED = "agreed", _("Agreed")


# Time zones of the network's venues, offered when an event is scheduled (any IANA name is accepted).
VENUE_TIME_ZONES = [
    "Asia/Singapore", "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura",
    "Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Brunei", "Asia/Phnom_Penh", "Asia/Vientiane", "Asia/Yangon",
    "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Kolkata", "Australia/Sydney", "Europe/Brussels",
    "America/New_York", "UTC",
]  # fmt: skip
