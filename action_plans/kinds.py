"""The notifications of the action plan workflow and of yearly progress."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind

register_kind(
    Kind("action_plan.submitted", _("Action plans submitted for review")),
    Kind("action_plan.endorsed", _("Action plans endorsed")),
    Kind("action_plan.approved", _("Action plans approved")),
    Kind("action_plan.returned", _("Action plans returned to draft")),
    Kind("progress_report.due", _("Progress reports due")),
)
