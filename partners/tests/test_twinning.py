"""The twinning programme: the secretariat proposes, starts and ends twinnings in the admin; both
sides are told; the board and the partner's page show them."""

import pytest
from django.utils import timezone

from ascn_portal.notifications.models import Notification
from cities.models import City
from partners.models import Partner, Twinning

pytestmark = pytest.mark.django_db


def _form(city, partner, **changes):
    data = {"city": city.pk, "partner": partner.pk, "status": "proposed", "starts_on": "", "ends_on": "",
            "memorandum_reference": "MOU-2026-07", "notes": "Agreed at the annual meeting."}  # fmt: skip
    return {**data, **changes}


def _told(kind):
    return set(Notification.objects.filter(message__kind=kind).values_list("recipient__email", flat=True))


def test_the_secretariat_proposes_starts_and_ends_a_twinning_and_both_sides_are_told(
    client, secretariat, csco_bangkok, partner_contact
):
    bangkok, japan = City.objects.get(slug="bangkok"), Partner.objects.get(slug="japan")
    client.force_login(secretariat)
    response = client.post("/admin/partners/twinning/add/", _form(bangkok, japan))
    assert response.status_code == 302, response.content.decode()[:3000]
    twinning = Twinning.objects.get()
    assert twinning.status == "proposed" and not _told("twinning.started")
    client.post("/admin/partners/twinning/", {"action": "start", "_selected_action": [twinning.pk]})
    twinning.refresh_from_db()
    assert twinning.status == "active" and twinning.starts_on == timezone.localdate()
    assert _told("twinning.started") == {csco_bangkok.email, partner_contact.email}
    # A second active twinning of the city is refused in the form, with the reason, nothing written.
    korea = Partner.objects.get(slug="republic-of-korea")
    refused = client.post("/admin/partners/twinning/add/", _form(bangkok, korea, status="active"))
    assert refused.status_code == 200 and "already has an active twinning" in refused.content.decode()
    assert Twinning.objects.count() == 1
    client.post("/admin/partners/twinning/", {"action": "end", "_selected_action": [twinning.pk]})
    twinning.refresh_from_db()
    assert twinning.status == "ended" and twinning.ends_on == timezone.localdate()
    assert _told("twinning.ended") == {csco_bangkok.email, partner_contact.email}
    assert twinning.history.count() >= 3  # who changed what, kept


def test_staff_outside_the_secretariat_may_not_record_twinnings(client, csco_bangkok):
    csco_bangkok.is_staff = True
    csco_bangkok.save()
    client.force_login(csco_bangkok)
    bangkok, japan = City.objects.get(slug="bangkok"), Partner.objects.get(slug="japan")
    assert client.post("/admin/partners/twinning/add/", _form(bangkok, japan)).status_code == 403
    assert not Twinning.objects.exists()


def test_the_board_shows_each_city_with_its_partner_and_those_without_in_constant_queries(
    client, django_assert_max_num_queries
):
    partners = list(Partner.objects.order_by("slug")[:6])
    cities = list(City.objects.order_by("slug")[:6])
    for city, partner in zip(cities, partners, strict=True):
        Twinning.objects.create(city=city, partner=partner, status="active", starts_on=timezone.localdate())
    with django_assert_max_num_queries(4):  # active twinnings with partners, cities, (session-less) nothing else
        page = client.get("/twinnings/").content.decode()
    assert f"6 of {City.objects.count()} cities are twinned" in page
    assert partners[0].name in page and "not yet twinned" in page


def test_a_partners_page_shows_its_twinnings_and_hides_what_is_retired(client, secretariat):
    japan = Partner.objects.get(slug="japan")
    Twinning.objects.create(city=City.objects.get(slug="chonburi"), partner=japan, status="active")
    page = client.get("/partners/japan/")
    assert page.status_code == 200 and "Chonburi" in page.content.decode()
    assert client.get("/partners/no-such-partner/").status_code == 404
    Partner.objects.filter(pk=japan.pk).update(is_active=False)
    assert client.get("/partners/japan/").status_code == 404
    client.force_login(secretariat)
    assert client.get("/partners/japan/").status_code == 200
