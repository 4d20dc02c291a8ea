"""`make bench`: one change that notifies 10,000 people, and one worker delivering their emails."""

import time

import pytest

from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import account_create
from ascn_portal.notifications.choices import EmailState
from ascn_portal.notifications.models import Announcement, Notification
from ascn_portal.notifications.services import message_expand
from ascn_portal.testing.services import RedisServer, SMTPServer, WorkerProcess, point_celery_at, wait_for
from partners.models import Partner, PartnerContact

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

RECIPIENTS = 10_000


def test_fan_out_to_ten_thousand_partner_contacts(client):
    partner = Partner.objects.get(slug="japan")
    users = User.objects.bulk_create(
        [User(email=f"contact{n}@partner.example", full_name=f"Contact {n}") for n in range(RECIPIENTS)],
        batch_size=2000,
    )
    PartnerContact.objects.bulk_create([PartnerContact(user=u, partner=partner) for u in users], batch_size=2000)
    staff = account_create(email="sec@asean.example", role="secretariat", full_name="Siti", password="a-Long-passw0rd!")
    client.force_login(staff)

    redis = RedisServer()
    redis.start()
    previous = point_celery_at(redis.broker_url)
    try:
        with SMTPServer() as smtp:
            # A running server has published before: warm this process with a small announcement.
            client.post(
                "/admin/notifications/announcement/add/",
                {
                    "title": "Warm-up",
                    "body": "-",
                    "audience": "nr",
                },
            )
            # The web request: the secretariat publishes an announcement to every partner contact.
            started = time.perf_counter()
            response = client.post(
                "/admin/notifications/announcement/add/",
                {
                    "title": "Call for partners",
                    "body": "New bankable projects.",
                    "audience": "partner_contacts",
                },
            )
            request_seconds = time.perf_counter() - started
            assert response.status_code == 302
            message = Announcement.objects.get(title="Call for partners").message
            assert message.recipient_count == RECIPIENTS

            # Right after commit a worker writes the 10,000 rows; the same function, timed here.
            started = time.perf_counter()
            written = message_expand(message_id=message.pk)
            expand_seconds = time.perf_counter() - started
            assert written == RECIPIENTS == message.notifications.count()

            # One worker process (one pool process) delivers them over SMTP on loopback.
            with WorkerProcess(redis_url=redis.url, email_url=smtp.url):
                started = time.perf_counter()
                wait_for(lambda: len(smtp.handler.messages) >= RECIPIENTS, timeout=600, interval=0.5, what="all emails")
                deliver_seconds = time.perf_counter() - started
            assert not Notification.objects.exclude(state=EmailState.SENT).filter(message=message).exists()
            assert len(smtp.handler.messages) == RECIPIENTS
    finally:
        point_celery_at(previous)
        redis.stop()

    print(
        f"\nfan-out to {RECIPIENTS} recipients"
        f"\n  web request (admin announcement, audience recorded with it): {request_seconds * 1000:.0f} ms"
        f"\n  notification rows written after commit: {expand_seconds * 1000:.0f} ms"
        f" = {written / expand_seconds:,.0f} records per second"
        f"\n  one worker, one pool process, SMTP on loopback: {deliver_seconds:.1f} s"
        f" = {RECIPIENTS / deliver_seconds:,.0f} emails per second"
    )
