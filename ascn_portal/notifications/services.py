"""Notifications: recorded with the change that causes them, delivered after commit, exactly once.

- ``notify()`` writes one ``Message`` and a ``Notification`` per recipient inside the caller's
  transaction (one INSERT ... SELECT, however many recipients) and asks Celery to deliver after
  commit. If Redis is down, the request still succeeds at once and the rows stay pending.
- ``deliver()`` sends each pending email while holding its row lock, so concurrent or repeated
  deliveries (a sweep, a redelivered task) send it once; a worker that dies mid-send releases the
  lock with its connection and the row is sent on redelivery.
- ``sweep_pending()`` re-enqueues what was never enqueued, or waits past its retry time.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from ascn_portal.outages import REDIS, Outage

from .choices import Audience, EmailState, Frequency
from .kinds import KINDS, get_kind
from .models import Announcement, Message, Notification, Preference

User = get_user_model()

logger = logging.getLogger(__name__)
BROKER_AWAY = REDIS  # the task broker is the portal's Redis: one warning per outage, whatever meets it
MAIL_AWAY = Outage("The mail server", "emails are retried with backoff", logger)

UNSUBSCRIBE_SALT = "ascn_portal.notifications.unsubscribe"
ALL_KINDS = "*"


# Writing -------------------------------------------------------------------------------------


def notify(*, recipients: QuerySet | Iterable[User], kind: str, context: dict | None = None, link: str = "") -> Message:
    """Record a notification for each (active) recipient and deliver it after commit.

    Call it inside the transaction of the change that causes it. Up to INLINE_LIMIT recipients get
    their rows at once; a larger audience is recorded as the list of its ids on the message, in the
    same transaction, and a worker writes the rows right after commit (one INSERT ... SELECT), so
    the request stays fast and nobody is lost if Redis or the worker is down (the sweep expands it).
    """
    kind_obj = get_kind(kind)
    if not isinstance(recipients, QuerySet):
        recipients = User.objects.filter(pk__in=[user.pk for user in recipients])
    recipients = recipients.filter(is_active=True).order_by().values("id").distinct()
    limit = settings.NOTIFICATIONS_INLINE_LIMIT
    inline = len(recipients[: limit + 1]) <= limit
    subquery, params = recipients.query.sql_with_params()
    with transaction.atomic():
        message = Message.objects.create(kind=kind, context=context or {}, link=link)
        with connection.cursor() as cursor:
            if inline:
                count = _insert_notifications(message, kind_obj, f"({subquery}) AS r", params)
                cursor.execute(
                    f"UPDATE {Message._meta.db_table} SET recipient_count = %s WHERE id = %s", [count, message.pk]
                )
            else:
                # The whole audience, as it is now, goes on the message in one statement.
                cursor.execute(
                    f"""UPDATE {Message._meta.db_table}
                        SET recipients_to_expand = ARRAY(SELECT r.id FROM ({subquery}) AS r ORDER BY r.id),
                            recipient_count = (SELECT count(*) FROM ({subquery}) AS c)
                        WHERE id = %s RETURNING recipient_count""",
                    [*params, *params, message.pk],
                )
                count = cursor.fetchone()[0]
        message.recipient_count = count
        transaction.on_commit(lambda: enqueue_message(message.pk))
    return message


def _insert_notifications(message: Message, kind, source_sql: str, source_params: list) -> int:
    """One INSERT ... SELECT from a row source with an `id` column (a subquery, or unnest of ids).

    The email state follows each recipient's preference for the kind; a repeat inserts nothing.
    """
    if kind.optional:
        # Without a preference of their own, a person gets the kind's default (a digest, for some).
        default_digest = kind.default_frequency if kind.default_frequency != Frequency.IMMEDIATE else ""
        if not kind.default_email:
            default_state, default_digest = EmailState.SKIPPED, ""
        else:
            default_state = EmailState.DIGEST if default_digest else EmailState.PENDING
        state_sql = """CASE
            WHEN p.id IS NULL THEN %s
            WHEN NOT p.email THEN %s
            WHEN p.frequency = %s THEN %s
            ELSE %s END"""
        state_params = [default_state, EmailState.SKIPPED, Frequency.IMMEDIATE, EmailState.PENDING, EmailState.DIGEST]
        digest_sql = "CASE WHEN p.id IS NULL THEN %s WHEN p.email AND p.frequency <> %s THEN p.frequency ELSE '' END"
        digest_params = [default_digest, Frequency.IMMEDIATE]
    else:
        state_sql, state_params = "%s", [EmailState.PENDING]
        digest_sql, digest_params = "''", []
    sql = f"""
        INSERT INTO {Notification._meta.db_table}
            (message_id, recipient_id, state, digest, attempts, last_error, created_at)
        SELECT %s, r.id, {state_sql}, {digest_sql}, 0, '', %s
        FROM {source_sql}
        LEFT JOIN {Preference._meta.db_table} AS p ON p.user_id = r.id AND p.kind = %s
        ON CONFLICT (message_id, recipient_id) DO NOTHING
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [message.pk, *state_params, *digest_params, message.created_at, *source_params, message.kind],
        )
        return cursor.rowcount


def message_expand(*, message_id: int) -> int:
    """Write the notifications of a large audience recorded on the message; safe to run twice."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or not message.recipients_to_expand:
            return 0
        written = _insert_notifications(
            message, get_kind(message.kind), "unnest(%s::bigint[]) AS r(id)", [message.recipients_to_expand]
        )
        Message.objects.filter(pk=message.pk).update(recipients_to_expand=[])
    return written


# Enqueueing ----------------------------------------------------------------------------------


# After a failed publish, this process stops trying for a while (NOTIFICATIONS_BROKER_PAUSE_SECONDS):
# a request must not wait on a broker that is away (a second attempt can block for seconds).
_broker_paused_until = 0.0


def _publish(task_name: str, *args, **options) -> bool:
    """Hand a task (of `tasks.py`, by name) to the broker; on failure log and return False: the sweep
    will try again."""
    global _broker_paused_until
    if time.monotonic() < _broker_paused_until:
        return False
    try:
        current_app.send_task(task_name, args, retry=False, **options)
    except Exception as error:  # kombu.OperationalError, redis errors, timeouts: the broker is away
        _broker_paused_until = time.monotonic() + settings.NOTIFICATIONS_BROKER_PAUSE_SECONDS
        BROKER_AWAY.failed(error)
        return False
    BROKER_AWAY.answered()
    return True


def broker_pause_reset() -> None:
    global _broker_paused_until
    _broker_paused_until = 0.0


def enqueue_message(message_id: int) -> bool:
    return _publish("notifications.deliver_message", message_id)


def enqueue_pending(notification_ids: list[int], *, countdown: float | None = None) -> int:
    """Enqueue delivery in batches; mark what the broker accepted. Returns how many were enqueued."""
    enqueued = 0
    size = settings.NOTIFICATIONS_BATCH_SIZE
    for start in range(0, len(notification_ids), size):
        batch = notification_ids[start : start + size]
        if not _publish("notifications.deliver", batch, countdown=countdown):
            break
        Notification.objects.filter(pk__in=batch, state=EmailState.PENDING).update(enqueued_at=timezone.now())
        enqueued += len(batch)
    return enqueued


def message_enqueue_pending(*, message_id: int) -> int:
    message_expand(message_id=message_id)
    ids = list(
        Notification.objects.filter(message_id=message_id, state=EmailState.PENDING, enqueued_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return enqueue_pending(ids)


def sweep_pending() -> int:
    """Re-enqueue pending emails that never reached the broker, or whose retry time has come."""
    now = timezone.now()
    for message_id in Message.objects.exclude(recipients_to_expand=[]).values_list("pk", flat=True):
        message_expand(message_id=message_id)
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_REENQUEUE_AFTER_SECONDS)
    ids = list(
        Notification.objects.filter(state=EmailState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_SWEEP_LIMIT]
    )
    return enqueue_pending(ids) if ids else 0


# Delivering ----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user_id: int, kind: str) -> str:
    return _absolute(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind)}))


def render_text(template_name: str, context: dict) -> str:
    """A plain-text part (a subject, an inbox line): written as typed, never HTML-escaped; the pages
    and HTML emails that show it escape it once."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_line(notification: Notification) -> str:
    """The in-app line of a notification."""
    kind = KINDS.get(notification.message.kind)
    if kind is None:
        return notification.message.kind
    context = {**notification.message.context, "recipient": notification.recipient}
    return render_text(kind.template("line.txt"), context).strip()


def build_email(notification: Notification, connection=None) -> EmailMultiAlternatives:
    message = notification.message
    kind = get_kind(message.kind)
    unsubscribe_kind = message.kind if kind.optional else ALL_KINDS
    unsubscribe = unsubscribe_url(notification.recipient_id, unsubscribe_kind)
    context = {
        **message.context,
        "recipient": notification.recipient,
        "link": _absolute(message.link),
        "unsubscribe_url": unsubscribe,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "kind_label": kind.label,
        "kind_optional": kind.optional,
        "line_template": kind.template("line.txt"),
    }
    if kind.extra_context:
        context.update(kind.extra_context(notification))
    subject = " ".join(render_text(kind.template("subject.txt"), context).split())
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(kind.template("body.txt"), context),
        to=[notification.recipient.email],
        connection=connection,
        headers=_headers(f"notification-{notification.pk}.{notification.email_key.hex}", unsubscribe),
    )
    email.attach_alternative(render_to_string(kind.template("body.html"), context), "text/html")
    return email


def _headers(reference: str, unsubscribe: str) -> dict:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "ascn.portal"
    return {
        # The same Message-ID on a repeated send lets receiving servers drop the duplicate.
        "Message-ID": f"<{reference}@{domain}>",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, kept well under the broker's visibility timeout."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    ceiling = settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    delay = min(ceiling, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.2)


@contextmanager
def _mail_connection():
    """One mail server connection for a batch. If it cannot open, each send retries and records why."""
    mail_connection = get_connection()
    try:
        mail_connection.open()
    except Exception as error:  # the sends below record the error per notification
        MAIL_AWAY.failed(error)
    else:
        MAIL_AWAY.answered()
    try:
        yield mail_connection
    finally:
        with suppress(Exception):  # closing a broken connection must not hide the work done
            mail_connection.close()


def deliver(notification_ids: Iterable[int]) -> dict[str, int]:
    """Send the pending emails among these notifications; return counts by outcome."""
    notification_ids = list(notification_ids)
    outcomes: dict[str, int] = defaultdict(int)
    retry: list[tuple[int, float]] = []
    # What the emails say is read once per batch; each row is then locked and sent on its own.
    rows = {
        n.pk: n
        for n in Notification.objects.filter(pk__in=notification_ids, state=EmailState.PENDING).select_related(
            "message", "recipient"
        )
    }
    with _mail_connection() as mail_connection:
        for notification_id in notification_ids:
            notification = rows.get(notification_id)
            if notification is None:
                outcomes["skipped"] += 1
                continue
            outcome, delay = _deliver_one(notification, mail_connection)
            outcomes[outcome] += 1
            if delay is not None:
                retry.append((notification_id, delay))
    if retry:
        enqueue_pending([pk for pk, _ in retry], countdown=max(delay for _, delay in retry))
    return dict(outcomes)


def _deliver_one(notification: Notification, mail_connection) -> tuple[str, float | None]:
    now = timezone.now()
    with transaction.atomic():
        # The row lock is the guard: a second delivery waits for none and finds the row sent; a
        # worker that dies here drops its connection, the lock and its uncommitted "sent" with it.
        locked = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification.pk, state=EmailState.PENDING)
            .values_list("attempts", "next_attempt_at")
            .first()
        )
        if locked is None:
            return "skipped", None  # sent already, or being sent by another worker
        attempts, next_attempt_at = locked
        if next_attempt_at and next_attempt_at > now:
            return "skipped", None  # not due yet; its retry is queued
        attempts += 1
        try:
            build_email(notification, connection=mail_connection).send()
        except Exception as error:  # the mail server refused or is away: retry, then give up
            last_error = f"{type(error).__name__}: {error}"[:2000]
            if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
                logger.error("Notification %s failed for good: %s", notification.pk, last_error)
                changes, outcome, delay = {"state": EmailState.FAILED, "next_attempt_at": None}, "failed", None
            else:
                delay = retry_delay(attempts)
                changes, outcome = {"next_attempt_at": now + timedelta(seconds=delay)}, "retry"
            Notification.objects.filter(pk=notification.pk).update(attempts=attempts, last_error=last_error, **changes)
            return outcome, delay
        Notification.objects.filter(pk=notification.pk).update(
            attempts=attempts, state=EmailState.SENT, sent_at=timezone.now(), next_attempt_at=None
        )
        return "sent", None


def notifications_resend(*, queryset: QuerySet) -> int:
    """Give failed emails a fresh start and enqueue them."""
    ids = list(queryset.filter(state=EmailState.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(
        state=EmailState.PENDING, attempts=0, next_attempt_at=None, enqueued_at=None, last_error=""
    )
    transaction.on_commit(lambda: enqueue_pending(ids))
    return len(ids)


# Digests -------------------------------------------------------------------------------------


def send_digests(*, frequency: str) -> int:
    """Email each person one digest of what waited for this frequency; returns emails sent."""
    user_ids = (
        Notification.objects.filter(state=EmailState.DIGEST, digest=frequency)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    with _mail_connection() as mail_connection:
        for user_id in list(user_ids):
            sent += _send_digest(user_id, frequency, mail_connection)
    return sent


def _send_digest(user_id: int, frequency: str, mail_connection) -> int:
    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("message", "recipient")
            .filter(recipient_id=user_id, state=EmailState.DIGEST, digest=frequency)
            .order_by("message__kind", "created_at")
        )
        if not items:
            return 0
        recipient = items[0].recipient
        groups: dict[str, list] = defaultdict(list)
        for item in items:
            groups[item.message.kind_label].append(
                {"line": render_line(item), "link": _absolute(item.get_absolute_url()), "at": item.created_at}
            )
        unsubscribe = unsubscribe_url(user_id, ALL_KINDS)
        context = {
            "recipient": recipient,
            "groups": dict(groups),
            "count": len(items),
            "frequency": Frequency(frequency).label,
            "unsubscribe_url": unsubscribe,
            "preferences_url": _absolute(reverse("notifications:preferences")),
        }
        email = EmailMultiAlternatives(
            subject=ngettext(
                "Your %(digest)s from the ASCN Portal: %(count)d update",
                "Your %(digest)s from the ASCN Portal: %(count)d updates",
                len(items),
            )
            % {"digest": Frequency(frequency).label.lower(), "count": len(items)},
            body=render_to_string("notifications/digest.txt", context),
            to=[recipient.email],
            connection=mail_connection,
            headers=_headers(f"digest-{frequency}-{items[0].pk}.{items[0].email_key.hex}", unsubscribe),
        )
        email.attach_alternative(render_to_string("notifications/digest.html", context), "text/html")
        email.send()  # an error rolls the locks back: the rows wait for the next run
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            state=EmailState.SENT, sent_at=timezone.now(), attempts=1
        )
        return 1


# Reading and preferences ---------------------------------------------------------------------


def notifications_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications, or all of them, as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def preferences_for(user: User) -> list[dict]:
    """The person's setting for every optional kind, defaults filled in."""
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    rows = []
    for kind in KINDS.values():
        if not kind.optional:
            continue
        pref = saved.get(kind.key)
        rows.append(
            {
                "kind": kind,
                "email": pref.email if pref else kind.default_email,
                "frequency": pref.frequency if pref else kind.default_frequency,
            }
        )
    return rows


def preference_set(*, user: User, kind: str, email: bool, frequency: str) -> Preference:
    kind_obj = get_kind(kind)
    if not kind_obj.optional:
        raise ValueError(f"{kind_obj.label} is always emailed.")
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown frequency {frequency!r}.")
    preference, _ = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email, "frequency": frequency}
    )
    return preference


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn email off for the kind the signed token names (or every optional kind)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)  # raises BadSignature
    user = User.objects.get(pk=data["u"])
    kinds = [k.key for k in KINDS.values() if k.optional] if data["k"] == ALL_KINDS else [data["k"]]
    with transaction.atomic():
        for kind in kinds:
            if kind in KINDS and KINDS[kind].optional:
                Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": False})
    return user, data["k"]


def unsubscribe_describe(token: str) -> tuple[User, str]:
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return User.objects.get(pk=data["u"]), data["k"]


# Announcements -------------------------------------------------------------------------------


# Audience -> a function giving the people in it; the apps that keep offices register theirs.
_AUDIENCES: dict[str, Callable[[], QuerySet]] = {}


def register_audience(audience: str, users: Callable[[], QuerySet]) -> None:
    """Say who is in an audience of announcements (`Audience`), from the app that keeps those offices."""
    _AUDIENCES[audience] = users


def audience_users(audience: str) -> QuerySet[User]:
    """Active people in an audience; the whole network is everyone in any registered audience."""
    if audience == Audience.NETWORK:
        query = Q(pk__in=[])
        for users in _AUDIENCES.values():
            query |= Q(pk__in=users().values("pk"))
    else:
        query = Q(pk__in=_AUDIENCES[audience]().values("pk"))
    return User.objects.filter(query, is_active=True).distinct()


def announcement_publish(*, announcement: Announcement) -> Message:
    """Save the announcement and notify its audience, in one transaction."""
    with transaction.atomic():
        announcement.full_clean()
        announcement.save()
        message = notify(
            recipients=audience_users(announcement.audience),
            kind="network.announcement",
            context={
                "title": announcement.title,
                "body": announcement.body,
                "sender": str(announcement.created_by or "The ASCN Secretariat"),
            },
            link=announcement.link,
        )
        announcement.message = message
        announcement.save(update_fields=["message"])
    return message
