"""How well a published project fits a partner, with the reasons, in Python and in SQL alike.

Each interest the partner declared and the project meets adds its weight; the reasons say which.
The list of recommendations is ordered in the database (`recommended_for`), and the reasons are
written for the rows on the page only (`match`), so a list costs the same at any length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from action_plans.choices import ProjectStage, SupportType
from action_plans.models import PriorityProject
from partners.models import Partner

WEIGHTS = {"focus_area": 3, "member_state": 2, "support": 2, "ticket": 2, "stage": 1}


def _pair(relation: str, name: str):
    """'<id>:<name>' of a related row, to aggregate ids and names in one array."""
    return Concat(Cast(f"{relation}__id", CharField()), Value(":"), f"{relation}__{name}")


@dataclass(frozen=True)
class Interests:
    """A partner's declared interests, read once."""

    focus_areas: dict[int, str] = field(default_factory=dict)
    member_states: dict[int, str] = field(default_factory=dict)
    stages: frozenset[str] = frozenset()
    support_types: frozenset[str] = frozenset()
    ticket_min: Decimal | None = None
    ticket_max: Decimal | None = None

    @classmethod
    def of(cls, partner: Partner) -> Interests:
        return cls(
            focus_areas={a.pk: a.name.lower() for a in partner.focus_areas.all()},
            member_states={s.pk: s.short_name for s in partner.member_states.all()},
            stages=frozenset(partner.stages),
            support_types=frozenset(partner.support_types),
            ticket_min=partner.ticket_min_usd,
            ticket_max=partner.ticket_max_usd,
        )

    @classmethod
    def of_first(cls, partners: QuerySet[Partner]) -> Interests | None:
        """The first partner's interests in one query (its focus areas and member states aggregated)."""
        row = (
            partners.annotate(
                areas=ArrayAgg(_pair("focus_areas", "name"), distinct=True, default=[]),
                states=ArrayAgg(_pair("member_states", "short_name"), distinct=True, default=[]),
            )
            .values("stages", "support_types", "ticket_min_usd", "ticket_max_usd", "areas", "states")
            .first()
        )
        if row is None:
            return None

        def pairs(values, lower=False):
            found = {}
            for value in values:
                key, _, name = (value or "").partition(":")
                if key:  # a partner without any: the join gave one empty pair
                    found[int(key)] = name.lower() if lower else name
            return found

        return cls(
            focus_areas=pairs(row["areas"], lower=True), member_states=pairs(row["states"]),
            stages=frozenset(row["stages"]), support_types=frozenset(row["support_types"]),
            ticket_min=row["ticket_min_usd"], ticket_max=row["ticket_max_usd"],
        )  # fmt: skip

    @property
    def any(self) -> bool:
        return bool(self.focus_areas or self.member_states or self.stages or self.support_types
                    or self.ticket_min is not None or self.ticket_max is not None)  # fmt: skip


def _ticket_fits(interests: Interests, need: Decimal | None) -> bool:
    if need is None or (interests.ticket_min is None and interests.ticket_max is None):
        return False
    return (interests.ticket_min is None or need >= interests.ticket_min) and (
        interests.ticket_max is None or need <= interests.ticket_max
    )


@dataclass(frozen=True)
class Match:
    score: int
    reasons: list[str]


def match(interests: Interests, project: PriorityProject) -> Match:
    """Score one project (with its focus areas prefetched and its plan's city loaded)."""
    return match_facts(
        interests,
        focus_area_ids=[a.pk for a in project.focus_areas.all()],
        member_state_id=project.plan.city.member_state_id,
        support_sought=project.support_sought,
        funding_gap=project.funding_gap_usd,
        stage=project.stage,
    )


def match_row(interests: Interests, row: dict) -> Match:
    """Score a row of `action_plans.selectors.project_list_values(..., focus_area_ids=True)`."""
    cost = row["estimated_cost_usd"]
    return match_facts(
        interests, focus_area_ids=row["focus_area_ids"], member_state_id=row["member_state_id"],
        support_sought=row["support_sought"], stage=row["stage"],
        funding_gap=None if cost is None else cost - row["funding_secured_usd"],
    )  # fmt: skip


def match_facts(interests: Interests, *, focus_area_ids, member_state_id, support_sought, funding_gap, stage) -> Match:
    """Score a project from the facts that count, as a list read in plain values has them."""
    score, reasons = 0, []
    shared = [interests.focus_areas[pk] for pk in focus_area_ids if pk in interests.focus_areas]
    if shared:
        score += WEIGHTS["focus_area"]
        reasons.append(f"focus area: {', '.join(sorted(shared))}")
    if member_state_id in interests.member_states:
        score += WEIGHTS["member_state"]
        reasons.append(f"member state: {interests.member_states[member_state_id]}")
    support = sorted(interests.support_types & set(support_sought))
    if support:
        score += WEIGHTS["support"]
        reasons.append(f"support sought: {', '.join(SupportType(s).label.lower() for s in support)}")
    if _ticket_fits(interests, funding_gap):
        score += WEIGHTS["ticket"]
        reasons.append("ticket size fits")
    if stage in interests.stages:
        score += WEIGHTS["stage"]
        reasons.append(f"stage: {ProjectStage(stage).label.lower()}")
    return Match(score, reasons)


def _conditions(interests: Interests) -> list[tuple[Q, int]]:
    """Each interest the partner declared, as a condition on projects, with its weight."""
    found = []
    if interests.focus_areas:
        # Not correlated: the database hashes the matching projects once instead of probing per project.
        through = PriorityProject.focus_areas.through
        chosen = through.objects.filter(focusarea_id__in=list(interests.focus_areas)).values("priorityproject_id")
        found.append((Q(pk__in=chosen), WEIGHTS["focus_area"]))
    if interests.member_states:
        found.append((Q(plan__city__member_state_id__in=list(interests.member_states)), WEIGHTS["member_state"]))
    if interests.support_types:
        found.append((Q(support_sought__overlap=sorted(interests.support_types)), WEIGHTS["support"]))
    if interests.ticket_min is not None or interests.ticket_max is not None:
        ticket = Q(estimated_cost_usd__isnull=False)
        if interests.ticket_min is not None:
            ticket &= Q(funding_gap__gte=interests.ticket_min)
        if interests.ticket_max is not None:
            ticket &= Q(funding_gap__lte=interests.ticket_max)
        found.append((ticket, WEIGHTS["ticket"]))
    if interests.stages:
        found.append((Q(stage__in=sorted(interests.stages)), WEIGHTS["stage"]))
    return found


def annotate_score(projects: QuerySet[PriorityProject], interests: Interests) -> QuerySet[PriorityProject]:
    """Add `match_score`, computed by the database with the same weights as `match`."""
    gap = ExpressionWrapper(
        F("estimated_cost_usd") - Coalesce(F("funding_secured_usd"), Value(Decimal(0))),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    score = Value(0, output_field=IntegerField())
    for condition, weight in _conditions(interests):
        score = score + Case(When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField())
    return projects.annotate(funding_gap=gap).annotate(match_score=score)


def recommended_for(projects: QuerySet[PriorityProject], interests: Interests) -> QuerySet[PriorityProject]:
    """The projects that meet at least one interest, best first (then the newest).

    Whether a project meets any interest is asked with `OR`, which stops at the first that holds,
    rather than by scoring every project twice (once to filter, once to order).
    """
    conditions = _conditions(interests)
    scored = annotate_score(projects, interests).order_by("-match_score", "-plan__updated_at", "-pk")
    if not conditions:
        return scored.none()
    return scored.filter(reduce(or_, (condition for condition, _ in conditions)))
