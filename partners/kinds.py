"""The notifications about partnerships on projects."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind

register_kind(
    Kind("partnership.interest", _("Partners interested in a project")),
    Kind("partnership.moved", _("Partnerships moving on")),
    Kind("twinning.started", _("Twinnings started")),
    Kind("twinning.ended", _("Twinnings ended")),
)
