"""Reminders before events, run every hour by Celery beat: 7 days before and 1 day before."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascn_portal.accounts.models import User
from ascn_portal.notifications.reminders import once, reminder
from ascn_portal.notifications.services import notify

from .choices import RegistrationStatus
from .models import Event

WINDOWS = (("7d", datetime.timedelta(days=7)), ("1d", datetime.timedelta(days=1)))


@reminder("hourly")
def remind_registered_of_events(now: datetime.datetime | None = None) -> int:
    """Tell confirmed delegates of an event a week before and a day before it starts, once each.

    A run takes the events that start within a window and were not reminded for that window and
    that start time; an event moved later is reminded again for its new time. The 7-day reminder
    is skipped for an event already within a day, which gets the 1-day one instead.
    """
    now = now or timezone.now()
    sent = 0
    for label, ahead in WINDOWS:
        upcoming = Event.objects.filter(published=True, starts_at__gt=now, starts_at__lte=now + ahead)
        if label == "7d":
            upcoming = upcoming.filter(starts_at__gt=now + datetime.timedelta(days=1))
        for event in upcoming:
            with transaction.atomic():
                if not once(f"event-reminder:{event.pk}:{event.starts_at:%Y%m%dT%H%M}:{label}"):
                    continue
                people = event.registrations.filter(status=RegistrationStatus.CONFIRMED).values("person")
                notify(
                    recipients=User.objects.filter(pk__in=people),
                    kind="event.reminder", link=event.get_absolute_url(),
                    context={"event": event.name, "when": event.when_text, "place": event.place,
                             "venue": event.venue, "days": 7 if label == "7d" else 1},
                )  # fmt: skip
                sent += 1
    return sent
