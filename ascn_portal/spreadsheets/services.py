"""Spreadsheet imports: a file is read and every row checked without writing anything; a person
confirms; then the rows are written in one transaction (a bad row never half-writes). Small files
are checked at once, large ones in the background with their progress shown."""

from __future__ import annotations

import datetime
import io
import logging
import time
import zipfile
from contextlib import contextmanager
from xml.etree import ElementTree

import tablib
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from defusedxml import DefusedXmlException
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from ascn_portal.archives import ImplausibleArchive, check_archive
from ascn_portal.outages import REDIS

from .models import RUNNING, ImportJob, ImportState
from .registry import resource_for
from .resources import CellError, ImportStopped

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 500  # rows kept for the preview page: the ones with errors first, then the others
PROGRESS_EVERY = 50


# Reading a file -------------------------------------------------------------------------------


HOSTILE_XML = _lazy(
    "The file cannot be read: it declares XML entities, which make a small file grow enormously when it is "
    "opened (a “billion laughs” file). Open it in your spreadsheet program, save it again as an Excel workbook "
    "(.xlsx) or as CSV UTF-8, and send that."
)
HOSTILE_ARCHIVE = _lazy(
    "The file cannot be read: it is packed so that it would grow to an implausible size when opened (a “zip "
    "bomb”; %(detail)s). Open it in your spreadsheet program, save it again as an Excel workbook (.xlsx), and "
    "send that."
)
NOT_XLSX = _lazy(
    "The file could not be read as an Excel workbook (.xlsx). Save it again from your spreadsheet program as "
    ".xlsx or as CSV UTF-8, and send that."
)


def read_dataset(data: bytes, file_format: str) -> tablib.Dataset:
    """The rows of a CSV (UTF-8, with or without a byte order mark) or XLSX file (its first sheet;
    formulas read as the values they showed). A file that cannot be read is refused in plain words:
    what is wrong with it and what to send instead, never a parser's own message."""
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
            logger.info("CSV not read: %r", error)
            raise ValidationError(
                _(
                    "The file could not be read as CSV: its rows do not have the same columns. Export the list to "
                    "see the layout, and save the file as CSV UTF-8."
                )  # fmt: skip
            ) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
    except ImplausibleArchive as problem:
        raise ValidationError(HOSTILE_ARCHIVE % {"detail": problem}) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise ValidationError(NOT_XLSX) from None
    try:
        return tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    except Exception as error:
        if any(_declares_entities(e) for e in _causes(error)):
            raise ValidationError(HOSTILE_XML) from None
        logger.info("XLSX not read: %r", error)
        raise ValidationError(NOT_XLSX) from None


def _causes(error: BaseException):
    """The error and those it was raised from (openpyxl wraps the XML parser's)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _declares_entities(error: BaseException) -> bool:
    if isinstance(error, DefusedXmlException):
        return True
    return isinstance(error, ElementTree.ParseError) and ("amplification" in str(error) or "entit" in str(error))


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
    missing = [h for h in resource_class().required_columns() if h not in headers]
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
                                   row_count=dataset.height, created_by=by, queued_at=timezone.now())  # fmt: skip
    _hand_over(job, "spreadsheets.check")
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
        job.queued_at, job.started_at = job.confirmed_at, None
        job.save(update_fields=["state", "confirmed_at", "queued_at", "started_at"])
    _progress_set(job, 0)
    _hand_over(job, "spreadsheets.run")
    return job


def job_cancel(*, job: ImportJob, by) -> ImportJob:
    """Stop a job that is queued, being checked, waiting for confirmation or being imported. A running
    check or import sees it within a few rows and rolls back: nothing is written."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.may_cancel:
            raise ValidationError(
                _("This import is “%(state)s”; only a job that is queued, running or waiting can be cancelled.")
                % {"state": job.get_state_display()}
            )
        job.state, job.finished_at = ImportState.CANCELLED, timezone.now()
        job.error = _("Cancelled by %(person)s; nothing was written.") % {"person": by}
        job.save(update_fields=["state", "finished_at", "error"])
        _record(job, by, "Cancelled")
    _progress_forget(job)
    return job


def job_retry(*, job: ImportJob, by) -> ImportJob:
    """Check a failed or cancelled job's file again, from the start. Pressed twice, it starts once:
    the second press finds the job running and is refused."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.may_restart:
            raise ValidationError(
                _("This import is “%(state)s”; only a failed or cancelled import can be started again.")
                % {"state": job.get_state_display()}
            )
        if not job.data:
            raise ValidationError(_("This import's file is no longer kept; send it again."))
        job.state, job.queued_at = ImportState.CHECKING, timezone.now()
        job.started_at = job.checked_at = job.confirmed_at = job.finished_at = None
        job.totals, job.preview, job.error = {}, [], ""
        job.save(update_fields=["state", "queued_at", "started_at", "checked_at", "confirmed_at", "finished_at",
                                "totals", "preview", "error"])  # fmt: skip
        _record(job, by, "Started again")
    _hand_over(job, "spreadsheets.check")
    return job


def _record(job: ImportJob, by, what: str) -> None:
    """A person's action on a job, in the job's admin history."""
    LogEntry.objects.log_actions(user_id=by.pk, queryset=[job], action_flag=CHANGE, change_message=what,
                                 single_object=True)  # fmt: skip


def _hand_over(job: ImportJob, task_name: str) -> None:
    """A small file is worked at once, in the request; a large one by the worker after commit."""
    if job.row_count <= settings.SPREADSHEET_INLINE_ROWS:
        (job_check if task_name == "spreadsheets.check" else job_run)(str(job.pk))
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _publish(task_name, job))


# Working a job: a lease, so that a job whose worker died is found and ended --------------------

LEASE_SPACE = 0x5350  # the first key of the advisory locks on jobs; the second is the job id's hash


@contextmanager
def _lease(job_id: str):
    """A PostgreSQL advisory lock on the job for as long as this process works on it. It is released
    when the work ends or, if the process dies (time limit, killed worker, restart), with its
    connection: the sweep then finds the job started and unleased, so dead."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LEASE_SPACE, str(job_id)])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LEASE_SPACE, str(job_id)])
            except DatabaseError:  # the connection is gone, and the lock went with it
                pass


def _stopped_message(state: str) -> str:
    if state == ImportState.IMPORTING:
        return _(
            "The worker stopped while importing this file (time limit or restart); nothing was written. "
            "Start it again from this page."
        )
    return _(
        "The worker stopped while checking this file (time limit or restart); nothing was written. "
        "Start it again from this page."
    )


def time_limit_message() -> str:
    seconds = settings.SPREADSHEET_TIME_LIMIT_SECONDS
    if seconds < 120:
        limit = ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
    else:
        minutes = round(seconds / 60)
        limit = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    return _(
        "The file took longer than the %(limit)s an import may take; nothing was written. "
        "Start it again when the portal is less busy, or split the file."
    ) % {"limit": limit}


def job_check(job_id: str) -> str:
    return _work(job_id, ImportState.CHECKING)


def job_run(job_id: str) -> str:
    return _work(job_id, ImportState.IMPORTING)


def _work(job_id: str, state: str) -> str:
    with _lease(job_id) as held:
        if not held:
            return "busy"  # another process works on this job
        job = ImportJob.objects.filter(pk=job_id, state=state).first()
        if job is None:
            return "skipped"  # cancelled, ended by the sweep, or done by an earlier delivery
        if job.started_at is not None:  # an earlier delivery began it and its worker died
            _finish(job, ImportState.FAILED, state, error=_stopped_message(state))
            return ImportState.FAILED
        job.started_at = timezone.now()
        job.deadline = time.monotonic() + settings.SPREADSHEET_TIME_LIMIT_SECONDS
        ImportJob.objects.filter(pk=job.pk).update(started_at=job.started_at)
        _progress_set(job, 0)
        try:
            return _check(job) if state == ImportState.CHECKING else _run(job)
        except ImportStopped as stop:
            _finish(job, stop.state, state, error=str(stop.message))
            return stop.state
        except SoftTimeLimitExceeded:
            logger.warning("Import %s ran out of time while %s", job_id, state)
            _finish(job, ImportState.FAILED, state, error=time_limit_message())
            return ImportState.FAILED
        except Exception:  # a fault of the portal's, not of a row: say so, write nothing
            logger.exception("Import %s failed while %s", job_id, state)
            error = _("The work on this file stopped on a fault of the portal's; nothing was written. "
                      "The administrators have the details.")  # fmt: skip
            _finish(job, ImportState.FAILED, state, error=error)
            return ImportState.FAILED


def _check(job: ImportJob) -> str:
    result = _import(job, dry_run=True)
    totals, preview = _summary(result)
    outcome = ImportState.INVALID if totals["errors"] else ImportState.CHECKED
    _finish(job, outcome, ImportState.CHECKING, totals=totals, preview=preview, field="checked_at")
    return outcome


def _run(job: ImportJob) -> str:
    with transaction.atomic():  # the rows and the job's "done" are committed together, or neither
        result = _import(job, dry_run=False)
        totals, preview = _summary(result)
        if totals["errors"]:  # the data changed since the check: the rows were rolled back
            changed = _(
                "Rows that passed the check failed on import (the data changed meanwhile); nothing was written."
            )
            _finish(job, ImportState.FAILED, ImportState.IMPORTING, totals=totals, preview=preview, error=changed)
            return ImportState.FAILED
        # A cancel that came after the last look is seen here, under the job's lock: it wins.
        if not ImportJob.objects.select_for_update().filter(pk=job.pk, state=ImportState.IMPORTING).exists():
            raise ImportStopped(ImportState.CANCELLED, _("Cancelled; nothing was written."))
        _finish(job, ImportState.DONE, ImportState.IMPORTING, totals=totals, preview=preview, data=b"")
    return ImportState.DONE


def _import(job: ImportJob, *, dry_run: bool):
    dataset = read_dataset(bytes(job.data), job.file_format)
    resource = resource_for(job.resource)(by=job.created_by, file_name=job.file_name,
                                          progress=lambda n: _progress(job, n))  # fmt: skip
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
                                  rollback_on_validation_errors=True)  # fmt: skip
    result.columns = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
    for error in result.base_errors:  # before or after the rows (e.g. their history): all was rolled back
        if isinstance(error.error, ImportStopped | SoftTimeLimitExceeded):
            raise error.error
        raise RuntimeError("The import failed outside its rows") from error.error
    return result


def job_stop(job_id: str, reason: str) -> bool:
    """End a running job that its worker left (time limit, death): failed, with the reason."""
    job = ImportJob.objects.filter(pk=job_id, state__in=RUNNING).first()
    if job is None:
        return False
    return _finish(job, ImportState.FAILED, job.state, error=reason)


OVERRUN_GRACE_SECONDS = 120  # past its time limit and this, a job still held is stuck: it is ended


def jobs_sweep() -> int:
    """Every minute (beat): a job a worker began and no longer holds ends as failed with the reason;
    one still held long past its time limit is stuck (e.g. waiting on a lock, where neither the job's
    own clock nor Celery's limits reach it): it ends as failed and its database session is ended, so
    its transaction rolls back; a job no worker took within SPREADSHEET_QUEUE_WAIT_SECONDS ends too
    (the broker lost it)."""
    now, ended = timezone.now(), 0
    waited = now - datetime.timedelta(seconds=settings.SPREADSHEET_QUEUE_WAIT_SECONDS)
    overrun = now - datetime.timedelta(seconds=settings.SPREADSHEET_TIME_LIMIT_SECONDS + OVERRUN_GRACE_SECONDS)
    for job in ImportJob.objects.filter(state__in=RUNNING).defer("data", "preview"):
        if job.started_at is None:
            if job.queued_at is not None and job.queued_at < waited:
                reason = _("No worker took this file in time (the worker was away or restarted); nothing was "
                           "written. Start it again from this page.")  # fmt: skip
                ended += _finish(job, ImportState.FAILED, job.state, error=reason)
            continue
        with _lease(str(job.pk)) as free:
            if free:  # nobody works on it: its worker is gone
                logger.warning("Import %s was left %s by its worker; marked failed", job.pk, job.state)
                ended += _finish(job, ImportState.FAILED, job.state, error=_stopped_message(job.state),
                                 started_at=job.started_at)  # fmt: skip
                continue
        if job.started_at < overrun:  # held, and long past its limit: stuck
            logger.warning("Import %s is stuck %s past its time limit; ended", job.pk, job.state)
            if _finish(job, ImportState.FAILED, job.state, error=time_limit_message(), started_at=job.started_at):
                ended += 1
                _end_holder(str(job.pk))
    return ended


def _end_holder(job_id: str) -> None:
    """End the database session that holds a job's lease: its transaction rolls back, and the task
    in it fails (the job is already failed: a run's last look, under the job's lock, finds it so)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND objid = hashtext(%s)::oid AND pid <> pg_backend_pid()",
            [LEASE_SPACE, job_id],
        )


def _summary(result) -> tuple[dict, list[dict]]:
    """Each row's outcome, its errors as sentences that name the row (as the spreadsheet numbers it,
    the header being row 1) and the column."""
    columns = getattr(result, "columns", {})
    rows = []
    for number, row_result in enumerate(result.rows, start=1):
        errors = []
        line = number + 1
        if row_result.validation_error is not None:
            for field, messages in row_result.validation_error.message_dict.items():
                errors.extend(_row_error(line, "" if field == "__all__" else columns.get(field, field), m)
                              for m in messages)  # fmt: skip
        for error in row_result.errors:
            if isinstance(error.error, CellError):
                errors.append(_row_error(line, error.error.column, error.error.message))
            else:  # not the file's fault: say so, and keep the details for the administrators
                logger.error("Import row %s failed", line, exc_info=error.error)
                errors.append(_row_error(line, "", _("the portal could not read this row; the administrators "
                                                      "have the details")))  # fmt: skip
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


def _row_error(line: int, column: str, message) -> str:
    if column:
        return _("Row %(row)s, column %(column)s: %(message)s") % {"row": line, "column": column, "message": message}
    return _("Row %(row)s: %(message)s") % {"row": line, "message": message}


def _finish(
    job: ImportJob, state: str, from_state: str, *, field: str = "finished_at", started_at=None, **values
) -> bool:
    """Move a job on, only if it is still where its worker left it (a cancel or the sweep may have
    ended it meanwhile: theirs is the last word)."""
    running = ImportJob.objects.filter(pk=job.pk, state=from_state)
    if started_at is not None:
        running = running.filter(started_at=started_at)
    moved = running.update(state=state, **{field: timezone.now()}, **values)
    _progress_forget(job)
    return bool(moved)


# Progress: in the cache, since the rows are written in a transaction nobody else can see into.


def _progress_key(job: ImportJob) -> str:
    return f"spreadsheets:progress:{job.pk}"


def _progress_set(job: ImportJob, done: int) -> None:
    # Redis away: the page shows no figure, the import goes on
    REDIS.call(cache.set, _progress_key(job), done, timeout=3600)


def _progress(job: ImportJob, done: int) -> None:
    """Every few rows: the figure the page shows, a look whether someone cancelled the job, and at the
    clock (the job ends itself at its time limit; Celery's own limits are the backstop)."""
    if done % PROGRESS_EVERY == 0 or done == job.row_count:
        _progress_set(job, done)
        if ImportJob.objects.filter(pk=job.pk, state=ImportState.CANCELLED).exists():
            raise ImportStopped(ImportState.CANCELLED, _("Cancelled; nothing was written."))
        if time.monotonic() > getattr(job, "deadline", float("inf")):
            raise ImportStopped(ImportState.FAILED, time_limit_message())


def _progress_forget(job: ImportJob) -> None:
    REDIS.call(cache.delete, _progress_key(job))


def progress_of(job: ImportJob) -> int | None:
    """Rows checked or written so far, while the job runs."""
    return REDIS.call(cache.get, _progress_key(job))


def _publish(task_name: str, job: ImportJob) -> None:
    try:
        current_app.send_task(task_name, [str(job.pk)], retry=False)
    except Exception as error:  # the broker is away: say so on the job's page
        REDIS.failed(error)
        ImportJob.objects.filter(pk=job.pk, state=job.state).update(
            state=ImportState.FAILED,
            error=_("The background worker could not be reached; nothing was written. Start it again shortly."),
        )
