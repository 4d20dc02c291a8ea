import pytest

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from partners.models import ProjectPartnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return project(draft_plan(state=PlanState.APPROVED), title="Flood early warning", support_sought=["financing"])


def test_recommendations_are_for_partners(client, csco_bangkok, partner_contact, published):
    client.force_login(csco_bangkok)
    assert client.get("/partners/recommended/").status_code == 403
    client.force_login(partner_contact)
    page = client.get("/partners/recommended/").content.decode()
    assert "has no interests on record yet" in page  # Japan's interests are not recorded in the reference data


def test_interest_in_the_browser_refuses_bad_input_and_strangers(client, csco_bangkok, partner_contact, published):
    url = f"/projects/{published.pk}/interest/"
    client.force_login(csco_bangkok)
    assert client.post(url, {"support_type": "financing"}).status_code == 403
    client.force_login(partner_contact)
    response = client.post(url, {"support_type": "a gift", "amount_usd": "-1"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not ProjectPartnership.objects.exists()
    hidden = project(draft_plan("cebu-city", title="Cebu draft"), title="Draft idea")
    assert client.post(f"/projects/{hidden.pk}/interest/", {"support_type": "financing"}).status_code == 404
    assert client.post(url, {"support_type": "financing", "amount_usd": "100"}).status_code == 302
    page = client.get(f"/projects/{published.pk}/").content.decode()
    assert "Interest expressed" in page and "Withdraw" in page and "Express interest for" not in page


def test_moves_in_the_browser_follow_the_rules(client, csco_bangkok, csco_cebu, partner_contact, published):
    client.force_login(partner_contact)
    client.post(f"/projects/{published.pk}/interest/", {"support_type": "financing"})
    partnership = ProjectPartnership.objects.get()
    client.force_login(csco_cebu)
    assert client.post(f"/partnerships/{partnership.pk}/move/discuss/").status_code == 404
    client.force_login(partner_contact)
    assert client.post(f"/partnerships/{partnership.pk}/move/discuss/").status_code == 403
    client.force_login(csco_bangkok)
    assert client.post(f"/partnerships/{partnership.pk}/move/party/").status_code == 404
    partnership.refresh_from_db()
    assert partnership.stage == "interest"
    page = client.get(f"/projects/{published.pk}/").content.decode()
    assert "Start discussion" in page and "Decline" in page and "Withdraw" not in page
    client.post(f"/partnerships/{partnership.pk}/move/discuss/")
    partnership.refresh_from_db()
    assert partnership.stage == "discussion"
    response = client.post(f"/partnerships/{partnership.pk}/move/complete/", follow=True)
    assert "cannot be moved" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.stage == "discussion"


def _rows(*rows, **fields):
    data = {"support_type": "financing", "consortium-TOTAL_FORMS": "4", "consortium-INITIAL_FORMS": "0", **fields}
    for i, (company, country, lead) in enumerate(rows):
        data.update({f"consortium-{i}-company": company, f"consortium-{i}-country": country})
        if lead:
            data[f"consortium-{i}-is_lead"] = "on"
    return data


def test_a_partner_names_its_consortium_in_the_browser(client, partner_contact, published):
    client.force_login(partner_contact)
    page = client.get(f"/projects/{published.pk}/").content.decode()
    assert 'data-testid="consortium"' in page and "consortium-0-company" in page
    response = client.post(
        f"/projects/{published.pk}/interest/", _rows(("Nippon Koei", "jp", True), ("  Thai Engineering ", "TH", False))
    )
    assert response.status_code == 302
    partnership = ProjectPartnership.objects.get()
    assert list(partnership.consortium.values_list("company", "country", "is_lead")) == [
        ("Nippon Koei", "JP", True), ("Thai Engineering", "TH", False),
    ]  # fmt: skip
    page = client.get(f"/projects/{published.pk}/").content.decode()
    assert "Nippon Koei" in page


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("Nippon Koei", "JP", False), ("Thai Engineering", "TH", False)], "Name exactly one lead company"),
        ([("Nippon Koei", "JP", True), ("nippon koei", "JP", False)], "A company is listed twice"),
        ([("Nippon Koei", "", True)], "Give the company&#x27;s country."),
        ([("Nippon Koei", "Japan", True)], "Ensure this value has at most 2 characters"),
        ([("Nippon Koei", "J1", True)], "Use the two-letter ISO 3166 code"),
        ([("", "JP", True)], "Name the company, or clear this row."),
    ],
)
def test_a_bad_consortium_is_refused_next_to_its_rows_and_nothing_is_written(
    client, partner_contact, published, rows, message
):
    client.force_login(partner_contact)
    response = client.post(f"/projects/{published.pk}/interest/", _rows(*rows))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProjectPartnership.objects.exists()


def test_a_forged_row_count_is_refused(client, partner_contact, published):
    client.force_login(partner_contact)
    response = client.post(f"/projects/{published.pk}/interest/", _rows(**{"consortium-TOTAL_FORMS": "100000"}))
    assert response.status_code == 400
    assert not ProjectPartnership.objects.exists()
