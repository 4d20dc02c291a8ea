"""ASEAN's external partners of 2018 and the twinnings the sources record, loaded by seed_ascn."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError

from cities.models import City, FocusArea
from cities.services import REFERENCE_DIR, LoadReport, ReferenceDataError, reference_rows, reference_upsert

from .choices import TwinningStatus
from .models import Partner, Twinning


def partners_reference_load(report: LoadReport, directory: Path = REFERENCE_DIR) -> LoadReport:
    for path, line, row in reference_rows(directory, "external_partners_2018.csv"):
        reference_upsert(
            report,
            Partner,
            {"slug": row["slug"]},
            {"name": row["name"], "kind": row["kind"], "country": row["country"]},
            f"{path.name}:{line}",
        )
    return report


def twinnings_reference_load(report: LoadReport, directory: Path = REFERENCE_DIR) -> LoadReport:
    """The pairings the sources record, with their partners. A twinning is created once and then
    belongs to the secretariat: a later run never reopens one it ended or changes its dates."""
    for path, line, row in reference_rows(directory, "twinning_pairings.csv"):
        where = f"{path.name}:{line}"
        partner = reference_upsert(
            report,
            Partner,
            {"slug": row["partner"]},
            {
                "name": row["partner_name"],
                "kind": row["partner_kind"],
                "organisation_type": row["partner_organisation_type"],
                "country": row["partner_country"],
            },
            where,
        )
        city = City.objects.filter(slug=row["city"]).first()
        if city is None:
            raise ReferenceDataError(f"{where}: no city {row['city']!r}")
        if Twinning.objects.filter(city=city, partner=partner).exists():
            report.add(Twinning, "unchanged")
            continue
        if row["status"] == TwinningStatus.ACTIVE and Twinning.objects.filter(city=city, status="active").exists():
            report.add(Twinning, "unchanged")  # the secretariat has paired the city since; theirs stands
            continue
        twinning = Twinning(
            city=city,
            partner=partner,
            status=row["status"],
            starts_on=datetime.date.fromisoformat(row["starts_on"]) if row["starts_on"] else None,
            memorandum_reference=row["memorandum_reference"],
            notes=row["notes"],
        )
        try:
            twinning.full_clean()
        except ValidationError as error:
            raise ReferenceDataError(f"{where}: {'; '.join(error.messages)}") from error
        twinning.save()
        slugs = [slug for slug in row["focus_areas"].split("|") if slug]
        areas = list(FocusArea.objects.filter(slug__in=slugs))
        if len(areas) != len(slugs):
            raise ReferenceDataError(f"{where}: unknown focus area in {row['focus_areas']!r}")
        twinning.focus_areas.set(areas)
        report.add(Twinning, "created")
    return report
