"""The kinds of notification the portal sends: each app registers its own (`register_kind`).

A kind's texts are templates under ``templates/notifications/kinds/<key>/`` (`Kind.PARTS`):
``subject.txt``, ``body.txt``, ``body.html`` for email and ``line.txt`` for the in-app inbox and
the digests. They see the message's context, ``recipient``, ``link`` (absolute) and what the kind's
``extra_context`` adds at send time. A registered kind without one of them stops start-up (the
system check in `checks.py`), never a person's inbox.

Each kind also gives ``examples``: for each audience it tells (`Audience` values, or
``"secretariat"``), a context as its sender stores it. A test renders every part of every kind for
each of them, so a kind without examples, or with a template that needs what its sender does not
give, fails the suite.
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
    # Audience -> a context as the sender stores it, for the test that renders every kind.
    examples: Callable[[], dict[str, dict]] | None = None

    PARTS = ("subject.txt", "line.txt", "body.txt", "body.html")

    def template(self, part: str) -> str:
        return f"notifications/kinds/{self.key}/{part}"


# Every kind known, by key: each app registers the kinds it sends (`register_kind`, from its
# `ready()`), so this module knows none of them but its own.
KINDS: dict[str, Kind] = {}


def register_kind(*kinds: Kind) -> None:
    for kind in kinds:
        if KINDS.get(kind.key, kind) != kind:
            raise ValueError(f"Notification kind {kind.key!r} is registered twice, differently.")
        KINDS[kind.key] = kind


def _announcement_examples() -> dict[str, dict]:
    context = {
        "title": "Call for the 2026 ASCN Annual Meeting",
        "body": "Cities are invited to propose a session by 30 April.\nThe venue follows.",
        "sender": "Siti Secretariat",
    }
    return dict.fromkeys(("city_officers", "nr", "partner_contacts", "secretariat"), context)


register_kind(Kind("network.announcement", _("Announcements from the secretariat"), examples=_announcement_examples))


def get_kind(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}; register it in the app that sends it.") from None


def optional_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.optional]
