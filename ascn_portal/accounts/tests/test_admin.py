import pytest
from django.core import mail

from ascn_portal.testing.outbox import deliver_pending
from cities.models import City

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/accounts/user/",
    "/admin/cities/city/",
    "/admin/cities/memberstate/",
    "/admin/cities/appointment/",
    "/admin/cities/chairmanship/",
    "/admin/cities/focusarea/",
    "/admin/cities/citynetwork/",
    "/admin/partners/partner/",
    "/admin/partners/partnercontact/",
]


def test_the_secretariat_revokes_api_tokens_in_the_admin(client, secretariat, partner_contact):
    import datetime

    from knox.models import AuthToken

    instance, _ = AuthToken.objects.create(user=partner_contact, expiry=datetime.timedelta(days=1))
    client.force_login(secretariat)
    assert client.get("/admin/knox/authtoken/").status_code == 200
    response = client.post(
        "/admin/knox/authtoken/", {"action": "delete_selected", "_selected_action": [instance.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AuthToken.objects.exists()


def test_the_secretariat_works_every_model_in_the_admin(client, secretariat, csco_bangkok):
    client.force_login(secretariat)
    for url in CHANGELISTS:
        assert client.get(url).status_code == 200, url
        assert client.get(url + "add/").status_code == 200, url
    bangkok = City.objects.get(slug="bangkok")
    assert client.get(f"/admin/cities/city/{bangkok.pk}/change/").status_code == 200
    assert client.get(f"/admin/cities/city/{bangkok.pk}/history/").status_code == 200
    assert client.get("/admin/cities/appointment/?term=active").status_code == 200
    assert (
        client.get("/admin/autocomplete/?app_label=cities&model_name=appointment&field_name=city&term=ban").status_code
        == 200
    )


def test_an_admin_change_is_recorded_in_history(client, secretariat):
    client.force_login(secretariat)
    bangkok = City.objects.get(slug="bangkok")
    before = bangkok.history.count()
    data = {
        "name": "Bangkok",
        "slug": "bangkok",
        "member_state": bangkok.member_state_id,
        "latitude": "13.7563",
        "longitude": "100.5018",
        "population": "10000000",
        "kind": "",
        "joined_year": "2018",
        "status": "active",
        "summary": "",
        "website": "",
        "network_memberships-TOTAL_FORMS": "0",
        "network_memberships-INITIAL_FORMS": "0",
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/cities/city/{bangkok.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert bangkok.history.count() == before + 1
    assert bangkok.history.first().history_user == secretariat


def test_staff_outside_the_secretariat_may_not_change_cities(client, outsider):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    bangkok = City.objects.get(slug="bangkok")
    assert client.get("/admin/cities/city/").status_code == 403
    response = client.post(f"/admin/cities/city/{bangkok.pk}/change/", {"name": "Hijacked"})
    assert response.status_code == 403
    assert City.objects.get(pk=bangkok.pk).name == "Bangkok"


def test_officers_without_staff_status_are_sent_to_the_admin_login(client, csco_bangkok):
    client.force_login(csco_bangkok)
    response = client.get("/admin/cities/city/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_secretariat_invites_people_from_the_admin(client, secretariat, csco_bangkok):
    client.force_login(secretariat)
    response = client.post(
        "/admin/accounts/user/", {"action": "invite", "_selected_action": [csco_bangkok.pk]}, follow=True
    )
    assert "1 invitation sent." in response.content.decode()
    deliver_pending()
    assert mail.outbox[0].to == ["csco@bangkok.example"]
