"""ASEAN's external partners of 2018, loaded by seed_ascn."""

from __future__ import annotations

from pathlib import Path

from cities.services import REFERENCE_DIR, LoadReport, reference_rows, reference_upsert

from .models import Partner


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
