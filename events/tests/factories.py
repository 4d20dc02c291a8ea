import datetime
import itertools

from django.utils import timezone

from events.models import Event

_numbers = itertools.count(1)


def event(**fields) -> Event:
    """An upcoming workshop in Singapore, open for registration, 30 days from now, 09:00-17:00."""
    start = (timezone.now() + datetime.timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)
    n = next(_numbers)
    defaults = {
        "name": f"Smart Cities Workshop {n}", "slug": f"smart-cities-workshop-{n}", "kind": "workshop",
        "starts_at": start, "ends_at": start + datetime.timedelta(hours=8), "time_zone": "Asia/Singapore",
        "place": "Singapore", "venue": "Marina Bay Sands Expo", "audience": "network", "capacity": 10,
        "registration_opens_at": timezone.now() - datetime.timedelta(days=1),
    }  # fmt: skip
    values = {**defaults, **fields}
    item = Event(**values)
    item.full_clean()
    item.save()
    return item
