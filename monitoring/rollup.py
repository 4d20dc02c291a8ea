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

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from action_plans.choices import ProjectStage
from action_plans.models import ActionPlan, PriorityProject, ProgressReport, ProjectKPI
from cities.models import City, FocusArea, MemberState, StrategicOutcome
from partners.choices import PartnershipStage
from partners.models import ProjectPartnership

FIRST_YEAR = 2018
ZERO = Decimal(0)


@dataclass
class Figures:
    projects: int = 0
    cost: Decimal = ZERO
    funded: Decimal = ZERO
    weighted: Decimal = ZERO  # cost x percent
    percent_sum: int = 0
    kpis_on: int = 0
    kpis_off: int = 0

    def add(self, project: ProjectRow) -> None:
        self.projects += 1
        self.cost += project.cost
        self.funded += project.funded
        self.weighted += project.cost * project.percent
        self.percent_sum += project.percent
        self.kpis_on += project.kpis_on
        self.kpis_off += project.kpis_off

    @property
    def gap(self) -> Decimal:
        return max(self.cost - self.funded, ZERO)

    @property
    def percent(self) -> Decimal:
        if self.cost:
            return (self.weighted / self.cost).quantize(Decimal("0.1"))
        return (Decimal(self.percent_sum) / self.projects).quantize(Decimal("0.1")) if self.projects else ZERO

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
    cost: Decimal
    funded: Decimal
    percent: int
    reported: bool  # a report for the year itself
    kpis_on: int = 0
    kpis_off: int = 0
    city: str = ""
    city_slug: str = ""


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

    @property
    def reported(self) -> int:
        return sum(1 for p in self.projects if p.reported)


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
    """One query: every counted project with its city, member state, cost, funding and percent (from
    its latest report up to the year, found in one pass over the reports)."""
    latest = (
        f"SELECT DISTINCT ON (project_id) project_id, year, percent_complete, funding_secured_usd "
        f"FROM {_table(ProgressReport)} WHERE year <= %(year)s ORDER BY project_id, year DESC"
    )
    sql = (
        "SELECT p.id, p.title, p.plan_id, a.city_id, c.member_state_id, p.stage, "
        "COALESCE(p.estimated_cost_usd, 0), COALESCE(r.funding_secured_usd, p.funding_secured_usd), "
        "COALESCE(r.percent_complete, 0), COALESCE(r.year = %(year)s, false), c.name, c.slug "
        f"FROM {_table(PriorityProject)} p JOIN {_table(ActionPlan)} a ON a.id = p.plan_id "
        f"JOIN {_table(City)} c ON c.id = a.city_id LEFT JOIN ({latest}) r ON r.project_id = p.id "
        "WHERE a.state = 'approved' AND a.period_start <= %(year)s AND a.period_end >= %(year)s "
        "AND p.stage <> 'cancelled'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year})
        return [ProjectRow(*row[:10], city=row[10], city_slug=row[11]) for row in cursor.fetchall()]


def _kpi_counts(year: int) -> dict[int, tuple[int, int]]:
    """One query: per project, its KPIs on and off track in the year's report."""
    value = "(r.kpi_values ->> k.id::text)"
    share = f"(({value})::numeric - k.baseline) * 100 / (k.target - k.baseline)"
    judged = (f"k.baseline IS NOT NULL AND k.target IS NOT NULL AND k.target <> k.baseline "
              f"AND {value} ~ '^-?[0-9]+(\\.[0-9]+)?$'")  # fmt: skip
    sql = (
        f"SELECT k.project_id, "
        f"COUNT(*) FILTER (WHERE {share} >= r.percent_complete - 10), "
        f"COUNT(*) FILTER (WHERE {share} < r.percent_complete - 10) "
        f"FROM {_table(ProjectKPI)} k JOIN {_table(ProgressReport)} r ON r.project_id = k.project_id "
        f"AND r.year = %(year)s WHERE {judged} AND k.project_id IN (SELECT p.id {_scope_sql()}) "
        "GROUP BY k.project_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year})
        return {pk: (on, off) for pk, on, off in cursor.fetchall()}


def _pairs(sql: str, year: int) -> dict[int, list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": year})
        found = defaultdict(list)
        for left, right in cursor.fetchall():
            found[left].append(right)
        return found


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


def rollup(year: int) -> Rollup:
    """Eight queries whatever the number of projects, reports and years."""
    projects = _project_rows(year)
    by_pk = {p.pk: p for p in projects}
    for pk, (on, off) in _kpi_counts(year).items():
        if pk in by_pk:
            by_pk[pk].kpis_on, by_pk[pk].kpis_off = on, off
    focus = _pairs(
        f"SELECT pf.priorityproject_id, pf.focusarea_id FROM {_table(PriorityProject.focus_areas.through)} pf "
        f"WHERE pf.priorityproject_id IN (SELECT p.id {_scope_sql()})",
        year,
    )
    outcomes = _pairs(
        f"SELECT ps.actionplan_id, ps.strategicoutcome_id FROM {_table(ActionPlan.strategic_outcomes.through)} ps "
        f"WHERE ps.actionplan_id IN (SELECT a.id {_scope_sql()})",
        year,
    )
    states = {s.pk: s for s in MemberState.objects.all()}
    areas = {a.pk: a for a in FocusArea.objects.all()}
    strategic = {o.pk: o for o in StrategicOutcome.objects.all()}

    network = Figures()
    by_state: dict[int, Group] = {}
    by_city: dict[int, Group] = {}
    by_area = {pk: Group(a.slug, a.name) for pk, a in sorted(areas.items(), key=lambda i: i[1].position)}
    by_outcome = {pk: Group(o.slug, o.name) for pk, o in sorted(strategic.items(), key=lambda i: i[1].position)}
    by_stage = {value: Group(value, str(label)) for value, label in ProjectStage.choices if value != "cancelled"}
    for project in projects:
        network.add(project)
        state = states[project.state_id]
        by_state.setdefault(project.state_id, Group(state.code, state.short_name)).figures.add(project)
        city = by_city.setdefault(project.city_id, Group(project.city_slug, f"{project.city} ({state.code})"))
        city.figures.add(project)
        for area in focus.get(project.pk, []):
            by_area[area].figures.add(project)
        for outcome in outcomes.get(project.plan_id, []):
            by_outcome[outcome].figures.add(project)
        if project.stage in by_stage:
            by_stage[project.stage].figures.add(project)

    partnerships, partnerships_by_state = _partnerships(year, states)
    return Rollup(
        year=year,
        network=network,
        by_member_state=sorted(by_state.values(), key=lambda g: g.label),
        by_city=sorted(by_city.values(), key=lambda g: g.label),
        by_focus_area=list(by_area.values()),
        by_outcome=list(by_outcome.values()),
        by_stage=list(by_stage.values()),
        partnerships=partnerships,
        partnerships_by_state=partnerships_by_state,
        trend=_trend(year),
        projects=projects,
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
