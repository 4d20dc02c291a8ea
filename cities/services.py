"""Writes that mean something for the network's directory."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import (
    Chairmanship,
    City,
    CityNetwork,
    CityNetworkMembership,
    FocusArea,
    MemberState,
    StrategicOutcome,
)

REFERENCE_DIR = settings.BASE_DIR / "data" / "reference"


@dataclass
class LoadReport:
    """What a load did, per model: created, updated, unchanged."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model._meta.verbose_name_plural, Counter())[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        ]


class ReferenceDataError(Exception):
    """A reference data file holds something the portal cannot accept."""


def reference_rows(directory: Path, filename: str):
    path = directory / filename
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield path, line, {key: (value or "").strip() for key, value in row.items()}


def reference_upsert(report: LoadReport, model, lookup: dict, values: dict, where: str):
    """Create or update one row so that it holds `values`; never touches other fields."""
    obj = model.objects.filter(**lookup).first()
    outcome = "unchanged"
    if obj is None:
        obj = model(**lookup, **values)
        outcome = "created"
    else:
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                outcome = "updated"
    if outcome != "unchanged":
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ReferenceDataError(f"{where}: {'; '.join(error.messages)}") from error
        obj.save()
    report.add(model, outcome)
    return obj


def _optional_int(value: str) -> int | None:
    return int(value.replace(",", "")) if value else None


def directory_reference_load(report: LoadReport, directory: Path = REFERENCE_DIR) -> LoadReport:
    """Load the directory's reference facts (member states, chairs, framework, cities, city networks)
    from CSV files; idempotent, updates changed facts. Other apps load their own (`seed_ascn`)."""
    with transaction.atomic():
        states = {}
        for path, line, row in reference_rows(directory, "member_states.csv"):
            states[row["code"]] = reference_upsert(
                report,
                MemberState,
                {"code": row["code"]},
                {"iso3": row["iso3"], "name": row["name"], "short_name": row["short_name"]},
                f"{path.name}:{line}",
            )

        def state(code: str, where: str) -> MemberState:
            try:
                return states.get(code) or MemberState.objects.get(code=code)
            except MemberState.DoesNotExist:
                raise ReferenceDataError(f"{where}: no member state with code {code!r}") from None

        for path, line, row in reference_rows(directory, "asean_chairs.csv"):
            where = f"{path.name}:{line}"
            reference_upsert(
                report, Chairmanship, {"year": int(row["year"])}, {"member_state": state(row["country"], where)}, where
            )

        for model, filename in ((StrategicOutcome, "strategic_outcomes.csv"), (FocusArea, "focus_areas.csv")):
            for path, line, row in reference_rows(directory, filename):
                reference_upsert(
                    report,
                    model,
                    {"slug": row["slug"]},
                    {"name": row["name"], "description": row["description"], "position": int(row["position"])},
                    f"{path.name}:{line}",
                )

        networks = {}
        for path, line, row in reference_rows(directory, "city_networks.csv"):
            networks[row["acronym"]] = reference_upsert(
                report,
                CityNetwork,
                {"acronym": row["acronym"]},
                {
                    "slug": row["acronym"].lower(),
                    "name": row["name"],
                    "focus": row["focus"],
                    "founded": _optional_int(row["founded"]),
                    "headquarters": row["headquarters"],
                    "members_worldwide": row["members_worldwide"],
                    "members_in_southeast_asia": row["members_in_southeast_asia"],
                },
                f"{path.name}:{line}",
            )

        cities = {}
        for path, line, row in reference_rows(directory, "cities.csv"):
            where = f"{path.name}:{line}"
            cities[row["slug"]] = reference_upsert(
                report,
                City,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "member_state": state(row["country"], where),
                    "latitude": Decimal(row["latitude"]),
                    "longitude": Decimal(row["longitude"]),
                    "joined_year": int(row["joined_year"]),
                    "kind": row.get("kind", ""),
                    "population": _optional_int(row.get("population", "")),
                },
                where,
            )

        for path, line, row in reference_rows(directory, "city_network_memberships.csv"):
            where = f"{path.name}:{line}"
            city = cities.get(row["city"]) or City.objects.filter(slug=row["city"]).first()
            network = networks.get(row["network"]) or CityNetwork.objects.filter(acronym=row["network"]).first()
            if city is None or network is None:
                raise ReferenceDataError(f"{where}: unknown city {row['city']!r} or network {row['network']!r}")
            reference_upsert(
                report, CityNetworkMembership, {"city": city, "network": network}, {"note": row["note"]}, where
            )

    return report
