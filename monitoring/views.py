"""Pages of the monitoring round, the roll-up and the year's report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from action_plans import selectors as plan_selectors
from action_plans import services as plans
from ascn_portal.errors import Conflict
from ascn_portal.exports import XLSX_TYPE
from ascn_portal.forms import add_service_errors
from cities.models import City

from . import charts, offline, services
from .choices import EDITABLE, REPORT_MOVES
from .forms import CommentForm, ProjectReportForm, RoundForm
from .models import CityReport, MonitoringRound
from .rollup import network_view
from .selectors import city_round, current_round, projects_in_round, round_overview


def _overview(request, round_: MonitoringRound | None, status=200, form=None):
    user = request.user
    context = {
        "round": round_,
        "standings": round_overview(round_) if round_ else [],
        "may_open": user.has_perm("monitoring.open_round"),
        "form": form or RoundForm(),
        "own_cities": [],
    }
    if round_:
        from cities.offices import roles_of

        officer_of = roles_of(user).officer_of_cities
        context["own_cities"] = [s for s in context["standings"] if s.city.pk in officer_of]
    return render(request, "monitoring/round.html", context, status=status)


@login_required
def round_current(request):
    if not request.user.has_perm("monitoring.view_round"):
        raise PermissionDenied
    return _overview(request, current_round())


@login_required
def round_detail(request, year):
    if not request.user.has_perm("monitoring.view_round"):
        raise PermissionDenied
    return _overview(request, get_object_or_404(MonitoringRound, year=year))


@login_required
@require_POST
def round_open(request):
    if not request.user.has_perm("monitoring.open_round"):
        raise PermissionDenied
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.round_open(year=form.cleaned_data["year"], deadline=form.cleaned_data["deadline"],
                                         note=form.cleaned_data["note"], by=request.user)  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        except Conflict as error:
            form.add_error("year", str(error))
        else:
            messages.success(request, f"The {round_.year} round is open; the cities' officers are told.")
            return redirect("monitoring:current")
    return _overview(request, current_round(), status=400, form=form)


def _city_report_page(request, year, slug):
    round_ = get_object_or_404(MonitoringRound, year=year)
    city = get_object_or_404(City.objects.select_related("member_state"), slug=slug)
    report = CityReport.objects.filter(round=round_, city=city).first() or CityReport(round=round_, city=city)
    if not request.user.has_perm("monitoring.view_city_report", report):
        raise Http404
    return round_, city, report


@login_required
def city_report(request, year, slug, comment_form=None, status=200, template_errors=()):
    round_, city, report = _city_report_page(request, year, slug)
    found = city_round(round_, city)
    user = request.user
    moves = [m for m in REPORT_MOVES.values() if report.state in m.sources and user.has_perm(m.rule, report)]
    context = {
        "round": round_, "city": city, "report": report, "found": found, "moves": moves,
        "editable": report.state in EDITABLE,
        "may_file": bool(found.rows) and user.has_perm("action_plans.file_progress", found.rows[0][0]),
        "comment_form": comment_form or CommentForm(initial={"version": report.version}),
        "transitions": report.transitions.select_related("by") if report.pk else [],
        "template_errors": template_errors,
    }  # fmt: skip
    return render(request, "monitoring/city_report.html", context, status=status)


@login_required
@require_POST
def city_report_move(request, year, slug, action):
    round_, city, report = _city_report_page(request, year, slug)
    if action not in REPORT_MOVES:
        raise Http404
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        services.city_report_move(round_=round_, city=city, action=action, by=request.user,
                                  comment=form.cleaned_data.get("comment", ""),
                                  version=form.cleaned_data.get("version"))  # fmt: skip
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return city_report(request, year, slug, comment_form=form, status=400)
    except Conflict as error:
        messages.error(request, str(error))
        return city_report(request, year, slug, comment_form=form, status=409)
    messages.success(request, str(REPORT_MOVES[action].done))
    return redirect("monitoring:city_report", year=year, slug=slug)


@login_required
def project_report(request, year, slug, pk):
    round_, city, report = _city_report_page(request, year, slug)
    project = get_object_or_404(projects_in_round(year).filter(plan__city=city).select_related("plan"), pk=pk)
    if not request.user.has_perm("action_plans.file_progress", project):
        raise PermissionDenied
    existing = project.progress_reports.filter(year=year).first()
    initial = {"version": existing.version if existing else 0}
    if existing:
        initial |= {"status": existing.status, "percent_complete": existing.percent_complete,
                    "funding_secured_usd": existing.funding_secured_usd, "narrative": existing.narrative}  # fmt: skip
        initial |= {f"kpi_{k}": v for k, v in (existing.kpi_values or {}).items()}
    form = ProjectReportForm(request.POST or None, request.FILES or None, project=project, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                plans.progress_report_save(
                    project=project, by=request.user, year=year, percent_complete=data["percent_complete"],
                    status=data["status"], narrative=data["narrative"], kpi_values=form.kpi_values(),
                    funding_secured_usd=data["funding_secured_usd"], version=data["version"],
                    evidence=data["evidence"], evidence_title=data["evidence_title"],
                )  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            except Conflict as error:  # a stale version, or the city's report under review
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, f"“{project.title}”: the {year} report is saved.")
                return redirect("monitoring:city_report", year=year, slug=slug)
    previous = project.progress_reports.filter(year__lt=year).order_by("-year").first()
    context = {"round": round_, "city": city, "project": project, "form": form, "existing": existing,
               "previous": previous, "locked": report.state not in EDITABLE,
               "evidence": existing.evidence.all() if existing else []}  # fmt: skip
    return render(request, "monitoring/project_report.html", context, status=status)


@login_required
def progress_report_page(request, pk):
    """The older address of a project's progress form (`/projects/<id>/progress/`, linked from the
    dashboard and the project's page). A report is filed on the project's form in the current round,
    through the one service: this address sends there, and a form posted to it is that form's post,
    checked and refused the same way (the round's lock, the version, the year, funding)."""
    project = get_object_or_404(plan_selectors.projects_visible_to(request.user).select_related("plan__city"), pk=pk)
    if not request.user.has_perm("action_plans.file_progress", project):
        raise PermissionDenied
    round_ = current_round()
    if round_ is None or not projects_in_round(round_.year).filter(pk=project.pk).exists():
        messages.error(request, _("No monitoring round is open for a year of this project's plan; reports are "
                                  "filed once the secretariat opens the year's round."))  # fmt: skip
        return redirect("catalogue:project_detail", pk=project.pk)
    slug = project.plan.city.slug
    if request.method == "POST":
        return project_report(request, round_.year, slug, project.pk)
    return redirect("monitoring:project_report", year=round_.year, slug=slug, pk=project.pk)


def rollup_page(request, year):
    """The network's implementation in a year: public figures and charts; figures per project for
    network members."""
    if not 2018 <= year <= 2100:
        raise Http404
    may_see_projects = request.user.has_perm("monitoring.view_project_figures")
    figures = network_view(year, with_projects=may_see_projects)
    latest = current_round()
    context = {
        "year": year,
        "figures": figures,
        "round": MonitoringRound.objects.filter(year=year).first(),
        "charts": charts.rollup_charts(figures),
        "may_see_projects": may_see_projects,
        "years": list(range(2018, max(year, latest.year if latest else year) + 1)),
    }
    return render(request, "monitoring/rollup.html", context)


def _may_file_for(request, found) -> bool:
    return bool(found.rows) and request.user.has_perm("action_plans.file_progress", found.rows[0][0])


@login_required
def city_template(request, year, slug):
    """The city's round as a workbook that mirrors the form (GET), and the same filled in (POST)."""
    round_, city, report = _city_report_page(request, year, slug)
    found = city_round(round_, city)
    if request.method == "POST":
        if not _may_file_for(request, found):
            raise PermissionDenied
        if report.state not in EDITABLE:
            messages.error(request, "The city's report is with the secretariat or accepted; nothing was saved.")
            return redirect("monitoring:city_report", year=year, slug=slug)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Choose the filled-in template to send.")
            return city_report(request, year, slug, status=400)
        saved, errors = offline.upload(found, upload, request.user)
        if errors:
            return city_report(request, year, slug, status=400, template_errors=errors)
        messages.success(request, f"{saved} project report{'s' if saved != 1 else ''} saved from {upload.name}.")
        return redirect("monitoring:city_report", year=year, slug=slug)
    response = HttpResponse(offline.template(found), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ascn-{year}-{city.slug}-progress.xlsx"'
    return response
