"""The network's implementation at a glance for a year, in a fixed number of queries.

The projects counted in a year are those of approved plans whose period covers it (cancelled ones
left out). Each project brings its estimated cost, the funding secured (its latest progress report's
figure up to that year, else the project's own) and its percent complete (the latest report up to
that year; none yet counts as 0). Percent complete is weighted by cost (a 10 million project at 50%
weighs ten times a 1 million one); where no project in a group has a cost, it is the plain mean.
A KPI is on track when, in that year's report, it has gone at least as far from its baseline towards
its target as the project towards completion, less 10 points (`action_plans.checks.kpi_on_track`);
KPIs without baseline or target, or without a value that year, are not judged.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from action_plans.choices import ProjectStage
from action_plans.models import ActionPlan, PriorityProject, ProgressReport
from ascn_portal.api.caching import Generation
from ascn_portal.outages import REDIS
from cities.models import City, FocusArea, MemberState, StrategicOutcome
from partners.choices import PartnershipStage
from partners.models import ProjectPartnership

logger = logging.getLogger(__name__)
FIRST_YEAR = 2018

# What the roll-up counts: a write to any of these renews the cached roll-ups when it commits.
FIGURES = Generation("monitoring", (
    "action_plans.PriorityProject", "action_plans.ActionPlan", "action_plans.ProgressReport", "cities.City",
    "cities.MemberState", "cities.FocusArea", "cities.StrategicOutcome", "partners.ProjectPartnership",
))  # fmt: skip
ZERO = Decimal(0)


@dataclass
class Figures:
    """Sums in whole cents (integers: exact, and fast over tens of thousands of projects)."""

    projects: int = 0
    cost_cents: int = 0
    funded_cents: int = 0
    weighted: int = 0  # cost in cents x percent
    percent_sum: int = 0
    kpis_on: int = 0
    kpis_off: int = 0

    @property
    def cost(self) -> Decimal:
        return Decimal(self.cost_cents) / 100

    @property
    def funded(self) -> Decimal:
        return Decimal(self.funded_cents) / 100

    @property
    def gap(self) -> Decimal:
        return max(self.cost - self.funded, ZERO)

    @property
    def percent(self) -> Decimal:
        if self.cost_cents:
            return (Decimal(self.weighted) / self.cost_cents).quantize(Decimal("0.1"))
        return (Decimal(self.percent_sum) / self.projects).quantize(Decimal("0.1")) if self.projects else ZERO

    # As the pages show them (grouped thousands), formatted once here rather than by a filter per cell.
    @property
    def cost_text(self) -> str:
        return f"{self.cost_cents / 100:,.0f}"

    @property
    def funded_text(self) -> str:
        return f"{self.funded_cents / 100:,.0f}"

    @property
    def gap_text(self) -> str:
        return f"{max(self.cost_cents - self.funded_cents, 0) / 100:,.0f}"

    @property
    def funded_share(self) -> Decimal:
        return (self.funded * 100 / self.cost).quantize(Decimal("0.1")) if self.cost else ZERO


@dataclass
class ProjectRow:
    pk: int
    title: str
    plan_id: int
    city_id: int
    state_id: int
    stage: str
    cost_cents: int
    funded_cents: int
    percent: int
    reported: bool  # a report for the year itself
    kpis_on: int = 0
    kpis_off: int = 0
    city: str = ""
    city_slug: str = ""

    @property
    def cost(self) -> Decimal:
        return Decimal(self.cost_cents) / 100

    @property
    def funded(self) -> Decimal:
        return Decimal(self.funded_cents) / 100


@dataclass
class Group:
    key: str
    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class TrendPoint:
    year: int
    reports: int
    percent: Decimal
    funded: Decimal


@dataclass
class Rollup:
    year: int
    network: Figures
    by_member_state: list[Group]
    by_city: list[Group]
    by_focus_area: list[Group]
    by_outcome: list[Group]
    by_stage: list[Group]
    partnerships: list[tuple[str, str, int]]  # (stage, label, count)
    partnerships_by_state: dict[str, dict[str, int]]
    trend: list[TrendPoint]
    projects: list[ProjectRow]
    reported_count: int = 0

    @property
    def reported(self) -> int:
        return self.reported_count


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _scope_sql() -> str:
    """The projects counted in year %(year)s, as SQL over the project (p) and its plan (a)."""
    return (
        f"FROM {_table(PriorityProject)} p JOIN {_table(ActionPlan)} a ON a.id = p.plan_id "
        "WHERE a.state = 'approved' AND a.period_start <= %(year)s AND a.period_end >= %(year)s "
        "AND p.stage <> 'cancelled'"
    )


def _project_rows(year: int) -> list[ProjectRow]:
    """One query: every counted project with its figures, for network members."""
    with connection.cursor() as cursor:
        cursor.execute(_latest_sql() + " ORDER BY c.name, p.title", {"year": year})
        return [ProjectRow(*row[:12], city=row[12], city_slug=row[13]) for row in cursor.fetchall()]


def _trend(year: int) -> list[TrendPoint]:
    """One query: for each year up to this one, the reports filed, their cost-weighted percent and the
    funding they record (projects in that year's scope only)."""
    sql = (
        "SELECT r.year, COUNT(*), SUM(COALESCE(p.estimated_cost_usd, 0) * r.percent_complete), "
        "SUM(COALESCE(p.estimated_cost_usd, 0)), SUM(r.percent_complete), "
        "SUM(COALESCE(r.funding_secured_usd, p.funding_secured_usd)) "
        f"FROM {_table(ProgressReport)} r JOIN {_table(PriorityProject)} p ON p.id = r.project_id "
        f"JOIN {_table(ActionPlan)} a ON a.id = p.plan_id "
        "WHERE r.year BETWEEN %(first)s AND %(year)s AND a.state = 'approved' AND a.period_start <= r.year "
        "AND a.period_end >= r.year AND p.stage <> 'cancelled' GROUP BY r.year ORDER BY r.year"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year, "first": FIRST_YEAR})
        points = []
        for y, count, weighted, cost, percent_sum, funded in cursor.fetchall():
            percent = weighted / cost if cost else Decimal(percent_sum) / count
            points.append(TrendPoint(y, count, Decimal(percent).quantize(Decimal("0.1")), funded or ZERO))
        return points


def _latest_sql() -> str:
    """Each counted project's figures for year %(year)s, from its latest report up to that year."""
    return (
        "SELECT p.id, p.title, p.plan_id, a.city_id, c.member_state_id, p.stage, "
        "(COALESCE(p.estimated_cost_usd, 0) * 100)::bigint AS cost, "
        "(COALESCE(r.funding_secured_usd, p.funding_secured_usd) * 100)::bigint AS funded, "
        "COALESCE(r.percent_complete, 0) AS pct, COALESCE(r.year = %(year)s, false) AS reported, "
        "CASE WHEN r.year = %(year)s THEN r.kpis_on_track ELSE 0 END AS kon, "
        "CASE WHEN r.year = %(year)s THEN r.kpis_off_track ELSE 0 END AS koff, c.name AS city, c.slug AS city_slug "
        f"FROM {_table(PriorityProject)} p JOIN {_table(ActionPlan)} a ON a.id = p.plan_id "
        f"JOIN {_table(City)} c ON c.id = a.city_id "
        f"LEFT JOIN LATERAL (SELECT year, percent_complete, funding_secured_usd, kpis_on_track, kpis_off_track "
        f"FROM {_table(ProgressReport)} WHERE project_id = p.id AND year <= %(year)s ORDER BY year DESC LIMIT 1) r "
        "ON true WHERE a.state = 'approved' AND a.period_start <= %(year)s AND a.period_end >= %(year)s "
        "AND p.stage <> 'cancelled'"
    )


SUMS = ("COUNT(*), SUM(cost), SUM(funded), SUM(cost::numeric * pct), SUM(pct), SUM(kon), SUM(koff), "
        "SUM(reported::int)")  # fmt: skip


def _grouped(year: int) -> list[tuple]:
    """One query: the projects' figures computed once, then summed for the network and by member
    state, city, stage, focus area and strategic outcome."""
    focus, outcomes = _table(PriorityProject.focus_areas.through), _table(ActionPlan.strategic_outcomes.through)
    sql = (
        f"WITH proj AS MATERIALIZED ({_latest_sql()}) "
        f"SELECT 'network', '', '', {SUMS} FROM proj "
        f"UNION ALL SELECT 'state', member_state_id::text, '', {SUMS} FROM proj GROUP BY member_state_id "
        f"UNION ALL SELECT 'city', city_slug, city, {SUMS} FROM proj GROUP BY city_slug, city "
        f"UNION ALL SELECT 'stage', stage, '', {SUMS} FROM proj GROUP BY stage "
        f"UNION ALL SELECT 'area', pf.focusarea_id::text, '', {SUMS} FROM proj "
        f"JOIN {focus} pf ON pf.priorityproject_id = proj.id GROUP BY pf.focusarea_id "
        f"UNION ALL SELECT 'outcome', ps.strategicoutcome_id::text, '', {SUMS} FROM proj "
        f"JOIN {outcomes} ps ON ps.actionplan_id = proj.plan_id GROUP BY ps.strategicoutcome_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year})
        return cursor.fetchall()


def _figures(row) -> Figures:
    count, cost, funded, weighted, percent_sum, on, off, _reported = row
    return Figures(projects=count, cost_cents=int(cost or 0), funded_cents=int(funded or 0),
                   weighted=int(weighted or 0), percent_sum=int(percent_sum or 0), kpis_on=int(on or 0),
                   kpis_off=int(off or 0))  # fmt: skip


def rollup(year: int, *, with_projects: bool = False) -> Rollup:
    """Seven queries whatever the number of projects, reports and years (eight with the figures per
    project, which only network members see)."""
    states = {s.pk: s for s in MemberState.objects.all()}
    areas = {a.pk: a for a in FocusArea.objects.all()}
    strategic = {o.pk: o for o in StrategicOutcome.objects.all()}
    by_area = {str(pk): Group(a.slug, a.name) for pk, a in sorted(areas.items(), key=lambda i: i[1].position)}
    by_outcome = {str(pk): Group(o.slug, o.name) for pk, o in sorted(strategic.items(), key=lambda i: i[1].position)}
    by_stage = {value: Group(value, str(label)) for value, label in ProjectStage.choices if value != "cancelled"}
    network, by_state, by_city, reported = Figures(), [], [], 0
    for dimension, key, label, *sums in _grouped(year):
        figures = _figures(sums)
        if dimension == "network":
            network, reported = figures, int(sums[-1] or 0)
        elif dimension == "state":
            state = states[int(key)]
            by_state.append(Group(state.code, state.short_name, figures))
        elif dimension == "city":
            by_city.append(Group(key, label, figures))
        elif dimension == "stage" and key in by_stage:
            by_stage[key].figures = figures
        elif dimension == "area":
            by_area[key].figures = figures
        elif dimension == "outcome":
            by_outcome[key].figures = figures
    partnerships, partnerships_by_state = _partnerships(year, states)
    return Rollup(
        year=year,
        network=network,
        by_member_state=sorted(by_state, key=lambda g: g.label),
        by_city=sorted(by_city, key=lambda g: g.label),
        by_focus_area=list(by_area.values()),
        by_outcome=list(by_outcome.values()),
        by_stage=list(by_stage.values()),
        partnerships=partnerships,
        partnerships_by_state=partnerships_by_state,
        trend=_trend(year),
        projects=_project_rows(year) if with_projects else [],
        reported_count=reported,
    )


def _partnerships(year: int, states: dict) -> tuple[list[tuple[str, str, int]], dict[str, dict[str, int]]]:
    """One query: partnerships on the counted projects, by member state and stage."""
    sql = (
        f"SELECT c.member_state_id, pp.stage, COUNT(*) FROM {_table(ProjectPartnership)} pp "
        f"JOIN {_table(PriorityProject)} p ON p.id = pp.project_id JOIN {_table(ActionPlan)} a ON a.id = p.plan_id "
        f"JOIN {_table(City)} c ON c.id = a.city_id "
        f"WHERE pp.project_id IN (SELECT p.id {_scope_sql()}) GROUP BY c.member_state_id, pp.stage"
    )
    totals: dict[str, int] = defaultdict(int)
    per_state: dict[str, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year})
        for state_id, stage, count in cursor.fetchall():
            totals[stage] += count
            per_state[states[state_id].code][stage] = count
    return [(value, str(label), totals.get(value, 0)) for value, label in PartnershipStage.choices], dict(per_state)


def network_view(year: int, *, with_projects: bool = False) -> Rollup:
    """The roll-up as the pages and the API show it: the public part from Redis while nothing it
    counts has changed (`FIGURES`), computed afresh otherwise; figures per project are always read."""
    figures = None
    seconds = settings.MONITORING_CACHE_SECONDS
    key = None
    if seconds and REDIS.settle():  # settled: no renewal of the figures' generation owed
        try:
            key = f"rollup:{year}:{FIGURES.current()}"
            figures = cache.get(key)
        except Exception as error:  # Redis away: count from the database (one warning per outage)
            REDIS.failed(error)
            key = None
        else:
            REDIS.answered()
    if figures is None:
        figures = rollup(year)
        if key is not None:
            REDIS.call(cache.set, key, figures, seconds)
    if with_projects:
        figures = dataclasses.replace(figures, projects=_project_rows(year))
    return figures
