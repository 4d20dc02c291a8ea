"""The notifications about a person's own account."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind
from ascn_portal.notifications.services import register_audience

from .offices import secretariat_members


def _invitation_context(notification) -> dict:
    from .services import invitation_link

    return {"invitation_link": invitation_link(notification.recipient)}


def _invitation_examples() -> dict[str, dict]:
    context = {"days": 7, "offices": ["CSCO of Bangkok (Thailand)"]}
    return dict.fromkeys(("city_officers", "nr", "partner_contacts"), context) | {
        "secretariat": {"days": 7, "offices": []}
    }


def _appointed_examples() -> dict[str, dict]:
    # The date is stored as JSON, as an ISO string.
    context = {
        "office": "CSCO of Bangkok (Thailand)",
        "title": "Director, Smart City Office",
        "starts_on": "2025-01-01",
    }
    return {"city_officers": context, "nr": {**context, "office": "National Representative of Thailand"}}


register_kind(
    Kind("account.invitation", _("Invitation to the portal"), optional=False, extra_context=_invitation_context,
         examples=_invitation_examples),
    Kind("account.appointed", _("A new office for you"), examples=_appointed_examples),
)  # fmt: skip
# The secretariat hears announcements to the whole network (an audience of its own only there).
register_audience("secretariat", secretariat_members)
