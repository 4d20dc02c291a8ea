"""Celery tasks of the outbox. They take ids, load fresh rows and are safe to run twice."""

from celery import shared_task

from . import services

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(name="notifications.deliver_message", **TASK_OPTIONS)
def deliver_message(message_id: int) -> int:
    """Split a message's pending emails into delivery batches."""
    return services.message_enqueue_pending(message_id=message_id)


@shared_task(name="notifications.deliver", **TASK_OPTIONS)
def deliver(notification_ids: list[int]) -> dict:
    """Send a batch of emails; each is locked while it is sent, so a repeat sends nothing twice."""
    return services.deliver(notification_ids)


@shared_task(name="notifications.sweep_pending", **TASK_OPTIONS)
def sweep_pending() -> int:
    return services.sweep_pending()


@shared_task(name="notifications.send_digests", **TASK_OPTIONS)
def send_digests(frequency: str) -> int:
    return services.send_digests(frequency=frequency)


@shared_task(name="notifications.run_reminders", **TASK_OPTIONS)
def run_reminders(schedule: str) -> int:
    """Run the reminder producers other apps registered for this schedule (events, progress reports)."""
    from .reminders import run

    return run(schedule)
