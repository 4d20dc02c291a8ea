"""Reads of plans and projects, scoped by who asks: a hidden plan is a 404 everywhere."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from ascn_portal.policy import is_secretariat, roles_of

from .choices import PlanState
from .models import ActionPlan, PriorityProject, ProgressReport

PUBLISHED = Q(plan__state=PlanState.APPROVED, open_to_partners=True)


def _plan_scope(user) -> Q:
    """Approved plans for everyone; the drafts and reviews of a city for its officers and its NR."""
    if is_secretariat(user):
        return Q()
    roles = roles_of(user)
    return (
        Q(state=PlanState.APPROVED)
        | Q(city_id__in=roles.officer_of_cities)
        | Q(city__member_state_id__in=roles.nr_of_states)
    )


def action_plans_visible_to(user) -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.filter(_plan_scope(user))
        .select_related("city__member_state")
        .prefetch_related("focus_areas", "strategic_outcomes")
    )


def projects_visible_to(user) -> QuerySet[PriorityProject]:
    """Published projects (approved plan, open to partners) for everyone, and what the user's plans hold."""
    scope = (
        Q()
        if is_secretariat(user)
        else PUBLISHED | Q(plan__in=ActionPlan.objects.filter(_plan_scope(user)).exclude(state=PlanState.APPROVED))
    )
    return (
        PriorityProject.objects.filter(scope)
        .select_related("plan__city__member_state")
        .prefetch_related("focus_areas", Prefetch("kpis"))
    )


def projects_published() -> QuerySet[PriorityProject]:
    return PriorityProject.objects.filter(PUBLISHED)


def projects_due_a_report(year: int) -> QuerySet[PriorityProject]:
    """Running projects of approved plans without a progress report for the year."""
    return (
        PriorityProject.objects.filter(plan__state=PlanState.APPROVED)
        .exclude(stage__in=["closed", "cancelled"])
        .annotate(filed=Exists(ProgressReport.objects.filter(project=OuterRef("pk"), year=year)))
        .filter(filed=False)
        .select_related("plan__city")
    )
