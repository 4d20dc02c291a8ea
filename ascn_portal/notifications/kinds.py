"""Every kind of notification the portal sends, declared in one place.

A kind's texts are templates under ``templates/notifications/kinds/<key>/``: ``subject.txt``,
``body.txt``, ``body.html`` for email and ``line.txt`` for the in-app inbox. They see the message's
context, ``recipient``, ``link`` (absolute) and what the kind's ``extra_context`` adds at send time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import Frequency


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # An optional kind obeys the person's preferences; a required one (an invitation) is always
    # emailed at once.
    optional: bool = True
    default_email: bool = True
    default_frequency: str = Frequency.IMMEDIATE
    # Adds context when the email is rendered, for what must not be stored (a one-time link).
    extra_context: Callable | None = None

    def template(self, part: str) -> str:
        return f"notifications/kinds/{self.key}/{part}"


def _invitation_context(notification) -> dict:
    from ascn_portal.accounts.services import invitation_link

    return {"invitation_link": invitation_link(notification.recipient)}


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind("account.invitation", _("Invitation to the portal"), optional=False, extra_context=_invitation_context),
        Kind("account.appointed", _("A new office for you")),
        Kind("network.announcement", _("Announcements from the secretariat")),
        Kind("action_plan.submitted", _("Action plans submitted for review")),
        Kind("action_plan.endorsed", _("Action plans endorsed")),
        Kind("action_plan.approved", _("Action plans approved")),
        Kind("action_plan.returned", _("Action plans returned to draft")),
        Kind("progress_report.due", _("Progress reports due")),
        Kind("event.registered", _("Event registrations")),
        Kind("event.promoted", _("A seat freed for you at an event")),
        Kind("event.reminder", _("Reminders before events")),
        Kind("event.changed", _("Changes of time or venue of events")),
        Kind("partnership.interest", _("Partners interested in a project")),
        Kind("partnership.moved", _("Partnerships moving on")),
        Kind("project.recommended", _("New projects that fit your interests"), default_frequency=Frequency.WEEKLY),
    ]
}


def get_kind(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}; declare it in notifications/kinds.py.") from None


def optional_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.optional]
