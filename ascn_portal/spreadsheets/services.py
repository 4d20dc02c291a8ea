"""Spreadsheet imports: a file is read and every row checked without writing anything; a person
confirms; then the rows are written in one transaction (a bad row never half-writes). Small files
are checked at once, large ones in the background with their progress shown."""

from __future__ import annotations

import io
import logging
import zipfile

import tablib
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from ascn_portal.archives import ImplausibleArchive, check_archive
from ascn_portal.outages import REDIS

from .models import ImportJob, ImportState
from .registry import resource_for

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 500  # rows kept for the preview page: the ones with errors first, then the others
PROGRESS_EVERY = 50


# Reading a file -------------------------------------------------------------------------------


def read_dataset(data: bytes, file_format: str) -> tablib.Dataset:
    """The rows of a CSV (UTF-8, with or without a byte order mark) or XLSX file (its first sheet;
    formulas read as the values they showed)."""
    if file_format == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "Save the file as CSV UTF-8 (the spreadsheet's “CSV UTF-8” type) and send it again."
            ) from None
        try:
            return tablib.Dataset().load(text, format="csv")
        except Exception as error:  # tablib raises several kinds for a malformed file
            raise ValidationError(f"The file could not be read as CSV ({error}).") from error
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
    except ImplausibleArchive as problem:
        raise ValidationError(
            f"This is not a spreadsheet: its archive would inflate implausibly ({problem})."
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise ValidationError("The file could not be read as XLSX; save it as an Excel workbook (.xlsx).") from None
    try:
        return tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    except Exception as error:
        raise ValidationError(f"The file could not be read as XLSX ({error}).") from error


def _format_of(name: str) -> str:
    lowered = name.lower()
    for ending in ("csv", "xlsx"):
        if lowered.endswith("." + ending):
            return ending
    raise ValidationError("Send a .csv or .xlsx file.")


# The job's life -------------------------------------------------------------------------------


def job_create(*, key: str, upload, by) -> ImportJob:
    """Read the file, refuse it whole if it cannot be used, and have its rows checked."""
    resource_class = resource_for(key)
    limit = settings.SPREADSHEET_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; imports may be at most {filesizeformat(limit)}."
        )
    file_format = _format_of(upload.name)
    data = upload.read()
    dataset = read_dataset(data, file_format)
    headers = [h.strip() for h in (dataset.headers or []) if h]
    missing = [h for h in resource_class.required_headers if h not in headers]
    if missing:
        raise ValidationError(
            f"The file lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            "Export the list to see the layout the import expects."
        )
    if dataset.height == 0:
        raise ValidationError("The file has a header but no rows.")
    if dataset.height > settings.SPREADSHEET_MAX_ROWS:
        raise ValidationError(
            f"The file has {dataset.height:,} rows; an import takes at most {settings.SPREADSHEET_MAX_ROWS:,}."
        )
    job = ImportJob.objects.create(resource=key, file_name=upload.name[:200], file_format=file_format, data=data,
                                   row_count=dataset.height, created_by=by)  # fmt: skip
    if dataset.height <= settings.SPREADSHEET_INLINE_ROWS:
        job_check(str(job.pk))
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _publish("spreadsheets.check", job))
    return job


def job_confirm(*, job: ImportJob, by) -> ImportJob:
    """Write the rows that were checked. Only a checked job without errors, confirmed once."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.state != ImportState.CHECKED:
            raise ValidationError(f"This import is “{job.get_state_display()}”; only a checked file can be imported.")
        if job.created_by_id != by.pk and not by.is_superuser:
            raise ValidationError("Only the person who sent the file confirms its import.")
        job.state, job.confirmed_at = ImportState.IMPORTING, timezone.now()
        job.save(update_fields=["state", "confirmed_at"])
    _progress_set(job, 0)
    if job.row_count <= settings.SPREADSHEET_INLINE_ROWS:
        job_run(str(job.pk))
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _publish("spreadsheets.run", job))
    return job


def job_check(job_id: str) -> str:
    job = ImportJob.objects.filter(pk=job_id, state=ImportState.CHECKING).first()
    if job is None:
        return "skipped"
    _progress_set(job, 0)
    try:
        result = _import(job, dry_run=True)
    except Exception as error:  # a fault of the portal's, not of a row: say so, write nothing
        logger.exception("Checking import %s failed", job_id)
        _finish(job, ImportState.FAILED, error=f"The check stopped: {error}", field="checked_at")
        return "failed"
    totals, preview = _summary(result)
    state = ImportState.INVALID if totals["errors"] else ImportState.CHECKED
    _finish(job, state, totals=totals, preview=preview, field="checked_at")
    return state


def job_run(job_id: str) -> str:
    job = ImportJob.objects.filter(pk=job_id, state=ImportState.IMPORTING).first()
    if job is None:
        return "skipped"
    try:
        result = _import(job, dry_run=False)
    except Exception as error:
        logger.exception("Import %s failed", job_id)
        _finish(job, ImportState.FAILED, error=f"The import stopped and wrote nothing: {error}")
        return "failed"
    totals, preview = _summary(result)
    if totals["errors"]:  # the data changed since the check: everything was rolled back
        changed = "Rows that passed the check failed on import (the data changed meanwhile); nothing was written."
        _finish(job, ImportState.FAILED, totals=totals, preview=preview, error=changed)
        return "failed"
    _finish(job, ImportState.DONE, totals=totals, preview=preview, data=b"")
    return "done"


def _import(job: ImportJob, *, dry_run: bool):
    dataset = read_dataset(bytes(job.data), job.file_format)
    resource = resource_for(job.resource)(by=job.created_by, file_name=job.file_name,
                                          progress=lambda n: _progress(job, n))  # fmt: skip
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
                                rollback_on_validation_errors=True)  # fmt: skip


def _summary(result) -> tuple[dict, list[dict]]:
    rows = []
    for number, row_result in enumerate(result.rows, start=1):
        errors = []
        if row_result.validation_error is not None:
            for field, messages in row_result.validation_error.message_dict.items():
                label = "" if field == "__all__" else f"{field}: "
                errors.extend(f"{label}{m}" for m in messages)
        errors.extend(str(e.error) for e in row_result.errors)
        values = {k: "" if v is None else str(v) for k, v in (row_result.row_values or {}).items()}
        rows.append({"number": number, "type": row_result.import_type, "errors": errors, "values": values})
    totals = {
        "new": sum(1 for r in rows if r["type"] == "new" and not r["errors"]),
        "update": sum(1 for r in rows if r["type"] == "update" and not r["errors"]),
        "skip": sum(1 for r in rows if r["type"] == "skip" and not r["errors"]),
        "errors": sum(1 for r in rows if r["errors"]),
        "rows": len(rows),
    }
    preview = sorted(rows, key=lambda r: (not r["errors"], r["number"]))[:PREVIEW_ROWS]
    return totals, preview


def _finish(job: ImportJob, state: str, *, field: str = "finished_at", **values) -> None:
    ImportJob.objects.filter(pk=job.pk).update(state=state, **{field: timezone.now()}, **values)
    REDIS.call(cache.delete, _progress_key(job))


# Progress: in the cache, since the rows are written in a transaction nobody else can see into.


def _progress_key(job: ImportJob) -> str:
    return f"spreadsheets:progress:{job.pk}"


def _progress_set(job: ImportJob, done: int) -> None:
    # Redis away: the page shows no figure, the import goes on
    REDIS.call(cache.set, _progress_key(job), done, timeout=3600)


def _progress(job: ImportJob, done: int) -> None:
    if done % PROGRESS_EVERY == 0 or done == job.row_count:
        _progress_set(job, done)


def progress_of(job: ImportJob) -> int | None:
    """Rows checked or written so far, while the job runs."""
    return REDIS.call(cache.get, _progress_key(job))


def _publish(task_name: str, job: ImportJob) -> None:
    try:
        current_app.send_task(task_name, [str(job.pk)], retry=False)
    except Exception as error:  # the broker is away: say so on the job's page
        REDIS.failed(error)
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportState.FAILED,
            error="The background worker could not be reached; nothing was written. Try again shortly.",
        )
