"""Checks and imports of large spreadsheets, in the background. They take a job's id and are safe to
run twice: a job that is no longer in the state the task expects is left alone.

A check or an import has SPREADSHEET_TIME_LIMIT_SECONDS: past it the job ends itself as failed (it
looks at the clock every few rows); Celery's soft limit a little later raises inside the task, and
its hard limit kills the task and records the reason from the worker's main process. A worker
that dies or restarts mid-job leaves the job's lease free: the sweep, every minute, ends such a job
as failed with the reason."""

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded
from django.conf import settings

from . import services

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
LIMIT = settings.SPREADSHEET_TIME_LIMIT_SECONDS
SOFT_LIMIT_MARGIN = min(15, LIMIT)  # seconds after the job's own limit: the task is interrupted
HARD_LIMIT_MARGIN = min(45, 3 * LIMIT)  # and then killed: time enough to roll back and record


class JobTask(Task):
    soft_time_limit = LIMIT + SOFT_LIMIT_MARGIN
    time_limit = LIMIT + HARD_LIMIT_MARGIN

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called in the worker's main process when the hard time limit killed the task."""
        if isinstance(exc, TimeLimitExceeded) and args:
            services.job_stop(args[0], services.time_limit_message())


@shared_task(name="spreadsheets.check", base=JobTask, **TASK_OPTIONS)
def check(job_id: str) -> str:
    return services.job_check(job_id)


@shared_task(name="spreadsheets.run", base=JobTask, **TASK_OPTIONS)
def run(job_id: str) -> str:
    return services.job_run(job_id)


@shared_task(name="spreadsheets.sweep", ignore_result=True)
def sweep() -> int:
    return services.jobs_sweep()
