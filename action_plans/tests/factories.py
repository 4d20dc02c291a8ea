from decimal import Decimal

from action_plans.models import ActionPlan, PriorityProject
from cities.models import City


def draft_plan(city_slug="bangkok", **fields) -> ActionPlan:
    defaults = {"title": "Smart Bangkok 2026-2030", "period_start": 2026, "period_end": 2030}
    return ActionPlan.objects.create(city=City.objects.get(slug=city_slug), **{**defaults, **fields})


def project(plan, **fields) -> PriorityProject:
    defaults = {
        "title": "Flood early warning",
        "estimated_cost_usd": Decimal("2500000.00"),
        "funding_secured_usd": Decimal("500000.00"),
        "support_sought": ["financing"],
    }
    return PriorityProject.objects.create(plan=plan, **{**defaults, **fields})
