"""Events leaving `/api/v1/events/` (unpublished or deleted), told to the programs that mirror it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ascn_portal.api.sync import record_removed

from .models import Event


@receiver(post_save, sender=Event, dispatch_uid="events.sync.saved")
def _saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created and getattr(instance, "loaded_published", None) and not instance.published:
        record_removed("events", [(instance.pk, {"published": True})])
    instance.loaded_published = instance.published


@receiver(post_delete, sender=Event, dispatch_uid="events.sync.deleted")
def _deleted(sender, instance, **kwargs):
    record_removed("events", [(instance.pk, {"published": instance.published})])
