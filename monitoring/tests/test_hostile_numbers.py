"""Hostile numbers, sent the way they were found: through the real API (a list or an object for an
amount answered 500), the real form, and a real workbook uploaded through the page (`inf` or `1e999`
in a number cell answered 500). Each is refused naming the field (or the sheet and cell), and nothing
changes."""

import datetime
import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from action_plans.models import ProgressReport
from monitoring.models import MonitoringRound

pytestmark = pytest.mark.django_db

# As JSON text, so that what no encoder writes (1e999, 31 digits) is sent too.
HOSTILE_JSON = ['[1]', '{"a": 1}', '[]', '{}', "true", "false", "1e999", "-1e999", "10" + "0" * 30,
                '"inf"', '"-inf"', '"nan"', '"NaN"', '"Infinity"', '"1e999"', '"1e3"', '"1_000"', '"١٢"',
                '"' + "9" * 5000 + '"']  # fmt: skip
NUMBER_FIELDS = ["percent_complete", "funding_secured_usd", "kpi_value", "version"]


def _snapshot():
    return sorted(
        ProgressReport.objects.values_list(
            "project_id", "year", "percent_complete", "funding_secured_usd", "kpi_values", "version"
        )  # fmt: skip
    )


@pytest.fixture
def api(csco_bangkok):
    client = APIClient()
    client.force_authenticate(csco_bangkok)
    return client


def _field(network, name, raw):
    if name == "kpi_value":
        return "kpi_values", f'{{"{network["k1"].pk}": {raw}}}'
    return name, raw


@pytest.mark.parametrize("raw", HOSTILE_JSON)
@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_the_api_refuses_a_hostile_number_naming_the_field(api, network, name, raw):
    before = _snapshot()
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    field, value = _field(network, name, raw)
    body = {"version": str(p1.version), field: value}
    text = "{" + ", ".join(f'"{k}": {v}' for k, v in body.items()) + "}"
    patched = api.patch(f"/api/v1/progress-reports/{p1.pk}/", text, content_type="application/json")
    assert patched.status_code == 400 and field in patched.json(), (patched.status_code, patched.content[:300])
    new = {"project": str(network["p2"].pk), "year": "2025", "status": '"delayed"', "percent_complete": "20",
           "version": "0"}  # fmt: skip
    new[field] = value
    text = "{" + ", ".join(f'"{k}": {v}' for k, v in new.items()) + "}"
    posted = api.post("/api/v1/progress-reports/", text, content_type="application/json")
    assert posted.status_code == 400 and field in posted.json(), (posted.status_code, posted.content[:300])
    assert _snapshot() == before


@pytest.mark.parametrize("raw", ['"year"', "[2025]", "true", "1e999", "20250000000000000000000"])
def test_the_api_refuses_a_hostile_year_or_project(api, network, raw):
    before = _snapshot()
    for field in ("year", "project"):
        body = {"project": network["p2"].pk, "year": 2025, "status": "delayed", "percent_complete": 20}
        text = json.dumps(body).replace(f'"{field}": {json.dumps(body[field])}', f'"{field}": {raw}')
        response = api.post("/api/v1/progress-reports/", text, content_type="application/json")
        assert response.status_code == 400 and field in response.json(), response.content[:300]
    assert _snapshot() == before


# The form -------------------------------------------------------------------------------------

HOSTILE_TEXT = ["inf", "-inf", "nan", "NaN", "Infinity", "1e999", "1e3", "[1]", "{'a': 1}", "True", "1_000",
                "١٢", "10" + "0" * 30, "9" * 5000, "1,50,000", "12.34567"]  # fmt: skip


@pytest.fixture
def round_2025(network, secretariat):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    return MonitoringRound.objects.create(year=2025, deadline=deadline, opened_by=secretariat)


@pytest.mark.parametrize("value", HOSTILE_TEXT)
@pytest.mark.parametrize("name", ["percent_complete", "funding_secured_usd", "kpi"])
def test_the_monitoring_form_refuses_a_hostile_number_beside_its_field(client, network, round_2025, csco_bangkok,
                                                                        name, value):  # fmt: skip
    client.force_login(csco_bangkok)
    before = _snapshot()
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    body = {"status": "on_track", "percent_complete": "55", "version": p1.version}
    field = f"kpi_{network['k1'].pk}" if name == "kpi" else name
    body[field] = value
    response = client.post(f"/monitoring/2025/cities/bangkok/projects/{network['p1'].pk}/", body)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert _snapshot() == before


def test_the_form_takes_thousands_as_people_type_them(client, network, round_2025, csco_bangkok):
    client.force_login(csco_bangkok)
    p1 = ProgressReport.objects.get(project=network["p1"], year=2025)
    body = {"status": "on_track", "percent_complete": "55", "version": p1.version,
            "funding_secured_usd": "450,000.00", f"kpi_{network['k1'].pk}": "1 000"}  # fmt: skip
    assert client.post(f"/monitoring/2025/cities/bangkok/projects/{network['p1'].pk}/", body).status_code == 302
    p1.refresh_from_db()
    assert str(p1.funding_secured_usd) == "450000.00" and p1.kpi_values == {str(network["k1"].pk): "1000"}


# The offline template ----------------------------------------------------------------------------

URL = "/monitoring/2025/cities/bangkok/template.xlsx"
HOSTILE_CELLS = ["inf", "-inf", "nan", "1e999", "Infinity", "[1]", "1_000", True, 10**30, "9" * 5000,
                 ("n", "inf"), ("n", "nan"), ("n", "1e999"), ("n", "-1e999")]  # fmt: skip
# (sheet, column letter, header) of every number cell the city fills or sends back.
CELLS = [("Projects", "A", "project_id"), ("Projects", "D", "percent_complete"),
         ("Projects", "E", "funding_secured_usd"), ("Projects", "G", "version"), ("KPIs", "H", "value")]  # fmt: skip


def _put(cell, value):
    if isinstance(value, tuple):  # a number cell holding text no number reader takes, as some tools write it
        cell.value, cell.data_type = value[1], value[0]
    else:
        cell.value = value


@pytest.mark.parametrize("value", HOSTILE_CELLS, ids=[repr(v)[:20] for v in HOSTILE_CELLS])
@pytest.mark.parametrize(("sheet_name", "column", "header"), CELLS, ids=[c[2] for c in CELLS])
def test_a_workbook_with_a_hostile_number_is_refused_naming_its_cell(client, network, round_2025, csco_bangkok,
                                                                      sheet_name, column, header, value):  # fmt: skip
    client.force_login(csco_bangkok)
    before = _snapshot()
    book = openpyxl.load_workbook(io.BytesIO(client.get(URL).content))
    sheet = book[sheet_name]
    headers = [c.value for c in sheet[1]]
    assert headers[openpyxl.utils.column_index_from_string(column) - 1] == header
    if sheet_name == "Projects":
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == network["p1"].pk)
    else:
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == network["k1"].pk)
    _put(sheet[f"{column}{row}"], value)
    out = io.BytesIO()
    book.save(out)
    response = client.post(URL, {"file": SimpleUploadedFile("filled.xlsx", out.getvalue())})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf"<td>{sheet_name}</td>\s*<td>{column}{row}</td>", page), page[page.find("template-errors") :][
        :800
    ]
    assert _snapshot() == before
