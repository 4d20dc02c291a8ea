"""Delivery through a real Redis and real Celery workers (no eager mode).

The rows must be committed for a worker to see them, so these tests are transactional.
"""

import os
import signal
import time

import pytest
from django.core import mail

from ascn_portal.accounts.services import account_create, user_invite
from ascn_portal.notifications.choices import EmailState
from ascn_portal.notifications.models import Notification
from ascn_portal.notifications.tasks import sweep_pending
from ascn_portal.testing.services import SMTPServer, WorkerProcess, wait_for
from cities.models import City
from partners.models import Partner

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def secretariat_client(client, transactional_db):
    staff = account_create(email="sec@asean.example", role="secretariat", full_name="Siti", password="a-Long-passw0rd!")
    client.force_login(staff)
    return client


def _invite_from_admin(client, email):
    """The secretariat's action: create a person, then press "Send an invitation" in the admin."""
    person = account_create(email=email, role="csco", city=City.objects.get(slug="phnom-penh"), password=None)
    started = time.perf_counter()
    response = client.post("/admin/accounts/user/", {"action": "invite", "_selected_action": [person.pk]})
    return person, response, time.perf_counter() - started


def test_an_invitation_is_delivered_by_the_worker(secretariat_client, celery_worker_thread):
    person, response, _ = _invite_from_admin(secretariat_client, "officer@phnompenh.example")
    assert response.status_code == 302
    wait_for(lambda: [m for m in mail.outbox if m.to == [person.email]], what="the invitation email")
    # The email leaves inside the worker's transaction; the row reads "sent" once that commits.
    wait_for(lambda: Notification.objects.get(recipient=person).state == EmailState.SENT, what="the row marked sent")
    notification = Notification.objects.get(recipient=person)
    assert notification.state == EmailState.SENT and notification.attempts == 1
    assert "/accounts/invitation/" in mail.outbox[-1].body


def test_a_refusing_mail_server_is_retried_by_the_worker_and_finally_marked_failed(
    settings, celery_worker_thread, transactional_db
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0.3
    with SMTPServer() as smtp:
        smtp.use_in_this_process(settings)  # the worker thread shares these settings
        smtp.handler.refuse = "451 4.3.0 Mailbox busy, try again later"
        person = account_create(email="busy@example.org", role="partner", partner=Partner.objects.get(slug="japan"))
        user_invite(user=person)
        notification = Notification.objects.get(recipient=person)
        wait_for(
            lambda: Notification.objects.get(pk=notification.pk).state == EmailState.FAILED,
            timeout=30,
            what="the notification to be marked failed",
        )
        notification.refresh_from_db()
        assert notification.attempts == 3
        assert "SMTPRecipientsRefused" in notification.last_error and "Mailbox busy" in notification.last_error
        assert smtp.handler.messages == []


def test_with_redis_down_the_action_succeeds_at_once_and_the_email_follows_when_redis_returns(
    secretariat_client, own_redis
):
    with SMTPServer() as smtp, WorkerProcess(redis_url=own_redis.url, email_url=smtp.url):
        own_redis.stop()
        person, response, elapsed = _invite_from_admin(secretariat_client, "offline@example.org")
        assert response.status_code == 302
        assert elapsed < 1.0, f"the action took {elapsed:.2f}s with Redis down"
        print(f"\n[measured] admin invite with Redis down: {elapsed * 1000:.0f} ms")
        notification = Notification.objects.get(recipient=person)
        assert notification.state == EmailState.PENDING and notification.enqueued_at is None

        own_redis.start()
        wait_for(lambda: _publishes(), timeout=30, what="the broker to take the sweep")
        wait_for(lambda: smtp.handler.to(person.email), timeout=30, what="the invitation after Redis returned")
        # The email leaves before the worker commits "sent" (the row stays locked until then).
        wait_for(lambda: Notification.objects.get(pk=notification.pk).state == EmailState.SENT, timeout=10,
                 what="the worker to record the invitation as sent")  # fmt: skip
        time.sleep(1)
        assert len(smtp.handler.to(person.email)) == 1


def _publishes() -> bool:
    try:
        sweep_pending.apply_async(retry=False)  # what Celery beat does every minute
    except Exception:
        return False
    return True


def test_a_worker_killed_mid_send_leads_to_one_email(secretariat_client, own_redis):
    with (
        SMTPServer() as smtp,
        WorkerProcess(redis_url=own_redis.url, email_url=smtp.url) as worker,
    ):
        smtp.handler.stalls = [30]  # the first delivery hangs at the mail server
        person, response, _ = _invite_from_admin(secretariat_client, "killed@example.org")
        assert response.status_code == 302
        assert smtp.handler.rcpt_seen.wait(30), worker.output()[-3000:]
        (child,) = worker.pool_children()
        os.kill(child, signal.SIGKILL)  # the pool process dies in the middle of the task

        wait_for(lambda: smtp.handler.to(person.email), timeout=40, what="the email after the worker died")
        time.sleep(1)
        assert len(smtp.handler.to(person.email)) == 1
        notification = Notification.objects.get(recipient=person)
        assert notification.state == EmailState.SENT
        assert "WorkerLostError" in worker.output() or "SIGKILL" in worker.output()
