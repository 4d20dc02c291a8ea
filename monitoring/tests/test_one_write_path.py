"""One write path for a progress report, tried the way the defects were found: the older progress
address posted by the CSCO while the city's report is with the secretariat or accepted, the API asked
for a year outside the plan's period, and the history asked who wrote each page, API and file save."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from action_plans import services as plans
from action_plans.models import ProgressReport
from action_plans.tests.factories import draft_plan, project
from monitoring.models import CityReport, MonitoringRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2025(network, secretariat):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    return MonitoringRound.objects.create(year=2025, deadline=deadline, opened_by=secretariat)


def _snapshot():
    return sorted(ProgressReport.objects.values_list("project_id", "year", "percent_complete", "version")), sorted(
        ProgressReport.history.values_list("id", "history_id")
    )


@pytest.mark.parametrize("state", ["submitted", "accepted"])
def test_the_older_progress_address_refuses_a_report_while_the_citys_report_is_reviewed(
    client, network, round_2025, csco_bangkok, state
):
    CityReport.objects.create(round=round_2025, city=network["bangkok"].city, state=state)
    client.force_login(csco_bangkok)
    before = _snapshot()
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    older_form = {"year": 2025, "percent_complete": 90, "status": "on_track", f"kpi_{network['k1'].pk}": "90"}
    refused = client.post(f"/projects/{network['p1'].pk}/progress/", {**older_form, "version": p1.version})
    assert refused.status_code == 409
    reason = "is accepted" if state == "accepted" else "is with the secretariat"
    assert reason in refused.content.decode()
    # The older page's own body (no version), and a first report of another project: refused too.
    assert client.post(f"/projects/{network['p1'].pk}/progress/", older_form).status_code in (400, 409)
    assert client.post(f"/projects/{network['p2'].pk}/progress/", {**older_form, "version": 0}).status_code == 409
    assert _snapshot() == before


def test_the_older_progress_address_leads_to_the_rounds_form_and_saves_through_it(
    client, network, round_2025, csco_bangkok
):
    client.force_login(csco_bangkok)
    url = f"/projects/{network['p2'].pk}/progress/"
    form_url = f"/monitoring/2025/cities/bangkok/projects/{network['p2'].pk}/"
    assert client.get(url)["Location"] == form_url
    assert client.get(form_url).status_code == 200
    # A post to the older address is the form's post: the same checks, the same service.
    above_cost = client.post(url, {"status": "delayed", "percent_complete": 25, "version": 0,
                                   "funding_secured_usd": "3000000.01"})  # fmt: skip
    assert above_cost.status_code == 400 and "above the project" in above_cost.content.decode()
    assert not ProgressReport.objects.filter(project=network["p2"], year=2025).exists()
    saved = client.post(url, {"status": "delayed", "percent_complete": 25, "version": 0, "narrative": "Tender."})
    assert saved.status_code == 302
    report = ProgressReport.objects.get(project=network["p2"], year=2025)
    assert (report.percent_complete, report.filed_by) == (25, csco_bangkok)
    assert report.history.latest().history_user == csco_bangkok


def test_the_older_progress_address_without_a_round_writes_nothing(client, network, csco_bangkok, team_bangkok):
    client.force_login(csco_bangkok)
    url = f"/projects/{network['p2'].pk}/progress/"
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{network['p2'].pk}/"
    assert "No monitoring round is open" in response.content.decode()
    before = _snapshot()
    posted = client.post(url, {"status": "delayed", "percent_complete": 25, "version": 0})
    assert posted.status_code == 302 and _snapshot() == before
    client.force_login(team_bangkok)  # the city team reads; only the CSCO files
    assert client.post(url, {"status": "delayed", "percent_complete": 25, "version": 0}).status_code == 403
    assert _snapshot() == before


@pytest.fixture
def later_plan(secretariat):
    plan = draft_plan(title="Bangkok 2041-2045", period_start=2041, period_end=2045, state="approved")
    return project(plan, title="Sea wall")


def test_the_api_refuses_a_year_outside_the_plans_period_naming_it(later_plan, csco_bangkok):
    api = APIClient()
    api.force_authenticate(csco_bangkok)
    before = _snapshot()
    body = {"project": later_plan.pk, "year": 2040, "status": "on_track", "percent_complete": 10}
    response = api.post("/api/v1/progress-reports/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"year": ["2040 is outside the plan's period (2041-2045)."]}
    assert _snapshot() == before


def test_the_api_refuses_a_year_after_the_current_rounds(network, round_2025, csco_bangkok):
    api = APIClient()
    api.force_authenticate(csco_bangkok)
    before = _snapshot()
    body = {"project": network["p2"].pk, "year": 2026, "status": "on_track", "percent_complete": 10}
    response = api.post("/api/v1/progress-reports/", body, format="json")
    assert response.status_code == 400 and "2026" in response.json()["year"][0]
    assert _snapshot() == before


def test_without_a_round_no_report_is_filed_for_a_year_to_come(network, csco_bangkok):
    next_year = timezone.localdate().year + 1
    plan = draft_plan(title="Bangkok later", period_start=next_year, period_end=next_year + 4, state="approved")
    with pytest.raises(ValidationError) as refused:
        plans.progress_report_save(project=project(plan), by=csco_bangkok, year=next_year, percent_complete=0,
                                   status="on_track", version=0)  # fmt: skip
    assert "year" in refused.value.message_dict
    assert not ProgressReport.objects.filter(year=next_year).exists()


def test_the_one_service_asks_for_the_version_and_the_filer(network, csco_bangkok, team_bangkok):
    with pytest.raises(ValidationError) as no_version:
        plans.progress_report_save(project=network["p2"], by=csco_bangkok, year=2025, percent_complete=10,
                                   status="on_track", version=None)  # fmt: skip
    assert "version" in no_version.value.message_dict
    with pytest.raises(PermissionDenied):
        plans.progress_report_save(project=network["p2"], by=team_bangkok, year=2025, percent_complete=10,
                                   status="on_track", version=0)  # fmt: skip
    with pytest.raises(ValidationError) as bad_amount:
        plans.progress_report_save(project=network["p2"], by=csco_bangkok, year=2025, percent_complete=10,
                                   status="on_track", version=0, funding_secured_usd=float("inf"))  # fmt: skip
    assert "funding_secured_usd" in bad_amount.value.message_dict
    assert not ProgressReport.objects.filter(project=network["p2"], year=2025).exists()


def test_the_author_is_recorded_for_page_api_and_offline_template_writes(client, network, round_2025, csco_bangkok):
    def author(name):
        return ProgressReport.objects.get(project=network[name], year=2025).history.latest().history_user

    ProgressReport.history.update(history_user=None)  # the fixture's rows: written with no author
    client.force_login(csco_bangkok)
    # The page
    p2_url = f"/monitoring/2025/cities/bangkok/projects/{network['p2'].pk}/"
    assert client.post(p2_url, {"status": "delayed", "percent_complete": 25, "version": 0}).status_code == 302
    assert author("p2") == csco_bangkok
    # The API
    api = APIClient()
    api.force_authenticate(csco_bangkok)
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    patched = api.patch(f"/api/v1/progress-reports/{p1.pk}/", {"percent_complete": 55, "version": p1.version},
                        format="json")  # fmt: skip
    assert patched.status_code == 200 and author("p1") == csco_bangkok
    ProgressReport.history.update(history_user=None)
    # The offline template
    book = openpyxl.load_workbook(io.BytesIO(client.get("/monitoring/2025/cities/bangkok/template.xlsx").content))
    sheet = book["Projects"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == network["p1"].pk)
    sheet.cell(row, 4).value = 60
    out = io.BytesIO()
    book.save(out)
    sent = client.post("/monitoring/2025/cities/bangkok/template.xlsx",
                       {"file": SimpleUploadedFile("filled.xlsx", out.getvalue())})  # fmt: skip
    assert sent.status_code == 302, sent.content.decode()[-1500:]
    assert ProgressReport.objects.get(project=network["p1"], year=2025).percent_complete == 60
    assert author("p1") == csco_bangkok and author("p2") == csco_bangkok
    assert ProgressReport.objects.get(project=network["p2"], year=2025).funding_secured_usd in (None, Decimal(0))


@pytest.mark.parametrize("who", ["secretariat", "superuser"])
def test_the_admin_reads_progress_reports_and_writes_none(client, network, secretariat, who):
    from django.utils import timezone as tz

    from ascn_portal.accounts.models import User

    person = secretariat
    if who == "superuser":
        person = User.objects.create_superuser("root@asean.example", "a-Long-passw0rd!", full_name="Root")
    client.force_login(person)
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    before = _snapshot()
    base = "/admin/action_plans/progressreport/"
    assert client.get(base).status_code == 200 and client.get(f"{base}{p1.pk}/change/").status_code == 200
    filed = tz.localtime(p1.filed_at)
    form = {"project": p1.project_id, "year": 2025, "percent_complete": 99, "status": "on_track", "narrative": "",
            "kpi_values": "{}", "funding_secured_usd": "", "filed_by": p1.filed_by_id, "version": p1.version,
            "filed_at_0": filed.date().isoformat(), "filed_at_1": filed.time().strftime("%H:%M:%S")}  # fmt: skip
    assert client.post(f"{base}{p1.pk}/change/", form).status_code == 403
    assert client.post(f"{base}add/", form).status_code == 403
    assert client.post(f"{base}{p1.pk}/delete/", {"post": "yes"}).status_code == 403
    # Reverting to a past version is a write too: django-simple-history saves it for whoever may view.
    history = p1.history.earliest()
    assert client.get(f"{base}{p1.pk}/history/{history.history_id}/").status_code == 200
    assert client.post(f"{base}{p1.pk}/history/{history.history_id}/", form).status_code == 403
    assert _snapshot() == before
