"""The notification of new published projects that fit a partner."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.choices import Frequency
from ascn_portal.notifications.kinds import Kind, register_kind

register_kind(
    Kind("project.recommended", _("New projects that fit your interests"), default_frequency=Frequency.WEEKLY),
)
