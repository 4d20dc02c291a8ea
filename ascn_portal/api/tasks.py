"""Housekeeping of the API's records."""

from celery import shared_task

from .idempotency import idempotency_keys_expire


@shared_task(name="api.expire_idempotency_keys", ignore_result=True)
def expire_idempotency_keys() -> int:
    """Forget idempotency keys older than a day (a retry comes within minutes, not days)."""
    return idempotency_keys_expire()


@shared_task(name="api.expire_tombstones", ignore_result=True)
def expire_tombstones() -> int:
    """Forget removals older than the time a mirror may ask from (`api.sync.TOMBSTONE_DAYS`)."""
    from .sync import expire_tombstones as expire

    return expire()


@shared_task(name="api.delete_expired_tokens", ignore_result=True)
def delete_expired_tokens() -> int:
    """Delete API tokens past their expiry (they no longer sign anyone in)."""
    from django.utils import timezone
    from knox.models import AuthToken

    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
