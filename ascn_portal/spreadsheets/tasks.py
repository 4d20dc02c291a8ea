"""Checks and imports of large spreadsheets, in the background. They take a job's id and are safe to
run twice: a job that is no longer in the state the task expects is left alone."""

from celery import shared_task

from . import services

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(name="spreadsheets.check", **TASK_OPTIONS)
def check(job_id: str) -> str:
    return services.job_check(job_id)


@shared_task(name="spreadsheets.run", **TASK_OPTIONS)
def run(job_id: str) -> str:
    return services.job_run(job_id)
