"""The outbox in one process: recording, preferences, delivery, retries, digests, unsubscribe."""

import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ascn_portal.accounts.models import User
from ascn_portal.notifications import services
from ascn_portal.notifications.choices import EmailState, Frequency
from ascn_portal.notifications.models import Notification, Preference
from ascn_portal.testing.outbox import deliver_pending
from ascn_portal.testing.services import SMTPServer

pytestmark = pytest.mark.django_db


def _users(n, prefix="u"):
    return User.objects.bulk_create([User(email=f"{prefix}{i}@example.org", full_name=f"Person {i}") for i in range(n)])


def _announce(recipients, title="Workshop in Da Nang"):
    return services.notify(
        recipients=recipients,
        kind="network.announcement",
        context={"title": title, "body": "Details follow.", "sender": "The ASCN Secretariat"},
        link="/cities/da-nang/",
    )


def test_notify_writes_one_record_per_active_recipient():
    people = _users(3)
    User.objects.filter(pk=people[2].pk).update(is_active=False)
    message = _announce(User.objects.filter(email__startswith="u"))
    assert sorted(n.recipient.email for n in message.notifications.all()) == ["u0@example.org", "u1@example.org"]
    assert set(message.notifications.values_list("state", flat=True)) == {EmailState.PENDING}


def test_notify_belongs_to_the_callers_transaction():
    people = _users(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        _announce(people)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


def test_a_small_audience_gets_its_rows_in_the_same_transaction_in_constant_queries():
    _users(400)
    with CaptureQueriesContext(connection) as ctx:
        message = _announce(User.objects.all())
    assert message.notifications.count() == 400 and message.recipients_to_expand == []
    assert len(ctx) <= 6  # size probe, savepoint, message, one INSERT ... SELECT, its count, release


def test_a_large_audience_is_recorded_with_the_change_and_expanded_once():
    _users(1500)
    with CaptureQueriesContext(connection) as ctx:
        message = _announce(User.objects.all())
    assert len(ctx) <= 5  # size probe, savepoint, message, its audience in one UPDATE, release
    message.refresh_from_db()
    assert message.recipient_count == 1500 and len(message.recipients_to_expand) == 1500
    assert not message.notifications.exists()

    assert services.message_expand(message_id=message.pk) == 1500
    assert services.message_expand(message_id=message.pk) == 0  # a repeat writes nothing
    assert message.notifications.filter(state=EmailState.PENDING).count() == 1500


def test_the_sweep_expands_an_audience_whose_task_never_ran():
    _users(600)
    message = _announce(User.objects.all())
    assert services.sweep_pending() == 600
    message.refresh_from_db()
    assert message.recipients_to_expand == [] and message.notifications.count() == 600


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown notification kind"):
        services.notify(recipients=[], kind="nope")


def test_preferences_decide_the_email_state():
    off, daily, default = _users(3)
    Preference.objects.create(user=off, kind="network.announcement", email=False)
    Preference.objects.create(user=daily, kind="network.announcement", frequency=Frequency.DAILY)
    Preference.objects.create(user=default, kind="account.appointed", email=False)  # another kind
    message = _announce([off, daily, default])
    states = {n.recipient_id: (n.state, n.digest) for n in message.notifications.all()}
    assert states == {
        off.pk: (EmailState.SKIPPED, ""),
        daily.pk: (EmailState.DIGEST, Frequency.DAILY),
        default.pk: (EmailState.PENDING, ""),
    }


def test_a_required_kind_ignores_preferences():
    (person,) = _users(1)
    Preference.objects.create(user=person, kind="account.invitation", email=False)
    message = services.notify(recipients=[person], kind="account.invitation", context={"days": 7})
    assert message.notifications.get().state == EmailState.PENDING


def test_delivery_sends_once_however_often_it_is_asked():
    people = _users(2)
    _announce(people)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert services.deliver(ids) == {"sent": 2}
    assert services.deliver(ids) == {"skipped": 2}
    assert len(mail.outbox) == 2
    email = mail.outbox[0]
    assert email.subject == "ASCN: Workshop in Da Nang"
    assert "http://127.0.0.1:8000/cities/da-nang/" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/notifications/unsubscribe/")
    assert re.match(r"<notification-\d+\.[0-9a-f]{32}@127\.0\.0\.1>", email.extra_headers["Message-ID"])
    notification = Notification.objects.get(recipient=people[0])
    assert (notification.state, notification.attempts) == (EmailState.SENT, 1) and notification.sent_at


def test_a_refusing_mail_server_is_retried_then_marked_failed_with_its_error(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    with SMTPServer() as smtp:
        smtp.use_in_this_process(settings)
        smtp.handler.refuse = "451 4.3.0 Mailbox busy, try again later"
        _announce(_users(1))
        notification = Notification.objects.get()
        assert services.deliver([notification.pk]) == {"retry": 1}
        notification.refresh_from_db()
        assert (notification.state, notification.attempts) == (EmailState.PENDING, 1)
        assert "451" in notification.last_error and notification.next_attempt_at
        assert services.deliver([notification.pk]) == {"failed": 1}
        notification.refresh_from_db()
        assert (notification.state, notification.attempts) == (EmailState.FAILED, 2)
        assert "Mailbox busy" in notification.last_error
        assert smtp.handler.messages == []


def test_retry_delays_grow_and_stay_under_the_visibility_timeout(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    delays = [services.retry_delay(attempt) for attempt in range(1, 12)]
    assert delays[0] < 40 and delays[2] > delays[0] * 2
    assert max(delays) <= 1800 * 1.2 < 3600


def test_the_sweep_enqueues_what_never_reached_the_broker(settings):
    _announce(_users(3))
    assert services.sweep_pending() == 3
    assert Notification.objects.filter(enqueued_at__isnull=False).count() == 3
    assert services.sweep_pending() == 0  # recently enqueued: left alone


def test_a_digest_groups_waiting_notifications_by_kind():
    person, other = _users(2)
    for kind in ("network.announcement", "account.appointed"):
        Preference.objects.create(user=person, kind=kind, frequency=Frequency.DAILY)
    Preference.objects.create(user=other, kind="network.announcement", frequency=Frequency.WEEKLY)
    _announce([person, other], "First")
    _announce([person, other], "Second")
    services.notify(
        recipients=[person],
        kind="account.appointed",
        context={"office": "CSCO of Bangkok", "title": "", "starts_on": "2026-01-01"},
    )

    assert services.send_digests(frequency=Frequency.DAILY) == 1
    (email,) = mail.outbox
    assert email.to == ["u0@example.org"] and email.subject == "Your daily digest from the ASCN Portal: 3 updates"
    body = email.body
    # one heading per kind, each followed by its lines in the order they happened
    assert body.index("A new office for you") < body.index("You are now CSCO of Bangkok")
    assert body.index("You are now CSCO of Bangkok") < body.index("Announcements from the secretariat")
    assert body.index("Announcements from the secretariat") < body.index("Announcement: First")
    assert body.index("Announcement: First") < body.index("Announcement: Second")
    assert body.count("Announcements from the secretariat") == 1
    assert "You are now CSCO of Bangkok" in body
    assert Notification.objects.filter(recipient=person, state=EmailState.SENT).count() == 3
    assert Notification.objects.filter(recipient=other, state=EmailState.DIGEST).count() == 2
    assert services.send_digests(frequency=Frequency.DAILY) == 0  # nothing twice
    assert services.send_digests(frequency=Frequency.WEEKLY) == 1


def test_unsubscribe_works_without_signing_in(client):
    (person,) = _users(1)
    _announce([person])
    deliver_pending()
    url = re.search(r"http://[^/]+(/notifications/unsubscribe/\S+/)", mail.outbox[0].body).group(1)

    page = client.get(url)
    assert page.status_code == 200 and "Stop these emails?" in page.content.decode()
    assert not Preference.objects.exists()  # a link preview changes nothing

    done = client.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert Preference.objects.get(user=person, kind="network.announcement").email is False
    assert _announce([person]).notifications.get().state == EmailState.SKIPPED


def test_a_forged_unsubscribe_link_is_a_404(client):
    (person,) = _users(1)
    token = services.unsubscribe_token(person.pk, "network.announcement")
    assert client.post(f"/notifications/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert not Preference.objects.exists()


def test_unsubscribing_from_an_invitation_stops_all_optional_emails(client):
    (person,) = _users(1)
    client.post(f"/notifications/unsubscribe/{services.unsubscribe_token(person.pk, services.ALL_KINDS)}/")
    from ascn_portal.notifications.kinds import optional_kinds

    turned_off = set(Preference.objects.filter(user=person, email=False).values_list("kind", flat=True))
    assert turned_off == {kind.key for kind in optional_kinds()}
    assert {"account.appointed", "network.announcement"} <= turned_off and "account.invitation" not in turned_off


def test_every_scheduled_job_expires_before_its_next_run(settings):
    from datetime import timedelta

    from celery.schedules import crontab

    from ascn_portal.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    unknown = {entry["task"] for entry in schedule.values()} - set(app.tasks)
    assert not unknown, f"the schedule names tasks no worker knows: {unknown}"
    assert "notifications.sweep_pending" in app.tasks and "spreadsheets.sweep" in app.tasks
    for name, entry in schedule.items():
        every = entry["schedule"]
        period = every if isinstance(every, float) else (86400 if isinstance(every, crontab) else None)
        assert entry["options"]["expires"] < period, name
        assert timedelta(seconds=entry["options"]["expires"]) < timedelta(hours=1, seconds=1)


def test_reminder_producers_run_on_their_schedule_and_one_failure_spares_the_rest():
    from ascn_portal.notifications import reminders

    calls = []

    @reminders.reminder("test-daily")
    def broken():
        raise RuntimeError("boom")

    @reminders.reminder("test-daily")
    def works():
        calls.append(1)
        return 2

    try:
        assert reminders.run("test-daily") == 2 and calls == [1]
    finally:
        reminders.PRODUCERS.pop("test-daily")


def test_an_email_whose_queue_was_lost_is_enqueued_again_within_two_minutes(settings):
    """A worker died mid-send, or Redis lost its queue: the row is still pending, enqueued earlier.
    The minutely sweep takes it again once DJANGO_NOTIFICATIONS_REENQUEUE_AFTER_SECONDS (60) passed."""
    from datetime import timedelta

    from django.utils import timezone

    assert settings.NOTIFICATIONS_REENQUEUE_AFTER_SECONDS == 60
    _announce(_users(2))
    now = timezone.now()
    lost, recent = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=lost.pk).update(enqueued_at=now - timedelta(seconds=61))
    Notification.objects.filter(pk=recent.pk).update(enqueued_at=now - timedelta(seconds=30))
    assert services.sweep_pending() == 1  # the one lost a minute ago; the recent one is still in the queue
    lost.refresh_from_db()
    assert lost.enqueued_at > now
    # Sent once however often it was enqueued: the second delivery finds it sent.
    assert services.deliver([lost.pk]) == {"sent": 1}
    assert services.deliver([lost.pk]) == {"skipped": 1}
