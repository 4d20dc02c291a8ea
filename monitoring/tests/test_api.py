"""The API of the yearly cycle: progress reports (read for members, written by the city's CSCO with the
same rules and locking as the pages) and the roll-up figures."""

import pytest
from rest_framework.test import APIClient

from action_plans.models import ProgressReport
from monitoring.models import CityReport, MonitoringRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_members_read_progress_reports_and_others_do_not(api, network, partner_contact, outsider):
    assert api.get("/api/v1/progress-reports/").status_code == 401
    api.force_authenticate(outsider)
    assert api.get("/api/v1/progress-reports/").status_code == 403
    api.force_authenticate(partner_contact)
    body = api.get("/api/v1/progress-reports/", {"year": 2025, "member_state": "TH"}).json()
    assert [(r["project"], r["percent_complete"]) for r in body["results"]] == [(network["p1"].pk, 50)]
    assert body["results"][0]["funding_secured_usd"] == "400000.00"


def test_the_csco_files_and_corrects_with_the_version(api, network, csco_bangkok, csco_cebu, secretariat):
    p2 = network["p2"]
    body = {"project": p2.pk, "year": 2025, "status": "delayed", "percent_complete": 25, "narrative": "Tendering.",
            "kpi_values": {str(network["k2"].pk): "12.5"}, "funding_secured_usd": "100000.00"}  # fmt: skip
    api.force_authenticate(csco_cebu)
    assert api.post("/api/v1/progress-reports/", body, format="json").status_code == 403  # not Cebu's project
    api.force_authenticate(csco_bangkok)
    created = api.post("/api/v1/progress-reports/", body, format="json")
    assert created.status_code == 201, created.json()
    report = created.json()
    assert report["version"] == 1 and report["kpi_values"] == {str(network["k2"].pk): "12.5000"}
    assert api.post("/api/v1/progress-reports/", body, format="json").status_code == 409  # twice
    url = f"/api/v1/progress-reports/{report['id']}/"
    assert api.patch(url, {"percent_complete": 30}, format="json").json() == {"version": ["Send the version you read."]}
    ok = api.patch(url, {"percent_complete": 30, "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["narrative"] == "Tendering."
    stale = api.patch(url, {"percent_complete": 35, "version": 1}, format="json")
    assert stale.status_code == 409
    assert api.patch(url, {"year": 2024, "version": 2}, format="json").status_code == 400
    assert ProgressReport.objects.get(pk=report["id"]).percent_complete == 30


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percent_complete": 101}, "percent_complete"),
        ({"status": "fine"}, "status"),
        ({"funding_secured_usd": "99999999.00"}, "funding_secured_usd"),  # above the cost
        ({"funding_secured_usd": "-1"}, "funding_secured_usd"),
        ({"kpi_values": {"999999": "1"}}, "kpi_values"),
        ({"year": 2017}, "year"),
    ],
)
def test_bad_reports_are_refused_naming_the_field_and_nothing_is_written(api, network, csco_bangkok, change, field):
    api.force_authenticate(csco_bangkok)
    body = {"project": network["p2"].pk, "year": 2025, "status": "delayed", "percent_complete": 25, **change}
    response = api.post("/api/v1/progress-reports/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ProgressReport.objects.filter(project=network["p2"], year__in=[2017, 2025]).exists()


def test_a_report_under_review_does_not_change_through_the_api(api, network, csco_bangkok, secretariat):
    round_ = MonitoringRound.objects.create(year=2025, deadline="2099-12-31", opened_by=secretariat)
    CityReport.objects.create(round=round_, city=network["bangkok"].city, state="submitted")
    api.force_authenticate(csco_bangkok)
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    response = api.patch(f"/api/v1/progress-reports/{p1.pk}/", {"percent_complete": 90, "version": p1.version},
                         format="json")  # fmt: skip
    assert response.status_code == 409 and "with the secretariat" in response.json()["detail"]


def test_the_rollup_figures_with_projects_for_members(api, network, partner_contact):
    body = api.get("/api/v1/monitoring/2025/").json()
    assert body["network"]["projects"] == 3 and body["network"]["percent_complete"] == "27.5"
    assert body["network"]["cost_usd"] == "4000000.00" and body["projects"] == []
    assert {g["key"] for g in body["by_member_state"]} == {"TH", "PH"}
    api.force_authenticate(partner_contact)
    assert len(api.get("/api/v1/monitoring/2025/").json()["projects"]) == 3
    assert api.get("/api/v1/monitoring/1999/").status_code == 404
