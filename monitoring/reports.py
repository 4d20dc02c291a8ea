"""The report of a year for the annual meeting and the ASEAN Summit: the Framework, the action plans
noted, the finalised list of project partnerships, twinnings started, progress highlights from the
round, and the outcomes of the year's events linked to what they concern. A page (printable) and a
workbook with one sheet per section."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render

from action_plans.models import ActionPlan, PlanTransition
from ascn_portal.exports import Column, xlsx_response
from cities.models import FocusArea, StrategicOutcome
from events.models import Outcome
from partners.models import Twinning
from partners.reports import COLUMNS as PARTNERSHIP_COLUMNS
from partners.reports import rows as partnership_rows
from partners.selectors import partnerships_finalised

from .models import CityReport, MonitoringRound
from .rollup import network_view


@dataclass
class YearReport:
    year: int
    framework_adopted: Outcome | None
    outcomes: list[StrategicOutcome]
    focus_areas: list[FocusArea]
    plans: list[tuple[ActionPlan, object]]  # (plan, approved at)
    partnerships: list
    partnership_rows: list[list]
    twinnings: list[Twinning]
    round: MonitoringRound | None
    accepted_reports: int
    figures: object
    highlights: list
    completed: list
    event_outcomes: list[Outcome]


def year_report(year: int) -> YearReport:
    """A fixed number of queries, whatever the year holds."""
    approvals = (
        PlanTransition.objects.filter(action="approve", at__year=year)
        .select_related("plan__city__member_state")
        .order_by("plan__city__member_state__short_name", "plan__city__name")
    )
    partnerships = list(partnerships_finalised(year))
    figures = network_view(year, with_projects=True)
    reported = [p for p in figures.projects if p.reported]
    round_ = MonitoringRound.objects.filter(year=year).first()
    return YearReport(
        year=year,
        framework_adopted=Outcome.objects.filter(concerns_framework=True, kind="adopted")
        .select_related("event").order_by("event__starts_at").first(),
        outcomes=list(StrategicOutcome.objects.order_by("position")),
        focus_areas=list(FocusArea.objects.order_by("position")),
        plans=[(t.plan, t.at) for t in approvals],
        partnerships=partnerships,
        partnership_rows=partnership_rows(partnerships),
        twinnings=list(Twinning.objects.filter(starts_on__year=year).select_related("city__member_state", "partner")
                       .order_by("city__member_state__short_name", "city__name")),
        round=round_,
        accepted_reports=CityReport.objects.filter(round=round_, state="accepted").count() if round_ else 0,
        figures=figures,
        highlights=sorted(reported, key=lambda p: (-p.percent, p.title))[:10],
        completed=[p for p in reported if p.percent >= 100],
        event_outcomes=list(
            Outcome.objects.filter(event__year=year).select_related("event")
            .prefetch_related("cities", "partners", Prefetch("action_plans", queryset=ActionPlan.objects
                                                              .select_related("city")), "strategic_outcomes")
            .order_by("event__starts_at", "position")
        ),
    )  # fmt: skip


def report_page(request, year):
    if not 2018 <= year <= 2100:
        raise Http404
    report = year_report(year)
    wanted = request.GET.get("format", "html")
    if wanted == "xlsx":
        return xlsx_response(f"ascn-report-{year}.xlsx", _sheets(report, request.user))
    if wanted != "html":
        return HttpResponse("Choose format=xlsx, or none for the page.", status=400, content_type="text/plain")
    context = {"report": report, "year": year,
               "may_see_amounts": request.user.has_perm("monitoring.view_project_figures")}  # fmt: skip
    return render(request, "monitoring/report.html", context)


def _sheets(report: YearReport, user):
    amounts = user.has_perm("monitoring.view_project_figures")
    n = report.figures.network
    adopted = report.framework_adopted
    framework = [["Strategic outcome", o.name, o.description] for o in report.outcomes]
    framework += [["Focus area", a.name, a.description] for a in report.focus_areas]
    if adopted:
        framework.insert(0, ["Adopted", f"{adopted.event.name} ({adopted.event.year})", adopted.text])
    partnership_columns = (
        PARTNERSHIP_COLUMNS if amounts else [c for c in PARTNERSHIP_COLUMNS if "Amount" not in c.header]
    )
    partnership_data = report.partnership_rows if amounts else [r[:6] + r[7:] for r in report.partnership_rows]
    return [
        ("Framework", [Column("Part", 18), Column("Name", 30), Column("Description", 80)], framework),
        ("Action plans noted", [Column("Member state", 16), Column("City", 20), Column("Plan", 40),
                                Column("Period", 12), Column("Approved on", 14)],
         [[p.city.member_state.short_name, p.city.name, p.title, f"{p.period_start}-{p.period_end}", at.date()]
          for p, at in report.plans]),
        ("Partnerships finalised", partnership_columns, partnership_data),
        ("Twinnings started", [Column("Member state", 16), Column("City", 20), Column("Partner", 30),
                               Column("Started on", 14), Column("Memorandum", 30)],
         [[t.city.member_state.short_name, t.city.name, t.partner.name, t.starts_on, t.memorandum_reference]
          for t in report.twinnings]),
        ("Progress", [Column("Figure", 40), Column("Value", 20, "#,##0.0")],
         [["Projects running", n.projects], ["Reported for the year", report.figures.reported],
          ["Cities' reports accepted", report.accepted_reports], ["Total cost (USD)", n.cost],
          ["Funding secured (USD)", n.funded], ["Gap (USD)", n.gap], ["Percent complete (weighted)", n.percent],
          ["KPIs on track", n.kpis_on], ["KPIs off track", n.kpis_off]]),
        ("Event outcomes", [Column("Event", 30), Column("Outcome", 12), Column("Text", 60), Column("Cities", 30),
                            Column("Action plans", 30), Column("Partners", 30)],
         [[o.event.name, o.get_kind_display(), o.text, "; ".join(c.name for c in o.cities.all()),
           "; ".join(str(p) for p in o.action_plans.all()), "; ".join(p.name for p in o.partners.all())]
          for o in report.event_outcomes]),
    ]  # fmt: skip
