import pytest

from events import services
from events.models import Event
from events.tests.factories import event

pytestmark = pytest.mark.django_db


def _form(item: Event, **changes) -> dict:
    local = {name: item.local(getattr(item, name)) for name in ("starts_at", "ends_at", "registration_opens_at")}
    data = {
        "name": item.name, "slug": item.slug, "kind": item.kind, "year": item.year, "time_zone": item.time_zone,
        "format": item.format, "venue": item.venue, "place": item.place, "audience": item.audience,
        "capacity": item.capacity, "published": "on",
        "starts_at_0": local["starts_at"].strftime("%Y-%m-%d"), "starts_at_1": local["starts_at"].strftime("%H:%M"),
        "ends_at_0": local["ends_at"].strftime("%Y-%m-%d"), "ends_at_1": local["ends_at"].strftime("%H:%M"),
        "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0, "outcomes-TOTAL_FORMS": 0,
        "outcomes-INITIAL_FORMS": 0,
    }  # fmt: skip
    return {**data, **changes}


def test_the_secretariat_keeps_events_in_the_admin_and_a_new_time_is_announced(client, secretariat, csco_bangkok):
    workshop = event()
    services.registration_self(event=workshop, by=csco_bangkok)
    client.force_login(secretariat)
    listing = client.get("/admin/events/event/")
    assert listing.status_code == 200 and workshop.name in listing.content.decode()
    url = f"/admin/events/event/{workshop.pk}/change/"
    bad = client.post(url, _form(workshop, ends_at_0="2020-01-01"))
    assert bad.status_code == 200 and "The event cannot end before it starts." in bad.content.decode()
    assert Event.objects.get(pk=workshop.pk).ends_at == workshop.ends_at
    negative = client.post(url, _form(workshop, capacity="-3"))
    assert "greater than or equal to 0" in negative.content.decode()
    moved = client.post(url, _form(workshop, venue="Suntec Convention Centre"), follow=True)
    assert "everyone registered is told" in moved.content.decode()
    workshop.refresh_from_db()
    assert workshop.venue == "Suntec Convention Centre" and workshop.sequence == 1
    assert csco_bangkok.notifications.filter(message__kind="event.changed").exists()


def test_staff_outside_the_secretariat_may_not_touch_events(client, csco_bangkok):
    workshop = event()
    csco_bangkok.is_staff = True
    csco_bangkok.save()
    client.force_login(csco_bangkok)
    assert client.get("/admin/events/event/").status_code == 403
    response = client.post(f"/admin/events/event/{workshop.pk}/change/", _form(workshop, name="Taken over"))
    assert response.status_code == 403
    assert Event.objects.get(pk=workshop.pk).name == workshop.name


def _bangkok_workshop_form(**changes) -> dict:
    data = {
        "name": "Flood Resilience Workshop", "slug": "flood-resilience-workshop", "kind": "workshop", "year": 2027,
        "time_zone": "Asia/Bangkok", "format": "in_person", "venue": "Centara Grand", "place": "Bangkok",
        "audience": "network", "capacity": 40, "published": "on",
        "starts_at_0": "2027-03-10", "starts_at_1": "09:00", "ends_at_0": "2027-03-10", "ends_at_1": "17:00",
        "sessions-TOTAL_FORMS": 1, "sessions-INITIAL_FORMS": 0,
        "sessions-0-starts_at_0": "2027-03-10", "sessions-0-starts_at_1": "09:30",
        "sessions-0-ends_at_0": "2027-03-10", "sessions-0-ends_at_1": "10:30",
        "sessions-0-title": "Opening", "sessions-0-speakers": "", "sessions-0-room": "",
        "outcomes-TOTAL_FORMS": 0, "outcomes-INITIAL_FORMS": 0,
    }  # fmt: skip
    return {**data, **changes}


def test_times_typed_in_the_admin_are_the_venues_not_the_staff_members(client, secretariat, csco_bangkok):
    import datetime

    from icalendar import Calendar

    assert secretariat.time_zone == "Asia/Singapore"  # an hour ahead of Bangkok
    client.force_login(secretariat)
    add = client.get("/admin/events/event/add/").content.decode()
    assert "In the event&#x27;s own time zone" in add or "In the event's own time zone" in add
    response = client.post("/admin/events/event/add/", _bangkok_workshop_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Event.objects.get(slug="flood-resilience-workshop")
    assert workshop.starts_at == datetime.datetime(2027, 3, 10, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Bangkok
    assert workshop.sessions.get().starts_at == datetime.datetime(2027, 3, 10, 2, 30, tzinfo=datetime.UTC)
    # The form shows the venue's times back, as typed.
    change = client.get(f"/admin/events/event/{workshop.pk}/change/").content.decode()
    assert 'value="09:00:00"' in change and 'value="09:30:00"' in change
    # The page, its agenda and its calendar file say 09:00 in Bangkok, whoever looks.
    client.force_login(csco_bangkok)
    page = client.get(f"/events/{workshop.slug}/").content.decode()
    assert "09:00" in page and "09:30" in page and "08:00" not in page
    ics = Calendar.from_ical(client.get(f"/events/{workshop.slug}/calendar.ics").content)
    start = next(c for c in ics.walk("VEVENT")).decoded("DTSTART")
    assert start == datetime.datetime(2027, 3, 10, 2, 0, tzinfo=datetime.UTC)


def test_moving_an_event_in_the_admin_moves_its_agenda_with_it(client, secretariat):
    import datetime

    client.force_login(secretariat)
    client.post("/admin/events/event/add/", _bangkok_workshop_form())
    workshop = Event.objects.get(slug="flood-resilience-workshop")
    session = workshop.sessions.get()
    form = _bangkok_workshop_form(starts_at_0="2027-03-12", ends_at_0="2027-03-12", **{
        "sessions-INITIAL_FORMS": 1, "sessions-0-id": session.pk, "sessions-0-event": workshop.pk})  # fmt: skip
    response = client.post(f"/admin/events/event/{workshop.pk}/change/", form, follow=True)
    assert "agenda session(s) moved with it" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == datetime.datetime(2027, 3, 12, 2, 30, tzinfo=datetime.UTC)


def test_the_check_in_stamp_shows_the_venues_time(client, secretariat, csco_bangkok):
    import datetime

    workshop = event(time_zone="Asia/Bangkok")
    registration = services.registration_self(event=workshop, by=csco_bangkok)
    registration.checked_in_at = datetime.datetime(2027, 3, 10, 2, 5, tzinfo=datetime.UTC)
    registration.save()
    client.force_login(secretariat)  # in Asia/Singapore, where it was 10:05
    desk = client.get(f"/events/{workshop.slug}/check-in/").content.decode()
    assert "Present 09:05" in desk
