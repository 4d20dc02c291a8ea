import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from partners import services
from partners.models import Partner, ProjectPartnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(partner_contact, csco_bangkok):
    flood = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning")
    partnership = services.partnership_express_interest(
        project=flood, partner=Partner.objects.get(slug="japan"), by=partner_contact, support_type="financing",
        amount_usd="2500000.00",
        consortium=[{"company": "Hitachi", "country": "JP", "is_lead": True}, {"company": "Amata", "country": "TH"}],
    )  # fmt: skip
    for action in ("discuss", "sign_mou", "finalise"):
        services.partnership_move(partnership=partnership, action=action, by=csco_bangkok)
    return ProjectPartnership.objects.get()


def test_the_secretariat_sees_the_pipeline_and_the_finalised_list(client, secretariat, finalised):
    year = datetime.date.today().year
    client.force_login(secretariat)
    page = client.get("/partnerships/pipeline/").content.decode()
    assert "Thailand" in page and "Japan" in page and f"/partnerships/finalised/{year}/" in page
    listing = client.get(f"/partnerships/finalised/{year}/").content.decode()
    assert "Flood early warning" in listing and "Hitachi (JP); Amata (TH)" in listing
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(f"/partnerships/finalised/{year}/?format=csv").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][0] == "Member state" and rows[1][:4] == ["Thailand", "Bangkok", "Flood early warning", "Japan"]
    assert rows[1][6] == "2500000.00"
    book = load_workbook(
        io.BytesIO(b"".join(client.get(f"/partnerships/finalised/{year}/?format=xlsx").streaming_content))
    )
    sheet = book.active
    assert sheet["C2"].value == "Flood early warning" and float(sheet["G2"].value) == 2500000.0
    assert client.get(f"/partnerships/finalised/{year}/?format=pdf").status_code == 400
    assert "No partnership was finalised" in client.get(f"/partnerships/finalised/{year - 1}/").content.decode()


def test_nobody_else_sees_the_pipeline(client, csco_bangkok, partner_contact, finalised):
    for person in (csco_bangkok, partner_contact):
        client.force_login(person)
        assert client.get("/partnerships/pipeline/").status_code == 403
        assert client.get("/partnerships/finalised/2026/?format=csv").status_code == 403
