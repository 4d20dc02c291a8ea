"""The roll-up's figures against a hand count of the fixed network in conftest.py."""

from decimal import Decimal

import pytest

from monitoring.rollup import rollup

pytestmark = pytest.mark.django_db


def test_the_network_in_2025_as_counted_by_hand(network, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        figures = rollup(2025)
    n = figures.network
    assert n.projects == 3  # P1, P2, P3
    assert n.cost == Decimal(4_000_000)  # 1,000,000 + 3,000,000 + none
    assert n.funded == Decimal(400_000)  # P1's 2025 report; P2 and P3 none
    assert n.gap == Decimal(3_600_000)
    assert n.percent == Decimal("27.5")  # (1,000,000 x 50 + 3,000,000 x 20) / 4,000,000
    assert (n.kpis_on, n.kpis_off) == (1, 1)  # P1 60% of the way at 50% done; P3 10% at 30%
    states = {g.key: g.figures for g in figures.by_member_state}
    assert (states["TH"].projects, states["TH"].percent, states["TH"].funded_share) == (
        2,
        Decimal("27.5"),
        Decimal("10.0"),
    )
    assert (states["PH"].projects, states["PH"].cost, states["PH"].percent) == (1, 0, Decimal("30.0"))  # a plain mean
    areas = {g.key: g.figures for g in figures.by_focus_area}
    assert areas["quality-environment"].projects == 1 and areas["built-infrastructure"].projects == 2
    assert areas["built-infrastructure"].percent == Decimal("20.0")  # 3,000,000 x 20 / 3,000,000
    stages = {g.key: g.figures.projects for g in figures.by_stage}
    assert stages["implementation"] == 2 and stages["pipeline"] == 1 and "cancelled" not in stages
    assert [g.figures.projects for g in figures.by_outcome if g.figures.projects] == [2]  # Bangkok's plan's outcome
    assert {stage: n for stage, _label, n in figures.partnerships}["interest"] == 1
    assert figures.partnerships_by_state == {"TH": {"interest": 1}}
    assert [(t.year, t.reports, t.percent) for t in figures.trend] == [(2024, 1, Decimal("20.0")),
                                                                       (2025, 2, Decimal("50.0"))]  # fmt: skip
    assert figures.reported == 2  # P1 and P3 reported for 2025 itself
    assert figures.projects == []  # figures per project only when asked (for network members)
    rows = {p.title: p for p in rollup(2025, with_projects=True).projects}
    assert set(rows) == {"P1 flood sensors", "P2 rail link", "P3 bus lanes"}
    assert (rows["P1 flood sensors"].funded, rows["P1 flood sensors"].kpis_on) == (Decimal(400_000), 1)
    assert (rows["P2 rail link"].percent, rows["P2 rail link"].reported) == (20, False)


def test_a_year_outside_every_plan_counts_nothing(network):
    assert rollup(2031).network.projects == 0
    assert rollup(2019).network.projects == 1  # Chonburi's old plan


def test_the_kept_rollup_is_renewed_by_a_write_that_commits(transactional_db, client, network, settings):
    from action_plans.models import ProgressReport

    settings.MONITORING_CACHE_SECONDS = 600
    assert client.get("/api/v1/monitoring/2025/").json()["network"]["funding_secured_usd"] == "400000.00"
    report = ProgressReport.objects.get(project=network["p1"], year=2025)
    report.funding_secured_usd = Decimal(500_000)
    report.save()  # committed at once: no transaction around it
    assert client.get("/api/v1/monitoring/2025/").json()["network"]["funding_secured_usd"] == "500000.00"
