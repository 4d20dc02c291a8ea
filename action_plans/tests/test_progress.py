import datetime

import pytest

from action_plans.choices import PlanState
from action_plans.models import ProgressReport
from action_plans.reminders import remind_progress_reports_due
from action_plans.tests.factories import draft_plan, project
from ascn_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_csco_files_a_progress_report_with_kpi_values(client, csco_bangkok):
    item = project(draft_plan(state=PlanState.APPROVED))
    kpi = item.kpis.create(name="Warning lead time", unit="minutes", baseline=60, target=15)
    client.force_login(csco_bangkok)
    page = client.get(f"/projects/{item.pk}/progress/").content.decode()
    assert "Warning lead time (minutes)" in page and "Baseline 60" in page
    response = client.post(
        f"/projects/{item.pk}/progress/",
        {
            "year": 2026,
            "percent_complete": 140,
            "status": "on_track",
            f"kpi_{kpi.pk}": "30",
        },
    )
    assert response.status_code == 400 and "less than or equal to 100" in response.content.decode()
    response = client.post(
        f"/projects/{item.pk}/progress/",
        {
            "year": 2026,
            "percent_complete": 40,
            "status": "on_track",
            f"kpi_{kpi.pk}": "30",
        },
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().kpi_values == {str(kpi.pk): "30"}
    page = client.get(f"/projects/{item.pk}/").content.decode()
    assert "40%" in page
    assert "<title>Flood early warning · ASCN Portal</title>" in page


def test_others_may_not_file_progress(client, team_bangkok, nr_thailand):
    item = project(draft_plan(state=PlanState.APPROVED))
    for user in (team_bangkok, nr_thailand):
        client.force_login(user)
        assert (
            client.post(
                f"/projects/{item.pk}/progress/", {"year": 2026, "percent_complete": 10, "status": "on_track"}
            ).status_code
            == 403
        )
    assert not ProgressReport.objects.exists()


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
