from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.functions import RandomUUID
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.coded import CodeCheck

from .choices import Audience, EmailState, Frequency
from .kinds import KINDS


class Message(models.Model):
    """What one change has to say, stored once however many people it goes to."""

    kind = models.CharField(max_length=60, db_index=True)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    link = models.CharField(max_length=500, blank=True, help_text=_("Path of what the message is about."))
    # A large audience is recorded here, with the change, and turned into notifications right after
    # commit (see services.notify); empty once that is done.
    recipients_to_expand = ArrayField(models.BigIntegerField(), default=list, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="notif_msg_expand_idx", condition=~Q(recipients_to_expand=[])),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def kind_label(self):
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class Notification(models.Model):
    """One message to one person: a line in their inbox and, unless they prefer otherwise, an email.

    The row is written in the transaction of the change that caused it; delivery happens after
    commit, and the state says how far it got.
    """

    message = models.ForeignKey(
        Message,
        related_name="notifications",
        on_delete=models.CASCADE,
        db_index=False,  # the unique (message, recipient) index serves it
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="notifications",
        on_delete=models.CASCADE,
        db_index=False,  # the inbox index starts with the recipient
    )
    state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    digest = models.CharField(
        max_length=10, choices=[c for c in Frequency.choices if c[0] != Frequency.IMMEDIATE], blank=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Part of the email's Message-ID: unique even in a database restored or made anew, where ids repeat.
    email_key = models.UUIDField(db_default=RandomUUID(), editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            CodeCheck(field="state", codes=EmailState),
            CodeCheck(field="digest", codes=[Frequency.DAILY, Frequency.WEEKLY], blank=True),
            models.UniqueConstraint(fields=["message", "recipient"], name="notifications_notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
            models.Index(fields=["next_attempt_at"], name="notif_pending_idx", condition=Q(state=EmailState.PENDING)),
            models.Index(fields=["recipient", "digest"], name="notif_digest_idx", condition=Q(state=EmailState.DIGEST)),
            models.Index(fields=["-created_at"], name="notif_failed_idx", condition=Q(state=EmailState.FAILED)),
        ]

    def __str__(self):
        return f"{self.message.kind} to {self.recipient}"

    def get_absolute_url(self):
        return self.message.link or "/notifications/"


class Preference(models.Model):
    """How a person wants to hear about one kind of notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="notification_preferences", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=60)
    email = models.BooleanField(default=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)

    class Meta:
        constraints = [
            CodeCheck(field="frequency", codes=Frequency),
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind}"


class Announcement(models.Model):
    """A message from the secretariat to a part of the network."""

    title = models.CharField(max_length=200)
    body = models.TextField()
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.NETWORK)
    link = models.CharField(max_length=500, blank=True, help_text=_("Optional path on the portal, e.g. /events/"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="announcements", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    message = models.OneToOneField(Message, null=True, blank=True, on_delete=models.PROTECT, editable=False)

    class Meta:
        constraints = [
            CodeCheck(field="audience", codes=Audience),
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class ReminderSent(models.Model):
    """A reminder already sent, by its key, so a repeated beat run does not send it again."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key
