"""The published-project catalogue in the browser: the list, a project's page with its
partnerships, a partner's recommended projects and the expression of interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from action_plans import selectors as plans
from action_plans.filtersets import PriorityProjectFilterSet
from ascn_portal.filtering import filtered_page
from partners import services as partnerships
from partners.choices import LIVE_STAGES, PARTNERSHIP_MOVES
from partners.forms import ConsortiumFormSet, InterestForm
from partners.selectors import partnerships_visible_to

from .matchmaking import Interests, match, recommended_for


def project_list(request):
    published = plans.projects_published().select_related("plan__city__member_state").prefetch_related("focus_areas")
    found = filtered_page(
        request, PriorityProjectFilterSet, published, ordering=("plan__city__name", "position", "pk"), per_page=25
    )
    return render(request, "catalogue/project_list.html", found.context(), status=found.status)


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
        else:
            messages.success(request, f"Interest sent to {project.plan.city.name} and the secretariat.")
            return redirect("catalogue:project_detail", pk=project.pk)
    consortium_errors = [*consortium_errors, *consortium.non_form_errors()] if consortium.is_bound else []
    context = project_context(request, project, interest_form=form, consortium=consortium,
                              consortium_errors=consortium_errors)  # fmt: skip
    return render(request, "catalogue/project_detail.html", context, status=400)
