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
