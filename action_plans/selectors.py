"""Reads of plans and projects, scoped by who asks: a hidden plan is a 404 everywhere."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from ascn_portal.accounts.offices import is_secretariat
from ascn_portal.visibility import Visibility
from cities.models import FocusArea
from cities.offices import roles_of
from cities.pages import city_page_section

from .choices import PlanState
from .models import ActionPlan, PriorityProject, ProgressReport

# A published project: its plan approved and the project open to partners. Asked of one project by
# its plan (`PUBLISHED.admits`), and of a list by the column the database keeps (`PUBLISHED_Q`).
PUBLISHED_CLAUSE = {"plan__state": {PlanState.APPROVED}, "open_to_partners": {True}}
PUBLISHED = Visibility.of(PUBLISHED_CLAUSE)
PUBLISHED_Q = Q(published=True)
CATALOGUE_ORDER = ("city_name", "position", "id")  # the published list's order, as its index has it
UNDER_WAY = frozenset(PlanState.values) - {PlanState.APPROVED}


def plan_visibility(user) -> Visibility:
    """Approved plans for everyone; the drafts and reviews of a city for its officers and its NR."""
    roles = roles_of(user)
    return Visibility.of(
        {"state": {PlanState.APPROVED}},
        {"city_id": roles.officer_of_cities},
        {"city__member_state_id": roles.nr_of_states},
        everything=is_secretariat(user),
    )


def project_visibility(user) -> Visibility:
    """Published projects for everyone; the projects of the plans under way that the user follows."""
    roles = roles_of(user)
    return Visibility.of(
        PUBLISHED_CLAUSE,
        {"plan__city_id": roles.officer_of_cities, "plan__state": UNDER_WAY},
        {"plan__city__member_state_id": roles.nr_of_states, "plan__state": UNDER_WAY},
        everything=is_secretariat(user),
    )


def action_plans_visible_to(user) -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.filter(plan_visibility(user).q())
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


def project_visibility_q(user) -> Q:
    """`project_visibility(user).q()`, its published clause read from the column the database keeps."""
    visibility = project_visibility(user)
    if visibility.everything:
        return Q()
    published = Visibility.of(PUBLISHED_CLAUSE).clauses[0]
    others = Visibility(clauses=tuple(c for c in visibility.clauses if c != published))
    return PUBLISHED_Q | others.q() if others.clauses else PUBLISHED_Q


def projects_visible_to(user) -> QuerySet[PriorityProject]:
    """Published projects (approved plan, open to partners) for everyone, and what the user's plans hold."""
    return (
        PriorityProject.objects.filter(project_visibility_q(user))
        .select_related("plan__city__member_state")
        .prefetch_related("focus_areas", Prefetch("kpis"))
    )


LIST_VALUES = (
    "id", "title", "summary", "plan_id", "stage", "location", "starts_on", "ends_on", "estimated_cost_usd",
    "funding_secured_usd", "support_sought", "open_to_partners", "updated_at", "city_name",
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
        .annotate(  # the city and member state the database keeps on each project: no join through the plan
            city_slug=F("catalogue_city__slug"),
            member_state_id=F("catalogue_member_state_id"),
            member_state_code=F("catalogue_member_state__code"),
            focus_area_slugs=ArraySubquery(areas.values("slug")),
            **extra,
        )
        .values(*LIST_VALUES, "city_slug", "member_state_id", "member_state_code", "focus_area_slugs", *extra)
    )


def projects_published() -> QuerySet[PriorityProject]:
    return PriorityProject.objects.filter(PUBLISHED_Q)


def projects_due_a_report(year: int) -> QuerySet[PriorityProject]:
    """Running projects of approved plans without a progress report for the year."""
    return (
        PriorityProject.objects.filter(plan__state=PlanState.APPROVED)
        .exclude(stage__in=["closed", "cancelled"])
        .annotate(filed=Exists(ProgressReport.objects.filter(project=OuterRef("pk"), year=year)))
        .filter(filed=False)
        .select_related("plan__city")
    )


@city_page_section
def city_plans(request, city) -> dict:
    """A city's page: the plans this person may see, with their projects, and whether they may start one."""
    return {
        "plans": action_plans_visible_to(request.user).filter(city=city).prefetch_related("projects"),
        "may_start_plan": request.user.has_perm("action_plans.create_plan", city),
    }


def progress_reports_visible_to(user) -> QuerySet[ProgressReport]:
    """Reports of approved plans' projects (what members of the network read), with their city."""
    return ProgressReport.objects.filter(project__plan__state=PlanState.APPROVED).select_related(
        "project__plan__city__member_state"
    )
