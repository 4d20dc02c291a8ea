"""Deliver the outbox inside a test's own transaction (no worker can see uncommitted rows)."""

from ascn_portal.notifications.choices import EmailState
from ascn_portal.notifications.models import Notification
from ascn_portal.notifications.services import deliver


def deliver_pending() -> dict:
    return deliver(list(Notification.objects.filter(state=EmailState.PENDING).values_list("pk", flat=True)))
