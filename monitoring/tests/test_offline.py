"""The offline template: it mirrors the form, round-trips, and a file with bad cells is refused cell
by cell with nothing written; a file made before a newer online edit is refused like a stale save."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from action_plans.models import ProgressReport
from monitoring.models import MonitoringRound

pytestmark = pytest.mark.django_db
URL = "/monitoring/2025/cities/bangkok/template.xlsx"


@pytest.fixture
def round_(network, secretariat):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    return MonitoringRound.objects.create(year=2025, deadline=deadline, opened_by=secretariat)


def _book(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ascn-2025-bangkok-progress.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _send(client, book):
    out = io.BytesIO()
    book.save(out)
    return client.post(URL, {"file": SimpleUploadedFile("filled.xlsx", out.getvalue())})


def _row(sheet, project):
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == project.pk)


def test_the_template_mirrors_the_form_and_round_trips(client, round_, network, csco_bangkok):
    client.force_login(csco_bangkok)
    book = _book(client)
    projects, kpis = book["Projects"], book["KPIs"]
    assert [c.value for c in projects[1]] == ["project_id", "project", "status", "percent_complete",
                                              "funding_secured_usd", "narrative", "version"]  # fmt: skip
    p1, p2 = _row(projects, network["p1"]), _row(projects, network["p2"])
    assert [projects.cell(p1, c).value for c in (3, 4, 5, 7)] == ["on_track", 50, 400000, 1]
    assert projects.cell(p2, 3).value in (None, "") and projects.cell(p2, 7).value == 0
    assert any(kpis.cell(r, 4).value == "Km of track" for r in range(2, kpis.max_row + 1))
    assert len(projects.data_validations.dataValidation) == 2  # status from the list, percent 0-100
    # Unchanged, sent back: nothing changes (P2 has no report yet and no status: a required cell)
    projects.cell(p2, 3).value, projects.cell(p2, 4).value = "delayed", 15
    projects.cell(p2, 6).value = "Tender re-run."
    kpi_row = next(r for r in range(2, kpis.max_row + 1) if kpis.cell(r, 4).value == "Km of track")
    kpis.cell(kpi_row, 8).value = 11.5
    response = _send(client, book)
    assert response.status_code == 302, response.content.decode()[-2000:]
    p2_report = ProgressReport.objects.get(project=network["p2"], year=2025)
    assert (p2_report.status, p2_report.percent_complete, p2_report.narrative) == ("delayed", 15, "Tender re-run.")
    assert p2_report.kpi_values == {str(network["k2"].pk): "11.5"}
    assert ProgressReport.objects.get(project=network["p1"], year=2025).version == 2  # saved again, unchanged values
    # The template downloaded now carries the new versions and imports again
    assert _send(client, _book(client)).status_code == 302


def test_bad_cells_are_refused_cell_by_cell_and_nothing_is_written(client, round_, network, csco_bangkok):
    client.force_login(csco_bangkok)
    book = _book(client)
    projects, kpis = book["Projects"], book["KPIs"]
    p1, p2 = _row(projects, network["p1"]), _row(projects, network["p2"])
    projects.cell(p1, 4).value = 150  # percent above 100
    projects.cell(p1, 5).value = "lots"  # not a number
    projects.cell(p2, 3).value = "great"  # not a status
    projects.cell(p2, 4).value = 10
    kpi_row = next(r for r in range(2, kpis.max_row + 1) if kpis.cell(r, 4).value == "Km of track")
    kpis.cell(kpi_row, 2).value = 999999  # no such KPI
    response = _send(client, book)
    assert response.status_code == 400
    page = response.content.decode()
    for cell in (f"D{p1}", f"E{p1}", f"C{p2}", f"B{kpi_row}"):
        assert f"<td>{cell}</td>" in page, cell
    assert "Nothing was saved." in page
    assert ProgressReport.objects.get(project=network["p1"], year=2025).percent_complete == 50
    assert not ProgressReport.objects.filter(project=network["p2"], year=2025).exists()


def test_a_file_older_than_the_online_report_is_refused(client, round_, network, csco_bangkok):
    client.force_login(csco_bangkok)
    book = _book(client)
    report = ProgressReport.objects.get(project=network["p1"], year=2025)
    report.percent_complete, report.version = 60, 2  # saved online meanwhile
    report.save()
    response = _send(client, book)
    assert response.status_code == 400
    assert "changed online since the file was made (version 2 now, the file has 1)" in response.content.decode()
    assert ProgressReport.objects.get(project=network["p1"], year=2025).percent_complete == 60


def test_only_the_csco_sends_a_template_and_strangers_get_nothing(client, round_, network, csco_cebu, team_bangkok):
    client.force_login(csco_cebu)
    assert client.get(URL).status_code == 404
    client.force_login(team_bangkok)
    assert client.get(URL).status_code == 200  # the team reads it
    assert client.post(URL, {"file": SimpleUploadedFile("x.xlsx", b"PK")}).status_code == 403
    assert not ProgressReport.objects.filter(project=network["p2"], year=2025).exists()


def test_a_file_that_is_not_the_template_is_refused(client, round_, csco_bangkok):
    client.force_login(csco_bangkok)
    response = client.post(URL, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert response.status_code == 400 and "not the template" in response.content.decode()
