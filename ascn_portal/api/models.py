from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """The first answer to a write sent with an `Idempotency-Key` header, replayed to its retries.

    Keys belong to the person who sent them and are kept for a day (the sweep removes older ones).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body")
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotencykey_once_per_user")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"


class Tombstone(models.Model):
    """A row that left a list partners mirror (unpublished, hidden or deleted), so that a program
    syncing with `updated_since=` knows to delete its copy (see `ascn_portal.api.sync`).

    `seen_by` keeps the row's values, as they were before, that decided who saw it (say a project's
    plan state, its openness and its city): only readers who saw the row are told it left.
    """

    resource = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    removed_at = models.DateTimeField(default=timezone.now)
    seen_by = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["resource", "removed_at"], name="api_tombstone_resource_time"),
            models.Index(fields=["resource", "object_id"], name="api_tombstone_resource_id"),
        ]

    def __str__(self):
        return f"{self.resource} {self.object_id} removed {self.removed_at:%Y-%m-%d %H:%M}"
