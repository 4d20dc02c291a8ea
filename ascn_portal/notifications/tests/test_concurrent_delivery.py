"""Two deliveries of one notification at once, each on its own database connection, send one email."""

import threading
import time

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from ascn_portal.accounts.models import User
from ascn_portal.notifications import services
from ascn_portal.notifications.choices import EmailState


class SlowBackend(EmailBackend):
    """A mail server that takes its time, so the second delivery arrives while the first is sending."""

    def send_messages(self, messages):
        time.sleep(0.5)
        return super().send_messages(messages)


def test_two_deliveries_of_one_notification_at_once_send_one_email(settings, transactional_db):
    settings.EMAIL_BACKEND = "ascn_portal.notifications.tests.test_concurrent_delivery.SlowBackend"
    person = User.objects.create_user("twice@example.org", full_name="Tess Twice")
    message = services.notify(
        recipients=[person], kind="network.announcement",
        context={"title": "Annual meeting", "body": "Details follow.", "sender": "The ASCN Secretariat"},
    )  # fmt: skip
    notification = message.notifications.get()
    mail.outbox = []
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            start.wait(timeout=10)
            outcomes.append(services.deliver([notification.pk]))
        finally:
            connection.close()  # each thread had a connection of its own, as two workers do

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(mail.outbox) == 1
    assert sorted(tuple(sorted(o)) for o in outcomes) == [("sent",), ("skipped",)]
    notification.refresh_from_db()
    assert notification.state == EmailState.SENT and notification.attempts == 1
