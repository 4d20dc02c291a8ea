"""Reads of plans and projects, scoped by who asks: a hidden plan is a 404 everywhere."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from ascn_portal.policy import is_secretariat, roles_of
from cities.models import FocusArea

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


def project_audience(user) -> str | None:
    """Whom this user sees the same projects as: "everyone" (published projects only), "secretariat"
    (all projects), or None when the user's own cities' drafts are among them."""
    if is_secretariat(user):
        return "secretariat"
    roles = roles_of(user)
    return None if roles.officer_of_cities or roles.nr_of_states else "everyone"


def _project_scope(user) -> Q:
    audience = project_audience(user)
    if audience == "secretariat":
        return Q()
    if audience == "everyone":
        return PUBLISHED  # no plans of one's own: nothing to look up
    return PUBLISHED | Q(plan__in=ActionPlan.objects.filter(_plan_scope(user)).exclude(state=PlanState.APPROVED))


def projects_visible_to(user) -> QuerySet[PriorityProject]:
    """Published projects (approved plan, open to partners) for everyone, and what the user's plans hold."""
    scope = _project_scope(user)
    return (
        PriorityProject.objects.filter(scope)
        .select_related("plan__city__member_state")
        .prefetch_related("focus_areas", Prefetch("kpis"))
    )


LIST_VALUES = (
    "id", "title", "summary", "plan_id", "stage", "location", "starts_on", "ends_on", "estimated_cost_usd",
    "funding_secured_usd", "support_sought", "open_to_partners", "updated_at",
)  # fmt: skip


def project_list_values(projects: QuerySet[PriorityProject], *, focus_area_ids: bool = False) -> QuerySet:
    """A list's projects as plain values in one query: city, member state and focus areas joined in.

    No model instances, no prefetch queries: a page of 500 costs the database one statement and
    Python a dict per row. `focus_area_ids` adds the ids as well, which matchmaking needs.
    """
    areas = FocusArea.objects.filter(projects=OuterRef("pk")).order_by("position", "pk")
    extra = {"focus_area_ids": ArraySubquery(areas.values("pk"))} if focus_area_ids else {}
    return (
        projects.select_related(None)
        .prefetch_related(None)
        .annotate(
            city_slug=F("plan__city__slug"),
            member_state_id=F("plan__city__member_state_id"),
            member_state_code=F("plan__city__member_state__code"),
            focus_area_slugs=ArraySubquery(areas.values("slug")),
            **extra,
        )
        .values(*LIST_VALUES, "city_slug", "member_state_id", "member_state_code", "focus_area_slugs", *extra)
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
