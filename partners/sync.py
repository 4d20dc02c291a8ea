"""Twinnings and partnerships leaving their lists (deleted by the secretariat), told to mirrors."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from action_plans.models import PriorityProject
from ascn_portal.api.sync import record_removed

from .models import ProjectPartnership, Twinning


@receiver(post_delete, sender=Twinning, dispatch_uid="partners.sync.twinning_deleted")
def _twinning_deleted(sender, instance, **kwargs):
    record_removed("twinnings", [(instance.pk, {})])  # twinnings are public


@receiver(post_delete, sender=ProjectPartnership, dispatch_uid="partners.sync.partnership_deleted")
def _partnership_deleted(sender, instance, **kwargs):
    """Kept with its sides (`selectors.partnership_visibility`), so only they are told."""
    city = (
        PriorityProject.objects.filter(pk=instance.project_id)
        .values("plan__city_id", "plan__city__member_state_id")
        .first()
        or {}
    )
    record_removed("partnerships", [(instance.pk, {
        "partner_id": instance.partner_id, "project__plan__city_id": city.get("plan__city_id"),
        "project__plan__city__member_state_id": city.get("plan__city__member_state_id"),
    })])  # fmt: skip
