import datetime

import pytest

from action_plans.choices import PlanState
from action_plans.models import ProgressReport
from action_plans.reminders import remind_progress_reports_due
from action_plans.tests.factories import draft_plan, project
from ascn_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_officers_are_reminded_once_a_month_from_october(csco_bangkok, team_bangkok):
    item = project(draft_plan(state=PlanState.APPROVED), title="Smart lighting")
    assert remind_progress_reports_due(datetime.date(2026, 9, 1)) == 0
    assert remind_progress_reports_due(datetime.date(2026, 10, 1)) == 1
    assert remind_progress_reports_due(datetime.date(2026, 10, 2)) == 0  # once this month
    message = Notification.objects.filter(message__kind="progress_report.due").first().message
    assert message.context["projects"] == ["Smart lighting"]
    assert {n.recipient for n in message.notifications.all()} == {csco_bangkok, team_bangkok}
    ProgressReport.objects.create(
        project=item, year=2026, percent_complete=50, status="on_track", filed_by=csco_bangkok
    )
    assert remind_progress_reports_due(datetime.date(2026, 11, 1)) == 0  # filed: nothing due
