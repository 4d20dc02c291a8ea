import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event, Registration
from events.tests.factories import event

pytestmark = pytest.mark.django_db


def test_the_event_list_shows_upcoming_and_past_with_filters(client):
    upcoming = event(name="Smart Mobility Training", kind="training")
    page = client.get("/events/").content.decode()
    assert "Smart Mobility Training" in page and "Smart Cities Governance Workshop" in page
    upcoming_only = client.get("/events/", {"when": "upcoming"}).content.decode()
    assert upcoming.name in upcoming_only and "33rd ASEAN Summit" not in upcoming_only
    page = client.get("/events/", {"kind": "summit", "year": 2018}).content.decode()
    assert "33rd ASEAN Summit" in page and "Smart Cities Governance Workshop" not in page
    response = client.get("/events/", {"year": "last year"})
    assert response.status_code == 400 and "Enter a whole number" in response.content.decode()


def test_the_list_keeps_its_query_count(client, django_assert_max_num_queries):
    for _ in range(15):
        event()
    # session-less anonymous page: upcoming with figures, past count, past page (member states for the filter)
    with django_assert_max_num_queries(5):
        assert client.get("/events/").status_code == 200


def test_a_recorded_event_shows_its_outcomes_chair_and_figures(client):
    page = client.get("/events/ascn-annual-meeting-2018/").content.decode()
    assert "Inaugural Meeting of the ASCN" in page and "8 July 2018" in page
    assert "The ASEAN Smart Cities Framework is endorsed." in page and "Chonburi" in page
    assert "ASCN chair 2018" in page and "Singapore" in page
    workshop = client.get("/events/smart-cities-governance-workshop-2018/").content.decode()
    assert "On record: 75 delegates from 25 cities across 10 member states." in workshop
    assert "22–25 May 2018" in workshop
    undated = client.get("/events/ascn-annual-meeting-2020/").content.decode()
    assert "2020, dates not recorded" in undated and "calendar.ics" not in undated


def test_an_unpublished_event_is_404_but_to_the_secretariat(client, secretariat, csco_bangkok):
    draft = event(published=False)
    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client.get(f"/events/{draft.slug}/calendar.ics").status_code == 404
    assert draft.name not in client.get("/events/").content.decode()
    client.force_login(csco_bangkok)
    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client.post(f"/events/{draft.slug}/register/").status_code == 404
    assert not Registration.objects.exists()
    client.force_login(secretariat)
    assert client.get(f"/events/{draft.slug}/").status_code == 200


def test_members_register_and_cancel_in_the_browser(client, csco_bangkok, outsider):
    workshop = event(capacity=1)
    client.force_login(outsider)
    client.post(f"/events/{workshop.slug}/register/")
    assert not Registration.objects.exists()  # a network meeting: refused with a message
    client.force_login(csco_bangkok)
    response = client.post(f"/events/{workshop.slug}/register/", follow=True)
    assert "You are registered." in response.content.decode()
    registration = Registration.objects.get()
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "Cancel my registration" in page and "Bangkok" in page  # who is coming: names and delegations
    client.force_login(outsider)
    assert client.post(f"/events/{workshop.slug}/registrations/{registration.pk}/cancel/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "Who is coming" not in page  # not a network member
    client.force_login(csco_bangkok)
    client.post(f"/events/{workshop.slug}/registrations/{registration.pk}/cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_the_delegation_form_refuses_bad_input_and_writes_nothing(client, csco_bangkok, team_bangkok):
    workshop = event(audience="delegations")
    form = {"delegation": "city:bangkok", "delegates-TOTAL_FORMS": 2, "delegates-INITIAL_FORMS": 0,
            "delegates-MIN_NUM_FORMS": 1, "delegates-MAX_NUM_FORMS": 50,
            "delegates-0-full_name": "Anong Srisuk", "delegates-0-email": "not-an-email"}  # fmt: skip
    client.force_login(team_bangkok)
    assert client.post(f"/events/{workshop.slug}/delegation/", form).status_code == 403
    client.force_login(csco_bangkok)
    response = client.post(f"/events/{workshop.slug}/delegation/", form)
    assert response.status_code == 400 and "Enter a valid email address." in response.content.decode()
    elsewhere = {**form, "delegation": "city:cebu-city", "delegates-0-email": "anong@bangkok.example"}
    response = client.post(f"/events/{workshop.slug}/delegation/", elsewhere)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not Registration.objects.exists()
    response = client.post(
        f"/events/{workshop.slug}/delegation/", {**form, "delegates-0-email": "anong@bangkok.example"}
    )
    assert response.status_code == 302 and Registration.objects.get().person.email == "anong@bangkok.example"
    closed = event(audience="delegations", registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    response = client.post(f"/events/{closed.slug}/delegation/", {**form, "delegates-0-email": "b@bangkok.example"})
    assert response.status_code == 400 and "Registration opens on" in response.content.decode()
    assert Registration.objects.count() == 1


def test_the_check_in_desk_is_the_secretariats(client, secretariat, csco_bangkok):
    workshop = event()
    [anong, chai] = services.delegation_register(
        event=workshop, by=csco_bangkok, delegation="city:bangkok",
        members=[{"full_name": "Anong Srisuk", "email": "anong@bangkok.example"},
                 {"full_name": "Chai Wong", "email": "chai@bangkok.example"}],
    )  # fmt: skip
    client.force_login(csco_bangkok)
    assert client.get(f"/events/{workshop.slug}/check-in/").status_code == 403
    assert client.post(f"/events/{workshop.slug}/check-in/{anong.pk}/").status_code == 403
    anong.refresh_from_db()
    assert anong.checked_in_at is None
    client.force_login(secretariat)
    rows = client.get(f"/events/{workshop.slug}/check-in/", {"q": "chai"}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="check-in-rows").content.decode()  # fmt: skip
    assert "Chai Wong" in rows and "Anong" not in rows and "<html" not in rows
    response = client.post(f"/events/{workshop.slug}/check-in/{chai.pk}/", {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Present" in response.content.decode()
    assert "1 of 2 delegates present, from 1 city and 1 member state." in response.content.decode()
    chai.refresh_from_db()
    assert chai.checked_in_by == secretariat
    client.post(f"/events/{workshop.slug}/check-in/{chai.pk}/", {"present": "0"})
    chai.refresh_from_db()
    assert chai.checked_in_at is None


def test_an_ics_file_parses_back_with_the_times_in_utc(client):
    start = datetime.datetime(2027, 3, 10, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Singapore
    meeting = event(starts_at=start, ends_at=start + datetime.timedelta(hours=7), time_zone="Asia/Singapore",
                    registration_opens_at=None, name="Partnership meeting with Japan")  # fmt: skip
    response = client.get(f"/events/{meeting.slug}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    [item] = Calendar.from_ical(response.content).walk("VEVENT")
    assert item.decoded("dtstart") == start and item.decoded("dtstart").utcoffset() == datetime.timedelta(0)
    assert item.decoded("dtend") == start + datetime.timedelta(hours=7)
    assert str(item["summary"]) == "Partnership meeting with Japan"
    assert str(item["uid"]) == f"event-{meeting.pk}@127.0.0.1" and int(item["sequence"]) == 0
    assert str(item["location"]) == "Marina Bay Sands Expo, Singapore"
    assert meeting.get_absolute_url() in str(item["url"])


def test_a_whole_day_event_is_dates_and_the_feed_holds_what_is_coming(client):
    [item] = Calendar.from_ical(client.get("/events/ascn-annual-meeting-2025/calendar.ics").content).walk("VEVENT")
    assert item.decoded("dtstart") == datetime.date(2025, 9, 8)
    assert item.decoded("dtend") == datetime.date(2025, 9, 13)  # exclusive: through 12 September
    soon = event(name="Webinar on digital twins", kind="webinar")
    hidden = event(name="Not yet announced", published=False)
    feed = Calendar.from_ical(client.get("/events/calendar.ics").content)
    names = [str(e["summary"]) for e in feed.walk("VEVENT")]
    assert soon.name in names and hidden.name not in names and "33rd ASEAN Summit" not in names
    assert Event.objects.count() > len(names)
