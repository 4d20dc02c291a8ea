"""A small fixed network to count by hand (see test_rollup.py for the sums)."""

from decimal import Decimal

import pytest

from action_plans.models import ProgressReport, ProjectKPI
from action_plans.tests.factories import draft_plan, project
from cities.models import FocusArea, StrategicOutcome
from partners.models import Partner, ProjectPartnership


@pytest.fixture
def network(secretariat, partner_contact):
    """Bangkok (TH), plan 2024-2026: P1 1,000,000 USD (200,000 funded; 2025: 50%, 400,000 funded, KPI
    0 -> 100 at 60: on track) and P2 3,000,000 USD (2024: 20%; its KPI has no 2025 value). Cebu (PH),
    plan 2025-2027: P3 without a cost (2025: 30%, KPI 100 -> 50 at 95: off track). Not counted in 2025:
    a draft plan's project, a cancelled project, a plan of 2019-2020."""
    environment, infrastructure = (
        FocusArea.objects.get(slug=s) for s in ("quality-environment", "built-infrastructure")
    )
    outcome = StrategicOutcome.objects.order_by("position").first()
    bangkok = draft_plan(title="Bangkok 2024-2026", period_start=2024, period_end=2026, state="approved")
    bangkok.strategic_outcomes.set([outcome])
    p1 = project(bangkok, title="P1 flood sensors", estimated_cost_usd=Decimal(1_000_000),
                 funding_secured_usd=Decimal(200_000), stage="implementation")  # fmt: skip
    p1.focus_areas.set([environment])
    p2 = project(bangkok, title="P2 rail link", estimated_cost_usd=Decimal(3_000_000),
                 funding_secured_usd=Decimal(0), stage="pipeline")  # fmt: skip
    p2.focus_areas.set([infrastructure])
    cebu = draft_plan("cebu-city", title="Cebu 2025-2027", period_start=2025, period_end=2027, state="approved")
    p3 = project(cebu, title="P3 bus lanes", estimated_cost_usd=None, funding_secured_usd=Decimal(0),
                 stage="implementation")  # fmt: skip
    p3.focus_areas.set([infrastructure])
    project(bangkok, title="Cancelled idea", stage="cancelled", estimated_cost_usd=Decimal(9_000_000))
    project(draft_plan("phuket", title="Phuket draft", period_start=2025, period_end=2027), title="Draft only")
    old = draft_plan("chonburi", title="Chonburi 2019-2020", period_start=2019, period_end=2020, state="approved")
    project(old, title="Old project", estimated_cost_usd=Decimal(5_000_000))

    k1 = ProjectKPI.objects.create(project=p1, name="Sensors live", baseline=0, target=100)
    k2 = ProjectKPI.objects.create(project=p2, name="Km of track", baseline=10, target=20)
    k3 = ProjectKPI.objects.create(project=p3, name="Minutes per trip", baseline=100, target=50)
    ProgressReport.objects.create(project=p1, year=2025, percent_complete=50, status="on_track",
                                  funding_secured_usd=Decimal(400_000), kpi_values={str(k1.pk): "60"},
                                  filed_by=secretariat)  # fmt: skip
    ProgressReport.objects.create(project=p2, year=2024, percent_complete=20, status="delayed", kpi_values={},
                                  filed_by=secretariat)  # fmt: skip
    ProgressReport.objects.create(project=p3, year=2025, percent_complete=30, status="at_risk",
                                  kpi_values={str(k3.pk): "95", str(k2.pk): "not a number"},
                                  filed_by=secretariat)  # fmt: skip
    ProjectPartnership.objects.create(project=p1, partner=Partner.objects.get(slug="japan"), support_type="financing",
                                      created_by=partner_contact)  # fmt: skip
    return {"p1": p1, "p2": p2, "p3": p3, "bangkok": bangkok, "cebu": cebu, "k1": k1, "k2": k2, "k3": k3}
