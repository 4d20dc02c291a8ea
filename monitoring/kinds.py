"""The monitoring round's notifications."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind

register_kind(
    Kind("monitoring.opened", _("Monitoring rounds opened")),
    Kind("monitoring.submitted", _("Cities' monitoring reports submitted")),
    Kind("monitoring.returned", _("Monitoring reports returned for changes")),
    Kind("monitoring.accepted", _("Monitoring reports accepted")),
)
