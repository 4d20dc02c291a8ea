"""iCalendar files: one per event, and a feed of upcoming events to subscribe to."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event

PRODID = "-//ASEAN Smart Cities Network//ASCN Portal//EN"


def _uid(event: Event) -> str:
    """Stable for the life of the event, so a calendar program updates its copy instead of adding one."""
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _component(event: Event, base_url: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", _uid(event))
    item.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    item.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    item.add("sequence", event.sequence)
    item.add("summary", event.name)
    if event.all_day:
        item.add("dtstart", event.local_start.date())
        item.add("dtend", event.last_day + datetime.timedelta(days=1))  # DTEND of a date is exclusive
    else:
        item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        item.add("dtend", event.ends_at.astimezone(datetime.UTC))
    location = ", ".join(part for part in (event.venue, event.place) if part)
    if location:
        item.add("location", location)
    url = base_url + event.get_absolute_url()
    item.add("url", url)
    item.add("description", f"{event.description}\n\n{url}".strip())
    item.add("categories", [event.get_kind_display()])
    item.add("status", "CONFIRMED")
    return item


def calendar_for(events: Iterable[Event], *, base_url: str, name: str) -> bytes:
    """A VCALENDAR of dated events; times in UTC (whole days as dates), so every program reads them alike."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT6H")
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for event in events:
        if event.starts_at:
            calendar.add_component(_component(event, base_url))
    return calendar.to_ical()
