"""Scheduled reminders. Apps register producers; Celery beat runs them.

    from ascn_portal.notifications.reminders import reminder

    @reminder("daily")
    def remind_delegates_of_meetings() -> int:
        ...  # call notify() for what is due; return how many messages were written

Each producer must be idempotent for its day (remember what it reminded of), since a beat run may
be repeated after a restart.
"""

import logging
from collections import defaultdict
from collections.abc import Callable

logger = logging.getLogger(__name__)

PRODUCERS: dict[str, list[Callable[[], int]]] = defaultdict(list)


def reminder(schedule: str):
    def register(producer: Callable[[], int]) -> Callable[[], int]:
        PRODUCERS[schedule].append(producer)
        return producer

    return register


def run(schedule: str) -> int:
    total = 0
    for producer in PRODUCERS.get(schedule, []):
        try:
            total += producer() or 0
        except Exception:  # one failing producer must not stop the others
            logger.exception("Reminder producer %s failed", producer.__name__)
    return total


def once(key: str) -> bool:
    """True the first time a key is claimed (inside the caller's transaction), False after."""
    from .models import ReminderSent

    _, created = ReminderSent.objects.get_or_create(key=key)
    return created
