"""The notifications about events: seats, reminders and changes."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind

EVENT = {"event": "ASCN Annual Meeting 2025", "when": "3 July 2025, 09:00-17:00 (UTC+07:00)",
         "place": "Bangkok, Thailand"}  # fmt: skip


def _registered() -> dict[str, dict]:
    # Registered by a colleague (a CSCO for a city team) or by oneself, confirmed or waitlisted.
    return {
        "city_officers": {**EVENT, "status": "confirmed", "by": "Busaba Officer", "self": False},
        "partner_contacts": {**EVENT, "status": "waitlisted", "by": "Kenji Contact", "self": True},
    }


def _promoted() -> dict[str, dict]:
    return {"partner_contacts": dict(EVENT)}


def _reminder() -> dict[str, dict]:
    return {"city_officers": {**EVENT, "venue": "Queen Sirikit Centre", "days": 7},
            "partner_contacts": {**EVENT, "venue": "", "days": 1}}  # fmt: skip


def _changed() -> dict[str, dict]:
    return {
        "city_officers": {**EVENT, "changed": ["time", "venue"], "was": "2 July 2025, 09:00-17:00 (UTC+07:00)",
                          "venue": "Queen Sirikit Centre", "was_place": "Phuket, Thailand"},
        "partner_contacts": {**EVENT, "changed": ["venue"], "was": EVENT["when"], "venue": "",
                             "was_place": "Phuket, Thailand"},
    }  # fmt: skip


register_kind(
    Kind("event.registered", _("Event registrations"), examples=_registered),
    Kind("event.promoted", _("A seat freed for you at an event"), examples=_promoted),
    Kind("event.reminder", _("Reminders before events"), examples=_reminder),
    Kind("event.changed", _("Changes of time or venue of events"), examples=_changed),
)
