"""The twinning programme: the secretariat proposes, starts and ends twinnings in the admin; both
sides are told; the board and the partner's page show them."""

import pytest
from django.utils import timezone

from ascn_portal.notifications.models import Notification
from cities.models import City
from partners.models import Partner, Twinning

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_reference_twinnings(request):
    """Each test starts from a programme without the sources' pairings (one test reads those)."""
    if "reference_pairings" not in request.fixturenames:
        Twinning.objects.all().delete()


@pytest.fixture
def reference_pairings():
    return Twinning.objects.all()


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


def _profile(**changes):
    from cities.models import FocusArea, MemberState

    data = {"description": "Japan's cooperation with ASEAN cities.", "website": "https://www.mofa.go.jp/",
            "focus_areas": [FocusArea.objects.get(slug="quality-environment").pk],
            "member_states": [MemberState.objects.get(code="TH").pk], "stages": ["pipeline"],
            "support_types": ["financing"], "ticket_min_usd": "1000000", "ticket_max_usd": "5000000"}  # fmt: skip
    return {**data, **changes}


def test_a_partners_contact_keeps_its_profile_and_recommendations_follow_at_once(client, partner_contact):
    from decimal import Decimal

    from action_plans.choices import PlanState
    from action_plans.tests.factories import draft_plan, project
    from cities.models import FocusArea

    flood = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning", stage="pipeline")
    flood.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    client.force_login(partner_contact)
    assert "Edit the profile and interests" in client.get("/partners/japan/").content.decode()
    response = client.post("/partners/japan/profile/", _profile())
    assert response.status_code == 302
    japan = Partner.objects.get(slug="japan")
    assert japan.support_types == ["financing"] and japan.ticket_max_usd == Decimal("5000000")
    assert [a.slug for a in japan.focus_areas.all()] == ["quality-environment"]
    assert japan.history.first().history_user == partner_contact  # recorded, with who
    recommended = client.get("/partners/recommended/").content.decode()
    assert "Flood early warning" in recommended and "focus area: quality environment" in recommended


def test_a_bad_profile_is_refused_next_to_its_field_and_nothing_is_written(client, partner_contact):
    client.force_login(partner_contact)
    response = client.post("/partners/japan/profile/", _profile(ticket_min_usd="9000000", ticket_max_usd="1000"))
    assert response.status_code == 400 and "The smallest ticket cannot exceed the largest." in response.content.decode()
    japan = Partner.objects.get(slug="japan")
    assert japan.ticket_min_usd is None and japan.description == ""


@pytest.mark.parametrize("person", ["csco_bangkok", "other_contact"])
def test_no_one_else_edits_a_partners_profile(client, request, person):
    from ascn_portal.accounts.services import account_create

    if person == "other_contact":
        user = account_create(email="x@canada.example", role="partner", password="a-Long-passw0rd!",
                              partner=Partner.objects.get(slug="canada"))  # fmt: skip
    else:
        user = request.getfixturevalue(person)
    client.force_login(user)
    assert "Edit the profile" not in client.get("/partners/japan/").content.decode()
    assert client.get("/partners/japan/profile/").status_code == 403
    assert client.post("/partners/japan/profile/", _profile()).status_code == 403
    assert Partner.objects.get(slug="japan").description == ""


def test_signing_in_is_needed_to_edit_a_profile(client):
    response = client.get("/partners/japan/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_secretariat_records_starts_and_ends_twinnings_through_the_api(secretariat, csco_bangkok, partner_contact):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(secretariat)
    created = api.post("/api/v1/twinnings/", {"city": "bangkok", "partner": "japan", "status": "active",
                                              "focus_areas": ["quality-environment"]}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "active" and created.json()["focus_areas"] == ["quality-environment"]
    assert _told("twinning.started") == {csco_bangkok.email, partner_contact.email}
    second = api.post("/api/v1/twinnings/", {"city": "bangkok", "partner": "canada", "status": "active"}, format="json")
    assert second.status_code == 400 and "already has an active twinning" in str(second.json())
    bad = api.post("/api/v1/twinnings/", {"city": "atlantis", "partner": "japan"}, format="json")
    assert bad.status_code == 400 and "city" in bad.json()
    ended = api.patch(f"/api/v1/twinnings/{created.json()['id']}/", {"status": "ended"}, format="json")
    assert ended.status_code == 200 and ended.json()["ends_on"] == str(timezone.localdate())
    assert Twinning.objects.count() == 1 and _told("twinning.ended")


def test_only_the_secretariat_writes_twinnings_through_the_api(partner_contact):
    from rest_framework.test import APIClient

    body = {"city": "bangkok", "partner": "japan", "status": "active"}
    assert APIClient().post("/api/v1/twinnings/", body, format="json").status_code == 401
    api = APIClient()
    api.force_authenticate(partner_contact)
    assert api.post("/api/v1/twinnings/", body, format="json").status_code == 403
    assert not Twinning.objects.exists()


def test_the_sources_pairings_are_reference_data_and_stay_the_secretariats(secretariat, reference_pairings):
    from django.core.management import call_command

    from partners import services

    chonburi = Twinning.objects.get(city__slug="chonburi")
    assert (chonburi.partner.name, chonburi.status, str(chonburi.starts_on)) == (
        "City of Yokohama",
        "active",
        "2018-07-08",
    )
    assert chonburi.partner.kind == "foreign_city"
    assert {a.slug for a in chonburi.focus_areas.all()} == {"industry-and-innovation", "built-infrastructure"}
    assert Twinning.objects.get(city__slug="banyuwangi").partner.name == "John Wiley & Sons, Inc."
    services.twinning_end(twinning=chonburi, by=secretariat)
    call_command("seed_ascn", verbosity=0)
    chonburi.refresh_from_db()
    assert chonburi.status == "ended"  # a second run never reopens what the secretariat ended
    assert Twinning.objects.filter(city__slug="chonburi").count() == 1
