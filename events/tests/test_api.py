import pytest
from rest_framework.test import APIClient

from events.models import Registration
from events.tests.factories import event

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_events_api_lists_and_filters(api, django_assert_max_num_queries):
    for _ in range(10):
        event()
    with django_assert_max_num_queries(3):
        body = api.get("/api/v1/events/", {"when": "upcoming", "page_size": 50}).json()
    assert body["count"] == 10 and body["results"][0]["registration_open"] is True
    summits = api.get("/api/v1/events/", {"kind": "summit", "year": 2018}).json()["results"]
    assert sorted(e["slug"] for e in summits) == ["32nd-asean-summit", "33rd-asean-summit"]
    assert api.get("/api/v1/events/", {"year": "soon"}).status_code == 400
    assert api.get("/api/v1/events/", {"kind": "party"}).status_code == 400


def test_an_event_in_the_api_has_its_agenda_outcomes_and_figures(api):
    body = api.get("/api/v1/events/33rd-asean-summit/").json()
    assert body["kind"] == "summit" and body["member_state"] == "SG" and body["all_day"] is True
    assert [o["kind"] for o in body["outcomes"]] == ["adopted", "noted", "noted"]
    assert body["outcomes"][0]["concerns_framework"] is True
    workshop = api.get("/api/v1/events/smart-cities-governance-workshop-2018/").json()
    assert workshop["figures"]["reported_delegates"] == 75
    hidden = event(published=False)
    assert api.get(f"/api/v1/events/{hidden.slug}/").status_code == 404


def test_members_register_through_the_api(api, csco_bangkok, outsider):
    workshop = event(capacity=1)
    url = f"/api/v1/events/{workshop.slug}/register/"
    assert api.post(url, {}, format="json").status_code in (401, 403)
    api.force_authenticate(outsider)
    response = api.post(url, {}, format="json")
    assert response.status_code == 403 and "audience" in response.json()["detail"]
    api.force_authenticate(csco_bangkok)
    response = api.post(url, {}, format="json")
    assert response.status_code == 201 and response.json()[0]["status"] == "confirmed"
    again = api.post(url, {}, format="json")
    assert again.status_code == 400 and "already registered" in str(again.json())
    mine = api.get(f"/api/v1/events/{workshop.slug}/registrations/").json()
    assert [r["status"] for r in mine] == ["confirmed"]
    response = api.post(f"/api/v1/events/{workshop.slug}/cancel/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/events/{workshop.slug}/cancel/", {}, format="json").status_code == 404


def test_a_delegation_through_the_api_and_bad_input(api, csco_bangkok, nr_thailand):
    workshop = event(capacity=1, audience="delegations")
    url = f"/api/v1/events/{workshop.slug}/register/"
    api.force_authenticate(csco_bangkok)
    members = [{"full_name": "Anong Srisuk", "email": "anong@bangkok.example", "title": "Engineer"},
               {"full_name": "Chai Wong", "email": "chai@bangkok.example"}]  # fmt: skip
    bad = api.post(url, {"delegation": "city:bangkok", "members": [{"full_name": "X", "email": "nope"}]}, format="json")
    assert bad.status_code == 400 and "email" in str(bad.json())
    half = api.post(url, {"delegation": "city:bangkok"}, format="json")
    assert half.status_code == 400 and "Send both" in str(half.json())
    assert api.post(url, {"delegation": "city:cebu-city", "members": members}, format="json").status_code == 403
    assert not Registration.objects.exists()
    response = api.post(url, {"delegation": "city:bangkok", "members": members}, format="json")
    assert response.status_code == 201
    assert [(r["person"], r["status"]) for r in response.json()] == [("Anong Srisuk", "confirmed"),
                                                                     ("Chai Wong", "waitlisted")]  # fmt: skip
    api.force_authenticate(nr_thailand)
    assert api.get(f"/api/v1/events/{workshop.slug}/registrations/").json() == []  # not theirs
    chai = Registration.objects.get(person__email="chai@bangkok.example")
    response = api.post(f"/api/v1/events/{workshop.slug}/cancel/", {"registration": chai.pk}, format="json")
    assert response.status_code == 404
    chai.refresh_from_db()
    assert chai.status == "waitlisted"
