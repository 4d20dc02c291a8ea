"""Projects leaving lists, told to the programs that mirror `/api/v1/projects/` (`ascn_portal.api.sync`).

Who sees a project depends on its plan's state, its openness to partners and its city
(`selectors.project_visibility`); when one of them changes, or the project goes, its values as they
were are kept in a tombstone, and each reader who saw it then and does not now is told it left.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ascn_portal.api.sync import record_removed

from .choices import PlanState
from .models import ActionPlan, PriorityProject

RESOURCE = "projects"


def _seen_by(project_open: bool, state: str, city_id: int, member_state_id: str) -> dict:
    return {"plan__state": state, "open_to_partners": project_open, "plan__city_id": city_id,
            "plan__city__member_state_id": member_state_id}  # fmt: skip


def plan_state_changed(plan: ActionPlan, from_state: str) -> None:
    """The plan moved from `from_state`: each of its projects as it was seen before. Between the states
    of a plan under way, its readers (its city's officers, its NR, the secretariat) stay the same."""
    if PlanState.APPROVED not in (from_state, plan.state):
        return
    projects = PriorityProject.objects.filter(plan=plan).values_list("pk", "open_to_partners")
    member_state = plan.city.member_state_id
    record_removed(
        RESOURCE, [(pk, _seen_by(is_open, from_state, plan.city_id, member_state)) for pk, is_open in projects]
    )


@receiver(post_save, sender=ActionPlan, dispatch_uid="action_plans.sync.plan_saved")
def _plan_saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "loaded_state", None)
    if not raw and not created and before is not None and before != instance.state:
        plan_state_changed(instance, before)
    instance.loaded_state = instance.state


@receiver(post_save, sender=PriorityProject, dispatch_uid="action_plans.sync.project_saved")
def _project_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created and getattr(instance, "loaded_open", None) and not instance.open_to_partners:
        plan = instance.plan
        seen = _seen_by(True, plan.state, plan.city_id, plan.city.member_state_id)
        record_removed(RESOURCE, [(instance.pk, seen)])
    instance.loaded_open = instance.open_to_partners


@receiver(post_delete, sender=PriorityProject, dispatch_uid="action_plans.sync.project_deleted")
def _project_deleted(sender, instance, **kwargs):
    plan = ActionPlan.objects.filter(pk=instance.plan_id).values("state", "city_id", "city__member_state_id").first()
    if plan is not None:
        seen = _seen_by(instance.open_to_partners, plan["state"], plan["city_id"], plan["city__member_state_id"])
        record_removed(RESOURCE, [(instance.pk, seen)])
