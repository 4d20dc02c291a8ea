from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from action_plans.selectors import projects_published, projects_visible_to

from . import reports, selectors, services
from .choices import PARTNERSHIP_MOVES, PartnershipStage
from .filtersets import PartnerFilterSet
from .forms import InterestForm
from .matchmaking import Interests, match, recommended_for
from .models import ProjectPartnership


def partner_list(request):
    partners = selectors.partners_visible_to(request.user)
    filterset = PartnerFilterSet(request.GET, queryset=partners)
    valid = filterset.is_valid()
    results = filterset.qs if valid else partners.none()
    page = Paginator(results.order_by("kind", "name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/partner_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_see_contacts": request.user.has_perm("accounts.view_contact_details"),
        },
        status=200 if valid else 400,
    )


@login_required
def recommended(request):
    """A partner's contact: the published projects that fit the partner's interests, best first, with why."""
    partner = services.partners_of(request.user).prefetch_related("focus_areas", "member_states").first()
    if partner is None:
        raise PermissionDenied
    interests = Interests.of(partner)
    projects = recommended_for(
        projects_published().select_related("plan__city__member_state").prefetch_related("focus_areas"), interests
    )
    page = Paginator(projects, 20).get_page(request.GET.get("page"))
    rows = [(project, match(interests, project)) for project in page]
    context = {"partner": partner, "interests": interests, "page": page, "rows": rows, "query": ""}
    return render(request, "partners/recommended.html", context)


@login_required
@require_POST
def express_interest(request, pk):
    project = get_object_or_404(projects_visible_to(request.user), pk=pk)
    partner = services.partners_of(request.user).first()
    if partner is None or not request.user.has_perm("partners.express_interest", project):
        raise PermissionDenied
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.partnership_express_interest(
                project=project, partner=partner, by=request.user, support_type=form.cleaned_data["support_type"],
                amount_usd=form.cleaned_data["amount_usd"], message=form.cleaned_data["message"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Interest sent to {project.plan.city.name} and the secretariat.")
            return redirect("action_plans:project_detail", pk=project.pk)
    from action_plans.views import project_context

    context = project_context(request, project, interest_form=form)
    return render(request, "action_plans/project_detail.html", context, status=400)


@login_required
@require_POST
def partnership_move(request, pk, action):
    partnership = get_object_or_404(selectors.partnerships_visible_to(request.user), pk=pk)
    if action not in PARTNERSHIP_MOVES:
        raise Http404
    if not request.user.has_perm(PARTNERSHIP_MOVES[action].rule, partnership):
        raise PermissionDenied
    try:
        services.partnership_move(partnership=partnership, action=action, by=request.user,
                                  comment=request.POST.get("comment", "")[:5000])  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Done: {PARTNERSHIP_MOVES[action].label.lower()}.")
    return redirect("action_plans:project_detail", pk=partnership.project_id)


@login_required
def pipeline(request):
    """The secretariat's view of every partnership: by stage, member state and partner."""
    if not request.user.has_perm("partners.view_projectpartnership"):
        raise PermissionDenied
    years = ProjectPartnership.objects.filter(finalised_on__isnull=False).dates("finalised_on", "year", order="DESC")
    context = {**selectors.partnership_pipeline(), "stages": PartnershipStage.choices, "years": [d.year for d in years]}
    return render(request, "partners/pipeline.html", context)


@login_required
def finalised(request, year):
    """The finalised list of project partnerships for a year: a page, or `?format=csv` / `?format=xlsx`."""
    if not request.user.has_perm("partners.view_projectpartnership"):
        raise PermissionDenied
    data = reports.rows(selectors.partnerships_finalised(year))
    wanted = request.GET.get("format", "html")
    if wanted == "csv":
        response = HttpResponse(reports.as_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ascn-partnerships-finalised-{year}.csv"'
        return response
    if wanted == "xlsx":
        response = HttpResponse(
            reports.as_xlsx(data, f"Finalised {year}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="ascn-partnerships-finalised-{year}.xlsx"'
        return response
    if wanted != "html":
        return HttpResponse("Choose format=csv or format=xlsx.", status=400, content_type="text/plain")
    return render(request, "partners/finalised.html", {"year": year, "rows": data, "columns": reports.COLUMNS})
