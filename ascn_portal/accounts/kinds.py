"""The notifications about a person's own account."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind
from ascn_portal.notifications.services import register_audience

from .offices import secretariat_members


def _invitation_context(notification) -> dict:
    from .services import invitation_link

    return {"invitation_link": invitation_link(notification.recipient)}


register_kind(
    Kind("account.invitation", _("Invitation to the portal"), optional=False, extra_context=_invitation_context),
    Kind("account.appointed", _("A new office for you")),
)
# The secretariat hears announcements to the whole network (an audience of its own only there).
register_audience("secretariat", secretariat_members)
