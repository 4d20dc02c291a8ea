"""`make bench`: the largest import allowed (DJANGO_SPREADSHEET_MAX_ROWS rows), checked and written by
a worker as deployed, against the time limit of each step (DJANGO_SPREADSHEET_TIME_LIMIT_SECONDS)."""

import time

import pytest
from django.conf import settings

from ascn_portal.spreadsheets.tests.test_jobs import send, staff, state_of, towns, worker  # noqa: F401
from cities.models import City

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]


def test_the_largest_import_allowed_is_checked_and_written_within_its_time_limit(staff, own_redis):  # noqa: F811
    """The documented maximum of rows (DJANGO_SPREADSHEET_MAX_ROWS), through a worker as deployed."""
    rows = settings.SPREADSHEET_MAX_ROWS
    with worker(own_redis) as process:
        started = time.monotonic()
        job = send(staff, towns(rows), "largest.csv")
        state_of(job, settings.SPREADSHEET_TIME_LIMIT_SECONDS, "checked", process=process)
        checked = time.monotonic() - started
        staff.post(f"/admin/cities/city/import/{job.pk}/")
        started = time.monotonic()
        state_of(job, settings.SPREADSHEET_TIME_LIMIT_SECONDS, "done", process=process)
        written = time.monotonic() - started
    assert City.objects.filter(slug__startswith="town-").count() == rows
    print(f"\n[measured] {rows:,} rows: checked in {checked:.1f} s, written in {written:.1f} s "
          f"(limit {settings.SPREADSHEET_TIME_LIMIT_SECONDS} s each)")  # fmt: skip
    assert max(checked, written) < settings.SPREADSHEET_TIME_LIMIT_SECONDS / 3  # the margin for a busy machine
