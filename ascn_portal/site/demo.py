"""Synthetic data for demonstrations and benchmarks, clearly marked as such.

Every row it writes carries the marker: plans and projects titled "[Demo] ...", partners with slugs
"demo-...", people with addresses at demo.invalid (a domain that can never receive mail). `demo_clear`
removes exactly those rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from itertools import count

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from action_plans.catalogue import CATALOGUE
from action_plans.choices import PlanState, ProjectStage, SupportType
from action_plans.models import ActionPlan, PriorityProject
from ascn_portal.accounts.models import User
from cities.models import City, FocusArea, MemberState
from monitoring.rollup import FIGURES
from partners.choices import PartnerKind, PartnershipStage
from partners.models import Partner, PartnerContact, ProjectPartnership

MARK = "[Demo]"
DEMO_PERIOD = (2041, 2045)  # far from any real plan, so the one-plan-per-period rule never clashes
WORDS = ["flood", "lighting", "mobility", "water", "waste", "health", "school", "market", "river", "solar",
         "traffic", "drainage", "housing", "tourism", "port", "cycle", "heat", "air", "data", "payments"]  # fmt: skip
KINDS = ["early warning", "network", "platform", "upgrade", "pilot", "programme", "hub", "sensors", "app", "corridor"]
COUNTRIES = ["JP", "KR", "CN", "AU", "US", "DE", "FR", "GB", "IN", "NZ", "CA", "SG", "NO", "CH"]


def demo_clear() -> dict:
    with transaction.atomic():
        partnerships, _ = ProjectPartnership.objects.filter(partner__slug__startswith="demo-").delete()
        projects, _ = PriorityProject.objects.filter(plan__title__startswith=MARK).delete()
        ActionPlan.objects.filter(title__startswith=MARK).delete()
        PartnerContact.objects.filter(partner__slug__startswith="demo-").delete()
        partners, _ = Partner.objects.filter(slug__startswith="demo-").delete()
        User.objects.filter(email__endswith="@demo.invalid").delete()
        CATALOGUE.changed()
        FIGURES.changed()
    return {"partnerships": partnerships, "projects": projects, "partners": partners}


def demo_seed(*, projects: int, partners: int | None = None, partnerships: int | None = None, seed: int = 2018) -> dict:
    """Write `projects` published projects over every city, partners with contacts and interests, and
    partnerships at every stage (by default projects/5 partners and 2x projects partnerships)."""
    rng = random.Random(seed)
    partners = projects // 5 if partners is None else partners
    partnerships = projects * 2 if partnerships is None else partnerships
    areas = list(FocusArea.objects.all())
    states = list(MemberState.objects.all())
    now = timezone.now()
    with transaction.atomic():
        demo_clear()
        cities = list(City.objects.all())
        plans = ActionPlan.objects.bulk_create([
            ActionPlan(city=city, title=f"{MARK} Smart {city.name} {DEMO_PERIOD[0]}-{DEMO_PERIOD[1]}",
                       period_start=DEMO_PERIOD[0], period_end=DEMO_PERIOD[1], state=PlanState.APPROVED,
                       vision=f"{MARK} Synthetic plan for demonstrations.")
            for city in cities
        ])  # fmt: skip
        stages = [ProjectStage.PIPELINE, ProjectStage.IMPLEMENTATION, ProjectStage.FINALISATION]
        supports = [s.value for s in SupportType]
        rows, positions = [], defaultdict(count)
        for n in range(projects):
            cost = Decimal(rng.randrange(50, 50_000)) * 1000
            plan_index = n * len(plans) // projects  # a plan's projects together, as a city files them
            rows.append(PriorityProject(
                plan=plans[plan_index], title=f"{MARK} {rng.choice(WORDS).title()} {rng.choice(KINDS)} {n + 1}",
                summary="Synthetic project for demonstrations and benchmarks.", stage=rng.choice(stages),
                estimated_cost_usd=cost, funding_secured_usd=(cost * rng.randrange(0, 80) / 100).quantize(Decimal("1")),
                support_sought=rng.sample(supports, rng.randrange(1, 3)), open_to_partners=True,
                position=next(positions[plan_index]),
            ))  # fmt: skip
        made = PriorityProject.objects.bulk_create(rows, batch_size=2000)
        through = PriorityProject.focus_areas.through
        through.objects.bulk_create(
            [through(priorityproject_id=p.pk, focusarea_id=a.pk)
             for p in made for a in rng.sample(areas, rng.randrange(1, 3))],
            batch_size=5000,
        )  # fmt: skip

        partner_rows = []
        for n in range(partners):
            low = Decimal(rng.choice([100, 500, 1000, 5000])) * 1000
            partner_rows.append(Partner(
                name=f"{MARK} {rng.choice(WORDS).title()} Partners {n + 1}", slug=f"demo-partner-{n + 1}",
                kind=rng.choice([PartnerKind.PRIVATE_SECTOR, PartnerKind.MULTILATERAL_BANK, PartnerKind.DEVELOPMENT]),
                country=rng.choice(COUNTRIES), description="Synthetic partner for demonstrations.",
                support_types=rng.sample(supports, rng.randrange(1, 4)),
                stages=rng.sample([s.value for s in stages], rng.randrange(1, 3)),
                ticket_min_usd=low, ticket_max_usd=low * rng.choice([5, 10, 50]),
            ))  # fmt: skip
        demo_partners = Partner.objects.bulk_create(partner_rows, batch_size=2000)
        for through_model, field, pool in (
            (Partner.focus_areas.through, "focusarea_id", areas),
            (Partner.member_states.through, "memberstate_id", states),
        ):
            through_model.objects.bulk_create(
                [through_model(partner_id=p.pk, **{field: item.pk}) for p in demo_partners
                 for item in rng.sample(pool, rng.randrange(1, 3))],
                batch_size=5000,
            )  # fmt: skip
        unusable = make_password(None)
        contacts = User.objects.bulk_create(
            [User(email=f"contact-{n + 1}@demo.invalid", full_name=f"Demo Contact {n + 1}", password=unusable)
             for n in range(len(demo_partners))], batch_size=2000,
        )  # fmt: skip
        PartnerContact.objects.bulk_create(
            [PartnerContact(user=u, partner=p, title="Demo contact", starts_on=now.date())
             for u, p in zip(contacts, demo_partners, strict=True)], batch_size=2000,
        )  # fmt: skip

        pairs = set()
        while len(pairs) < min(partnerships, len(made) * len(demo_partners)):
            pairs.add((rng.randrange(len(made)), rng.randrange(len(demo_partners))))
        stage_weights = [(PartnershipStage.INTEREST, 40), (PartnershipStage.DISCUSSION, 25),
                         (PartnershipStage.MOU_SIGNED, 10), (PartnershipStage.FINALISED, 10),
                         (PartnershipStage.IMPLEMENTING, 5), (PartnershipStage.COMPLETED, 3),
                         (PartnershipStage.DECLINED, 4), (PartnershipStage.WITHDRAWN, 3)]  # fmt: skip
        choices, weights = zip(*stage_weights, strict=True)
        ProjectPartnership.objects.bulk_create(
            [ProjectPartnership(
                project=made[i], partner=demo_partners[j], stage=(stage := rng.choices(choices, weights)[0]),
                support_type=rng.choice(supports), amount_usd=Decimal(rng.randrange(10, 5000)) * 1000,
                message="Synthetic interest.", created_by=contacts[j],
                finalised_on=now.date() if stage in (PartnershipStage.FINALISED, PartnershipStage.IMPLEMENTING,
                                                     PartnershipStage.COMPLETED) else None,
            ) for i, j in sorted(pairs)],
            batch_size=5000,
        )  # fmt: skip
    with connection.cursor() as cursor:  # fresh statistics, so the planner knows the tables just filled
        for model in (PriorityProject, through, Partner, ProjectPartnership, User, PartnerContact, ActionPlan):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    CATALOGUE.changed()  # written in bulk: no signals
    FIGURES.changed()
    return {"projects": len(made), "partners": len(demo_partners), "partnerships": len(pairs), "plans": len(plans)}
