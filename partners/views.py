from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ascn_portal import exports
from ascn_portal.errors import Conflict
from ascn_portal.filtering import filtered_page

from . import reports, selectors, services
from .choices import PARTNERSHIP_MOVES, PartnershipStage
from .filtersets import PartnerFilterSet
from .forms import PartnerProfileForm
from .models import Partner, ProjectPartnership


def partner_list(request):
    partners = selectors.partners_visible_to(request.user)
    found = filtered_page(request, PartnerFilterSet, partners, ordering=("kind", "name"), per_page=50)
    context = found.context(may_see_contacts=request.user.has_perm("accounts.view_contact_details"))
    return render(request, "partners/partner_list.html", context, status=found.status)


def partner_detail(request, slug):
    """A partner's public page: who they are, what they seek, the cities they are twinned with."""
    partner = get_object_or_404(selectors.partners_visible_to(request.user), slug=slug)
    context = {
        "partner": partner,
        "twinnings": selectors.twinnings_visible_to(request.user).filter(partner=partner)
        .order_by("-status", "-starts_on", "city__name"),
        "may_see_contacts": request.user.has_perm("accounts.view_contact_details"),
        "may_edit": request.user.has_perm("partners.act_for_partner", partner),
    }  # fmt: skip
    return render(request, "partners/partner_detail.html", context)


@login_required
def partner_profile(request, slug):
    """A partner's contacts keep its description and interests here; the secretariat may too."""
    partner = get_object_or_404(selectors.partners_visible_to(request.user), slug=slug)
    if not request.user.has_perm("partners.act_for_partner", partner):
        raise PermissionDenied
    form = PartnerProfileForm(request.POST or None, instance=Partner.objects.get(pk=partner.pk))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.partner_profile_update(
                    partner=partner, by=request.user, focus_areas=data.pop("focus_areas"),
                    member_states=data.pop("member_states"), **data,
                )  # fmt: skip
            except ValidationError as error:
                for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "The profile is saved; recommendations follow it at once.")
                return redirect("partners:partner_detail", slug=partner.slug)
    return render(request, "partners/partner_profile.html", {"partner": partner, "form": form}, status=status)


def twinning_board(request):
    """The twinning programme: every city with its partner by member state, the cities still
    without one, and each partner's cities."""
    board = selectors.twinning_board()
    return render(request, "partners/twinning_board.html", board)


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
    except Conflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(PARTNERSHIP_MOVES[action].done))
    return redirect("catalogue:project_detail", pk=partnership.project_id)


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
    filename = f"ascn-partnerships-finalised-{year}"
    if wanted == "csv":
        return exports.csv_response(f"{filename}.csv", reports.COLUMNS, data)
    if wanted == "xlsx":
        return exports.xlsx_response(f"{filename}.xlsx", [(f"Finalised {year}", reports.COLUMNS, data)])
    if wanted != "html":
        return HttpResponse("Choose format=csv or format=xlsx.", status=400, content_type="text/plain")
    return render(
        request, "partners/finalised.html", {"year": year, "rows": data, "columns": [c.header for c in reports.COLUMNS]}
    )
