import pytest

pytestmark = pytest.mark.django_db


def test_partner_list_shows_the_external_partners(client):
    page = client.get("/partners/").content.decode()
    assert "17 partners" in page and "Republic of Korea" in page and "Sectoral dialogue partner" in page


def test_partner_list_filters_by_kind_and_refuses_bad_values(client):
    page = client.get("/partners/", {"kind": "development"}).content.decode()
    assert "1 partner" in page and "Germany" in page
    response = client.get("/partners/", {"kind": "friend"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_partner_contacts_are_shown_to_members_only(client, partner_contact, csco_bangkok):
    assert "contact@japan.example" not in client.get("/partners/").content.decode()
    assert "Kenji Contact" in client.get("/partners/").content.decode()
    client.force_login(csco_bangkok)
    assert "contact@japan.example" in client.get("/partners/").content.decode()
