"""Every table the portal exports opens in a spreadsheet as text: no formula runs, UTF-8 reads right,
and the whole list is there."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from partners.models import ConsortiumMember, Partner, ProjectPartnership

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)", "\tcmd", "\rcmd"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response) -> list[dict]:
    body = _body(response)
    assert body.startswith("\ufeff".encode())  # the byte order mark: spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_project_csv_is_the_whole_filtered_list_with_formulas_made_text():
    plan = draft_plan(state=PlanState.APPROVED)
    for n, title in enumerate(HOSTILE * 12):  # 72 projects: more than a page (50)
        project(plan, title=title, position=n, summary="Ðà Nẵng – 東京")
    response = APIClient().get("/api/v1/projects/?format=csv&member_state=TH")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ascn-projects.csv"'
    rows = _csv(response)
    assert len(rows) == 72
    assert {row["title"] for row in rows} == {"'" + title for title in HOSTILE}
    assert rows[0]["summary"] == "Ðà Nẵng – 東京"
    assert all(not row["title"].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows)


def test_a_bad_filter_on_the_csv_is_a_400_not_a_half_file():
    response = APIClient().get("/api/v1/projects/?format=csv&member_state=XX")
    assert response.status_code == 400 and "member_state" in response.content.decode()


def test_the_finalised_list_opens_as_text_in_csv_and_xlsx(client, secretariat, partner_contact):
    plan = draft_plan(state=PlanState.APPROVED)
    japan = Partner.objects.get(slug="japan")
    for n, title in enumerate(HOSTILE):
        partnership = ProjectPartnership.objects.create(
            project=project(plan, title=title, position=n), partner=japan, support_type="financing",
            amount_usd=Decimal("-0") + Decimal("1500000.50"), created_by=partner_contact, stage="finalised",
            finalised_on=timezone.localdate(),
        )  # fmt: skip
        ConsortiumMember.objects.create(partnership=partnership, company="=cmd|'/c calc'!A1", country="JP",
                                        is_lead=True)  # fmt: skip
    client.force_login(secretariat)
    year = timezone.localdate().year

    response = client.get(f"/partnerships/finalised/{year}/?format=csv")
    assert response["Content-Disposition"] == f'attachment; filename="ascn-partnerships-finalised-{year}.csv"'
    rows = _csv(response)
    assert sorted(row["Project"] for row in rows) == sorted("'" + title for title in HOSTILE)
    assert {row["Consortium (lead first)"] for row in rows} == {"'=cmd|'/c calc'!A1 (JP)"}

    response = client.get(f"/partnerships/finalised/{year}/?format=xlsx")
    assert response["Content-Disposition"] == f'attachment; filename="ascn-partnerships-finalised-{year}.xlsx"'
    sheet = load_workbook(io.BytesIO(_body(response))).active
    cells = list(sheet.iter_rows(min_row=2))
    typed = sorted(title.replace("\r", "\n") for title in HOSTILE)  # XML may keep a carriage return as a newline
    assert sorted(row[2].value.replace("\r", "\n") for row in cells) == typed  # the text as typed ...
    assert {row[2].data_type for row in cells} == {"s"}  # ... stored as text, never as a formula
    assert {row[4].data_type for row in cells} == {"s"}
    assert {row[6].value for row in cells} == {1500000.5} and {row[6].data_type for row in cells} == {"n"}


def test_an_unknown_format_of_the_finalised_list_is_a_400(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/partnerships/finalised/2026/?format=pdf").status_code == 400


@pytest.mark.parametrize("year", ["123456789012345678901", "99999", "0"])
def test_a_year_out_of_range_is_a_404(client, secretariat, year):
    client.force_login(secretariat)
    assert client.get(f"/partnerships/finalised/{year}/").status_code == 404
