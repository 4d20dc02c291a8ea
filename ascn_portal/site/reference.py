"""The network's reference data: each app loads its own, in the order of the layers, in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from cities.services import (
    REFERENCE_DIR,
    LoadReport,
    ReferenceDataError,
    directory_reference_load,
    reference_rows,
    reference_upsert,
)
from events.reference import events_reference_load
from partners.reference import partners_reference_load, twinnings_reference_load


def reference_data_load(*, directory: Path = REFERENCE_DIR) -> LoadReport:
    """Load every reference fact from data/reference/; idempotent, updates changed facts."""
    report = LoadReport()
    with transaction.atomic():
        directory_reference_load(report, directory)
        partners_reference_load(report, directory)
        twinnings_reference_load(report, directory)
        events_reference_load(report, directory, reference_rows, reference_upsert, ReferenceDataError)
    return report
