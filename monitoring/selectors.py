"""Reads of the monitoring round: which projects a city reports on, and where each city stands."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from action_plans.checks import Problem, progress_problems
from action_plans.choices import PlanState
from action_plans.models import PriorityProject, ProgressReport
from cities.models import City

from .choices import CityReportState
from .models import CityReport, MonitoringRound


def current_round() -> MonitoringRound | None:
    return MonitoringRound.objects.order_by("-year").first()


def projects_in_round(year: int) -> QuerySet[PriorityProject]:
    """Projects of approved plans whose period covers the year, not cancelled: what cities report on."""
    return (
        PriorityProject.objects.filter(plan__state=PlanState.APPROVED, plan__period_start__lte=year,
                                       plan__period_end__gte=year)
        .exclude(stage="cancelled")
    )  # fmt: skip


@dataclass
class CityRound:
    """A city's place in a round: its projects with this year's and last reports, and the check."""

    round: MonitoringRound
    city: City
    report: CityReport | None
    rows: list = field(default_factory=list)  # (project, report of the year, previous report, problems)

    @property
    def state(self) -> str:
        return self.report.state if self.report else CityReportState.DRAFT

    @property
    def problems(self) -> list[Problem]:
        return [p for _project, _report, _previous, problems in self.rows for p in problems]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def filed(self) -> int:
        return sum(1 for _p, report, _prev, _x in self.rows if report is not None)


def city_round(round_: MonitoringRound, city: City) -> CityRound:
    """Four queries whatever the number of projects: projects with KPIs and focus areas, and reports."""
    year = round_.year
    projects = list(
        projects_in_round(year).filter(plan__city=city).select_related("plan")
        .prefetch_related("kpis", Prefetch("progress_reports",
                                           queryset=ProgressReport.objects.filter(year__lte=year).order_by("-year")))
        .order_by("plan", "position", "pk")
    )  # fmt: skip
    report = CityReport.objects.filter(round=round_, city=city).first()
    rows = []
    for project in projects:
        reports = list(project.progress_reports.all())
        this = next((r for r in reports if r.year == year), None)
        previous = next((r for r in reports if r.year < year), None)
        url = reverse("monitoring:project_report", kwargs={"year": year, "slug": city.slug, "pk": project.pk})
        rows.append((project, this, previous, progress_problems(project, this, previous, url)))
    return CityRound(round=round_, city=city, report=report, rows=rows)


@dataclass(frozen=True)
class CityStanding:
    city: City
    state: str
    projects: int
    filed: int
    late: bool


def round_overview(round_: MonitoringRound) -> list[CityStanding]:
    """Every city with projects in the round: its report's state, reports filed, late or not (3 queries)."""
    year = round_.year
    projects = _project_counts(year)
    filed = _filed_counts(year)
    states = dict(CityReport.objects.filter(round=round_).values_list("city_id", "state"))
    cities = City.objects.filter(pk__in=projects).select_related("member_state").order_by("member_state__short_name",
                                                                                         "name")  # fmt: skip
    late = round_.is_late
    return [
        CityStanding(city, states.get(city.pk, CityReportState.DRAFT), projects[city.pk], filed.get(city.pk, 0),
                     late and states.get(city.pk) not in (CityReportState.SUBMITTED, CityReportState.ACCEPTED))
        for city in cities
    ]  # fmt: skip


def _project_counts(year: int) -> dict[int, int]:
    return dict(
        projects_in_round(year).values("plan__city_id").annotate(n=Count("pk")).values_list("plan__city_id", "n")
    )


def _filed_counts(year: int) -> dict[int, int]:
    return dict(
        ProgressReport.objects.filter(year=year, project__in=projects_in_round(year))
        .values("project__plan__city_id").annotate(n=Count("pk")).values_list("project__plan__city_id", "n")
    )  # fmt: skip
