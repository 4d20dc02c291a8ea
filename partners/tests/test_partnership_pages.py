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
