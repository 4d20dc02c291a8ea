"""The published-project catalogue in the browser: the list, a project's page with its
partnerships, a partner's recommended projects and the expression of interest."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from action_plans import selectors as plans
from action_plans.catalogue import CATALOGUE
from action_plans.choices import ProjectStage
from action_plans.filtersets import PriorityProjectFilterSet
from ascn_portal.api.caching import cached_value
from ascn_portal.api.compiled import Compiled
from ascn_portal.errors import Conflict
from ascn_portal.filtering import filtered_page
from cities.models import FocusArea, MemberState
from partners import services as partnerships
from partners.choices import LIVE_STAGES, PARTNERSHIP_MOVES
from partners.forms import ConsortiumFormSet, InterestForm
from partners.selectors import partnerships_visible_to

from .matchmaking import Interests, match, recommended_for


def _facts_key(filterset) -> tuple | None:
    """The filters as a key of what is kept of them (their count, their compiled page), or None for free
    text and amounts, which are counted and compiled as asked."""
    data = filterset.form.cleaned_data
    if any(data.get(name) not in (None, "") for name in ("q", "min_cost", "max_cost")):
        return None
    return tuple(sorted((name, str(getattr(value, "pk", value))) for name, value in data.items() if value))


def _kept_count(filterset, results):
    key = _facts_key(filterset)
    if key is None:
        return None
    return cached_value(CATALOGUE, ("count", "everyone", key), results.count, settings.API_CATALOGUE_FACTS_SECONDS)


def _cards_rows(filterset, results):
    key = _facts_key(filterset) if filterset.is_valid() else None
    return Compiled(lambda: plans.project_list_values(results), None if key is None else ("project-cards", key))


def project_list(request):
    """The published projects, 25 a page, read as plain values (no model instances) and written as cards."""
    found = filtered_page(
        request, PriorityProjectFilterSet, plans.projects_published(), ordering=plans.CATALOGUE_ORDER, per_page=25,
        count=_kept_count, rows=_cards_rows,
    )  # fmt: skip
    states = list(MemberState.objects.order_by("short_name"))
    areas = list(FocusArea.objects.order_by("position", "pk"))
    found.page.object_list = _cards(found.page.object_list, {s.code: s.short_name for s in states},
                                    {a.slug: a.name for a in areas})  # fmt: skip
    context = found.context(member_states=states, focus_areas=areas)
    return render(request, "catalogue/project_list.html", context, status=found.status)


def _usd(value) -> str:
    return f"{value.quantize(Decimal(1), ROUND_HALF_UP):,}"


def _cards(rows, state_names: dict, area_names: dict) -> list[dict]:
    """What a card shows of each project, worked out here rather than looked up by the template."""
    stages = dict(ProjectStage.choices)
    link = reverse("catalogue:project_detail", args=[1])[: -len("1/")]  # the address, asked once
    cards = []
    for row in rows:
        cost = row["estimated_cost_usd"]
        cards.append({
            "url": f"{link}{row['id']}/", "title": row["title"], "summary": row["summary"],
            "place": f"{row['city_name']}, {state_names.get(row['member_state_code'], '')} · {stages[row['stage']]}",
            "cost": None if cost is None else _usd(cost),
            "gap": None if cost is None else _usd(cost - row["funding_secured_usd"]),
            "areas": [area_names[slug] for slug in row["focus_area_slugs"] if slug in area_names],
        })  # fmt: skip
    return cards


def project_detail(request, pk):
    project = get_object_or_404(plans.projects_visible_to(request.user), pk=pk)
    return render(request, "catalogue/project_detail.html", project_context(request, project))


def project_context(request, project, interest_form=None, consortium=None, consortium_errors=()) -> dict:
    """What a project's page shows this person: progress, partnerships and the moves they may make."""
    user = request.user
    found = list(partnerships_visible_to(user).filter(project=project).order_by("-updated_at", "-pk"))
    for partnership in found:
        partnership.moves = [m for k, m in PARTNERSHIP_MOVES.items()
                             if partnership.stage in m.sources and user.has_perm(m.rule, partnership)]  # fmt: skip
    speaking_for = partnerships.partners_of(user).first() if user.is_authenticated else None
    live = [p for p in found if speaking_for and p.partner_id == speaking_for.pk and p.stage in LIVE_STAGES]
    return {
        "project": project,
        "reports": project.progress_reports.all(),
        "may_report": user.has_perm("action_plans.file_progress", project),
        "partnerships": found,
        "speaking_for": speaking_for,
        "may_express_interest": bool(speaking_for) and not live and user.has_perm("partners.express_interest", project),
        "interest_form": interest_form or InterestForm(initial={"support_type": (project.support_sought or [None])[0]}),
        "consortium": consortium or ConsortiumFormSet(prefix="consortium"),
        "consortium_errors": consortium_errors,
    }


@login_required
def recommended(request):
    """A partner's contact: the published projects that fit the partner's interests, best first, with why."""
    partner = partnerships.partners_of(request.user).prefetch_related("focus_areas", "member_states").first()
    if partner is None:
        raise PermissionDenied
    interests = Interests.of(partner)
    projects = recommended_for(
        plans.projects_published().select_related("plan__city__member_state").prefetch_related("focus_areas"),
        interests,
    )
    page = Paginator(projects, 20).get_page(request.GET.get("page"))
    rows = [(project, match(interests, project)) for project in page]
    context = {"partner": partner, "interests": interests, "page": page, "rows": rows, "query": ""}
    return render(request, "catalogue/recommended.html", context)


@login_required
@require_POST
def express_interest(request, pk):
    project = get_object_or_404(plans.projects_visible_to(request.user), pk=pk)
    partner = partnerships.partners_of(request.user).first()
    if partner is None or not request.user.has_perm("partners.express_interest", project):
        raise PermissionDenied
    form = InterestForm(request.POST)
    # A program posting without the consortium rows proposes alone.
    consortium = ConsortiumFormSet(request.POST if "consortium-TOTAL_FORMS" in request.POST else None,
                                   prefix="consortium")  # fmt: skip
    consortium_errors = []
    if form.is_valid() and (not consortium.is_bound or consortium.is_valid()):
        try:
            partnerships.partnership_express_interest(
                project=project, partner=partner, by=request.user, support_type=form.cleaned_data["support_type"],
                amount_usd=form.cleaned_data["amount_usd"], message=form.cleaned_data["message"],
                consortium=consortium.members() if consortium.is_bound else [],
            )  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict") and "consortium" in error.error_dict:
                consortium_errors = error.message_dict["consortium"]
            else:
                form.add_error(None, error.messages)
        except Conflict as error:  # a live partnership already: said beside the form
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Interest sent to {project.plan.city.name} and the secretariat.")
            return redirect("catalogue:project_detail", pk=project.pk)
    consortium_errors = [*consortium_errors, *consortium.non_form_errors()] if consortium.is_bound else []
    context = project_context(request, project, interest_form=form, consortium=consortium,
                              consortium_errors=consortium_errors)  # fmt: skip
    return render(request, "catalogue/project_detail.html", context, status=400)
