"""Background imports that die end visibly: a job whose worker is killed, restarted or out of time ends
as failed with its reason, and the secretariat cancels a job or starts it again from its page.

These run a real `celery worker` process on a Redis of their own (so that no other worker of the
suite takes their tasks), on the test database: they are transactional.
"""

import datetime
import os
import signal
import threading
import time

import psutil
import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import account_create
from ascn_portal.spreadsheets import services
from ascn_portal.spreadsheets.models import ImportJob
from ascn_portal.spreadsheets.tasks import sweep
from ascn_portal.testing.services import WorkerProcess, wait_for
from cities.models import City

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEADER = "slug,name,member_state,latitude,longitude,population,kind,joined_year,status,website,summary"


def towns(count: int) -> bytes:
    lines = [HEADER] + [f"town-{i:05d},Town {i:05d},TH,15.{i % 9999:04d},101.{i % 9999:04d},,,2025,active,,"
                        for i in range(count)]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def staff(client, transactional_db):
    person = account_create(email="sec@asean.example", role="secretariat", full_name="Siti", password="pass-W0rd-long")
    client.force_login(person)
    client.person = person
    return client


def worker(own_redis, **env) -> WorkerProcess:
    return WorkerProcess(redis_url=own_redis.url, email_url="memorymail://", extra_env=env)


def send(client, data: bytes, name: str = "towns.csv") -> ImportJob:
    response = client.post("/admin/cities/city/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def state_of(job: ImportJob, timeout: float, *states: str, process: WorkerProcess | None = None) -> ImportJob:
    def moved():
        job.refresh_from_db()
        return job.state in states

    try:
        wait_for(moved, timeout=timeout, interval=0.2, what=f"the job to be {' or '.join(states)}")
    except AssertionError:
        raise AssertionError(f"{job.state}: {job.error}\n{process.output()[-3000:] if process else ''}") from None
    return job


def page_of(client, job: ImportJob) -> str:
    return client.get(f"/admin/cities/city/import/{job.pk}/").content.decode()


def kill(process: WorkerProcess) -> None:
    """The whole worker dies at once, as on an out-of-memory kill or a machine's restart."""
    parent = psutil.Process(process.process.pid)
    for pid in [parent.pid, *(child.pid for child in parent.children(recursive=True))]:
        os.kill(pid, signal.SIGKILL)
    process.process.wait(10)


def test_a_job_whose_worker_is_killed_mid_check_ends_failed_after_the_sweep_and_starts_again_to_success(
    staff, own_redis
):
    with worker(own_redis) as first:
        job = send(staff, towns(5000))
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).started_at, timeout=30, what="the worker to begin")
        time.sleep(1)
        assert sweep.apply().get() == 0  # a job its worker holds is left alone
        job.refresh_from_db()
        assert job.state == "checking"
        kill(first)
    started = time.monotonic()
    # What beat runs every minute; PostgreSQL ends the dead worker's session (and its lease) within moments.
    wait_for(lambda: sweep.apply().get() == 1, timeout=30, interval=0.5, what="the sweep to end the job")
    job.refresh_from_db()
    assert job.state == "failed"
    assert "The worker stopped while checking this file (time limit or restart)" in job.error
    page = page_of(staff, job)
    assert "Failed; nothing was written" in page and "The worker stopped while checking" in page
    assert "Start again" in page and not City.objects.filter(slug__startswith="town-").exists()
    print(f"\n[measured] a killed check ended failed {time.monotonic() - started:.1f} s after the worker died")

    with worker(own_redis) as second:
        response = staff.post(f"/admin/spreadsheets/importjob/{job.pk}/restart/",
                              {"next": f"/admin/cities/city/import/{job.pk}/"})  # fmt: skip
        assert response.status_code == 302 and response["Location"] == f"/admin/cities/city/import/{job.pk}/"
        assert staff.post(f"/admin/spreadsheets/importjob/{job.pk}/restart/").status_code == 302  # twice: once
        state_of(job, 120, "checked", process=second)
        assert job.error == "" and job.totals["new"] == 5000
        staff.post(f"/admin/cities/city/import/{job.pk}/")
        state_of(job, 120, "done", process=second)
    assert City.objects.filter(slug__startswith="town-").count() == 5000
    assert second.output().count("spreadsheets.check[") == 2  # received and succeeded: one check only
    assert list(LogEntry.objects.filter(object_id=str(job.pk)).values_list("change_message", flat=True)) == [
        "Started again"
    ]


def test_a_pool_process_killed_mid_import_ends_the_job_failed_with_its_reason(staff, own_redis):
    """The pool process dies and Celery hands the task out again: the second delivery finds the job
    begun by a dead worker and ends it, rather than writing the file twice or forever."""
    with worker(own_redis) as process:
        job = send(staff, towns(3000))
        state_of(job, 120, "checked", process=process)
        staff.post(f"/admin/cities/city/import/{job.pk}/")
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).started_at, timeout=30, what="the import to begin")
        time.sleep(1)
        (child,) = process.pool_children()
        os.kill(child, signal.SIGKILL)
        state_of(job, 60, "failed", process=process)
    assert "The worker stopped while importing this file (time limit or restart)" in job.error
    assert not City.objects.filter(slug__startswith="town-").exists()


def test_a_check_past_its_time_limit_ends_failed_saying_so(staff, own_redis):
    with worker(own_redis, DJANGO_SPREADSHEET_TIME_LIMIT_SECONDS="2") as process:
        job = send(staff, towns(5000))
        state_of(job, 60, "failed", process=process)
    assert "The file took longer than the 2 seconds an import may take; nothing was written." in job.error
    assert "SoftTimeLimitExceeded" not in job.error and "Traceback" not in job.error
    assert job.totals == {} and not City.objects.filter(slug__startswith="town-").exists()


def test_an_import_stuck_past_its_time_limit_is_ended_by_the_sweep_saying_so(staff, own_redis):
    """Stuck where the job cannot look at its clock (waiting on a row another transaction holds): the
    sweep ends it as failed with the reason and ends its database session, so nothing is written."""
    held, release = threading.Event(), threading.Event()

    def hold_bangkok():
        with transaction.atomic():
            City.objects.select_for_update().get(slug="bangkok")
            held.set()
            release.wait(60)
        connection.close()

    text = HEADER + "\nbangkok,Bangkok Metropolis,TH,13.7563,100.5018,,,2018,active,,\n"
    holder = threading.Thread(target=hold_bangkok)
    with worker(own_redis) as process:
        job = send(staff, text.encode() + towns(300).split(b"\n", 1)[1])
        state_of(job, 60, "checked", process=process)
        holder.start()
        try:
            assert held.wait(10)
            staff.post(f"/admin/cities/city/import/{job.pk}/")
            wait_for(lambda: ImportJob.objects.get(pk=job.pk).started_at, timeout=30, what="the import to begin")
            time.sleep(1)
            assert sweep.apply().get() == 0  # held and within its time: left alone
            long_ago = job.started_at or ImportJob.objects.get(pk=job.pk).started_at
            past = settings.SPREADSHEET_TIME_LIMIT_SECONDS + services.OVERRUN_GRACE_SECONDS + 1
            ImportJob.objects.filter(pk=job.pk).update(started_at=long_ago - datetime.timedelta(seconds=past))
            assert sweep.apply().get() == 1
            wait_for(lambda: "spreadsheets.run" in process.output().split("received")[-1], timeout=30,
                     what="the stuck task to end")  # fmt: skip
        finally:
            release.set()
            holder.join()
    job.refresh_from_db()
    assert job.state == "failed" and "The file took longer than the 15 minutes an import may take" in job.error
    assert City.objects.get(slug="bangkok").name == "Bangkok"
    assert not City.objects.filter(slug__startswith="town-").exists()


def test_the_secretariat_cancels_a_running_import_and_nothing_is_written(staff, own_redis):
    with worker(own_redis) as process:
        job = send(staff, towns(5000))
        state_of(job, 120, "checked", process=process)
        staff.post(f"/admin/cities/city/import/{job.pk}/")
        wait_for(lambda: ImportJob.objects.get(pk=job.pk).started_at, timeout=30, what="the import to begin")
        time.sleep(0.5)
        response = staff.post(f"/admin/spreadsheets/importjob/{job.pk}/cancel/", follow=True)
        assert "The import of towns.csv is cancelled; nothing was written." in response.content.decode()
        wait_for(lambda: "succeeded" in process.output().split("spreadsheets.run[")[-1], timeout=60,
                 what="the import task to stop")  # fmt: skip
    job.refresh_from_db()
    assert job.state == "cancelled" and job.error == "Cancelled by Siti; nothing was written."
    assert "'cancelled'" in process.output()  # the task saw it and stopped, rather than ran to its end
    assert not City.objects.filter(slug__startswith="town-").exists()
    assert "Start again" in page_of(staff, job)


def test_a_job_waiting_for_confirmation_is_cancelled_and_can_no_longer_be_imported(staff):
    job = send(staff, towns(3))  # small: checked at once, in the request
    assert job.state == "checked"
    response = staff.post(f"/admin/spreadsheets/importjob/{job.pk}/cancel/", follow=True)
    assert "The import of towns.csv is cancelled; nothing was written." in response.content.decode()
    staff.post(f"/admin/cities/city/import/{job.pk}/")
    job.refresh_from_db()
    assert job.state == "cancelled" and not City.objects.filter(slug__startswith="town-").exists()
    staff.post(f"/admin/spreadsheets/importjob/{job.pk}/restart/")
    job.refresh_from_db()
    assert job.state == "checked" and job.totals["new"] == 3  # checked again at once
    assert [e.change_message for e in LogEntry.objects.filter(object_id=str(job.pk)).order_by("pk")] == [
        "Cancelled",
        "Started again",
    ]


def test_only_the_secretariat_cancels_or_restarts_and_nothing_changes_otherwise(client, staff):
    job = send(staff, towns(3))
    failed = send(staff, towns(2), "two.csv")
    ImportJob.objects.filter(pk=failed.pk).update(state="failed", error="The worker stopped.")
    csco = account_create(email="csco@bangkok.example", role="csco", city=City.objects.get(slug="bangkok"),
                          password="a-Long-passw0rd!")  # fmt: skip
    staff_elsewhere = User.objects.create_user("old.staff@example.org", "a-Long-passw0rd!", is_staff=True)
    for person, answer in ((csco, 302), (staff_elsewhere, 403)):
        client.force_login(person)
        for url in (f"/admin/spreadsheets/importjob/{job.pk}/cancel/",
                    f"/admin/spreadsheets/importjob/{failed.pk}/restart/"):  # fmt: skip
            response = client.post(url)
            assert response.status_code == answer, (person, url)
            if answer == 302:
                assert "/admin/login/" in response["Location"]
    assert ImportJob.objects.get(pk=job.pk).state == "checked"
    assert ImportJob.objects.get(pk=failed.pk).state == "failed"
    assert not LogEntry.objects.exists()


def test_a_job_no_worker_took_ends_failed_after_the_wait(staff, own_redis):
    job = send(staff, towns(1000))  # queued on a broker no worker reads
    assert job.state == "checking" and job.queued_at is not None
    assert services.jobs_sweep() == 0
    ImportJob.objects.filter(pk=job.pk).update(
        queued_at=job.queued_at - datetime.timedelta(seconds=settings.SPREADSHEET_QUEUE_WAIT_SECONDS + 1)
    )
    assert services.jobs_sweep() == 1
    job.refresh_from_db()
    assert job.state == "failed" and "No worker took this file in time" in job.error


def test_the_sweep_runs_every_minute_and_a_late_run_is_dropped():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "spreadsheets.sweep")
    assert entry["schedule"] <= 60 and entry["options"]["expires"] < entry["schedule"]
