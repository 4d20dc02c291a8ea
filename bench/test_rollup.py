"""`make bench`: the monitoring roll-up of a year over 10,000 projects and five years of reports,
against the same over 1,000: queries must not grow, and a year's network view must stay under 150 ms
of server time."""

import random
import statistics
import time
from decimal import Decimal

import pytest
from django.db import connection

from action_plans.checks import kpi_on_track
from action_plans.models import ActionPlan, PriorityProject, ProgressReport, ProjectKPI
from ascn_portal.accounts.models import User
from cities.models import City, FocusArea, StrategicOutcome
from monitoring.rollup import FIGURES, rollup
from partners.models import Partner, ProjectPartnership

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RUNS = 15
YEARS = range(2021, 2026)


def _network(projects: int, tag: str) -> None:
    rng = random.Random(2018)
    filer = User.objects.create_user(f"filer-{tag}@example.org", full_name="Filer")
    cities = City.objects.bulk_create([
        City(name=f"Bench {tag} {n}", slug=f"bench-{tag}-{n}", member_state=City.objects.first().member_state,
             latitude=Decimal("13.0"), longitude=Decimal("100.0"), joined_year=2020)
        for n in range(max(projects // 50, 1))
    ])  # fmt: skip
    plans = ActionPlan.objects.bulk_create(
        [
            ActionPlan(city=c, title=f"Plan {c.slug}", period_start=2021, period_end=2030, state="approved")
            for c in cities
        ]
    )
    outcomes = list(StrategicOutcome.objects.all())
    ActionPlan.strategic_outcomes.through.objects.bulk_create(
        [ActionPlan.strategic_outcomes.through(actionplan=p, strategicoutcome=rng.choice(outcomes)) for p in plans]
    )
    stages = ["pipeline", "implementation", "feasibility"]
    made = PriorityProject.objects.bulk_create([
        PriorityProject(plan=plans[n % len(plans)], title=f"Project {tag} {n}", stage=rng.choice(stages),
                        estimated_cost_usd=Decimal(rng.randint(1, 500) * 100_000), funding_secured_usd=Decimal(0))
        for n in range(projects)
    ], batch_size=2000)  # fmt: skip
    areas = list(FocusArea.objects.all())
    PriorityProject.focus_areas.through.objects.bulk_create(
        [PriorityProject.focus_areas.through(priorityproject=p, focusarea=rng.choice(areas)) for p in made],
        batch_size=5000,
    )
    kpis = ProjectKPI.objects.bulk_create(
        [ProjectKPI(project=p, name="Indicator", baseline=Decimal(0), target=Decimal(100)) for p in made],
        batch_size=5000,
    )
    reports = []
    for project, kpi in zip(made, kpis, strict=True):
        for i, year in enumerate(YEARS):
            percent, value = min(100, (i + 1) * rng.randint(5, 20)), rng.randint(0, 100)
            on = kpi_on_track(kpi, value, percent)  # as ProgressReport.save judges it (bulk_create does not save)
            reports.append(ProgressReport(project=project, year=year, percent_complete=percent, status="on_track",
                                          kpi_values={str(kpi.pk): str(value)}, filed_by=filer,
                                          funding_secured_usd=project.estimated_cost_usd * percent / 100,
                                          kpis_on_track=int(on is True), kpis_off_track=int(on is False)))  # fmt: skip
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    partner = Partner.objects.first()
    ProjectPartnership.objects.bulk_create(
        [ProjectPartnership(project=p, partner=partner, support_type="financing", created_by=filer,
                            stage=rng.choice(["interest", "discussion", "finalised"])) for p in made[::5]],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(fn) -> tuple[int, float, float]:
    fn()  # warm
    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):  # counts what a request runs, whatever resets the query log
        fn()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    timings.sort()
    return count[0], statistics.median(timings) * 1000, timings[int(len(timings) * 0.95) - 1] * 1000


def test_the_rollup_does_not_grow_with_the_network(client, settings):
    settings.MONITORING_CACHE_SECONDS = 600  # the pages and the API as deployed: the public roll-up kept in Redis
    lines = [f"{'roll-up of 2025':<42}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}"]
    results = {}
    for size, tag in ((1_000, "s"), (9_000, "l")):  # 1,000 projects, then 10,000 in all
        _network(size, tag)
        FIGURES._renew()  # bulk writes send no signals, and this test's transaction never commits
        total = PriorityProject.objects.count()
        for name, fn in (
            ("rollup() (counted afresh)", lambda: rollup(2025)),
            ("page /monitoring/2025/", lambda: client.get("/monitoring/2025/")),
            ("API /api/v1/monitoring/2025/", lambda: client.get("/api/v1/monitoring/2025/")),
        ):
            queries, p50, p95 = _time(fn)
            results[(name, total)] = (queries, p50)
            lines.append(f"{f'{name} at {total:,}':<42}{queries:>8}{p50:>9.1f}{p95:>9.1f}")
    for name in ("rollup() (counted afresh)", "page /monitoring/2025/", "API /api/v1/monitoring/2025/"):
        (q_small, _), (q_large, _) = (v for k, v in results.items() if k[0] == name)
        assert q_small == q_large, name
    print("\n" + "\n".join(lines) + f"\n(median and 95th percentile of {RUNS}; 5 years of reports per project)")
    counted = next(v for k, v in results.items() if k[0].startswith("rollup()") and k[1] >= 10_000)
    assert counted[1] < 250, f"counting the roll-up took {counted[1]:.0f} ms at 10,000 projects"
    page = next(v for k, v in results.items() if k[0] == "page /monitoring/2025/" and k[1] >= 10_000)
    assert page[1] < 150, f"the network view took {page[1]:.0f} ms at 10,000 projects"
