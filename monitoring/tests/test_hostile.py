"""The yearly cycle's writes as outside testing tries them: two at once on two connections, the same
one twice, a body nested deep, and the pages with debug on."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from action_plans import services as plans
from action_plans.models import ProgressReport
from ascn_portal.errors import Conflict
from monitoring import services
from monitoring.models import CityReport, MonitoringRound

pytestmark = pytest.mark.django_db


def _at_once(*calls):
    barrier, results = threading.Barrier(len(calls)), []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(("ok", call()))
        except Exception as error:  # noqa: BLE001  counted below
            results.append(("refused", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_openings_of_a_round_at_once_open_one(transactional_db, network, secretariat):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    results = _at_once(*[lambda: services.round_open(year=2025, deadline=deadline, by=secretariat)] * 2)
    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    assert isinstance(next(r for kind, r in results if kind == "refused"), Conflict)
    assert MonitoringRound.objects.filter(year=2025).count() == 1


def test_the_same_report_filed_twice_at_once_is_one_report(transactional_db, network, csco_bangkok):
    def file():
        return plans.progress_report_save(project=network["p2"], by=csco_bangkok, year=2025, percent_complete=30,
                                          status="delayed", narrative="x", version=0)  # fmt: skip

    results = _at_once(file, file)
    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    assert ProgressReport.objects.filter(project=network["p2"], year=2025).count() == 1


def test_two_submissions_of_a_citys_report_at_once_move_it_once(transactional_db, network, secretariat, csco_bangkok):
    round_ = MonitoringRound.objects.create(year=2025, deadline="2099-12-31", opened_by=secretariat)
    for name in ("p2",):
        plans.progress_report_save(project=network[name], by=csco_bangkok, year=2025, percent_complete=30,
                                   status="delayed", narrative="Tendering.", version=0)  # fmt: skip
    city = network["bangkok"].city
    results = _at_once(*[lambda: services.city_report_move(round_=round_, city=city, action="submit",
                                                           by=csco_bangkok)] * 2)  # fmt: skip
    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    report = CityReport.objects.get(round=round_, city=city)
    assert report.state == "submitted" and report.transitions.count() == 1


def test_a_progress_save_during_the_citys_submission_waits_for_it_and_is_refused(
    transactional_db, network, secretariat, csco_bangkok
):
    """The CSCO corrects a project while a colleague's submission of the city's report is under way:
    the correction must not land in the report the secretariat now reviews."""
    round_ = MonitoringRound.objects.create(year=2025, deadline="2099-12-31", opened_by=secretariat)
    plans.progress_report_save(project=network["p2"], by=csco_bangkok, year=2025, percent_complete=30,
                               status="delayed", narrative="Tendering.", version=0)  # fmt: skip
    city = network["bangkok"].city
    submitted, release, outcome = threading.Event(), threading.Event(), []

    def submit_and_hold():
        try:
            with transaction.atomic():  # the submission's check has passed; its commit comes a moment later
                services.city_report_move(round_=round_, city=city, action="submit", by=csco_bangkok)
                submitted.set()
                release.wait(timeout=10)
        finally:
            submitted.set()
            connection.close()

    def correct():
        submitted.wait(timeout=10)
        try:
            plans.progress_report_save(project=network["p2"], by=csco_bangkok, year=2025, percent_complete=5,
                                       status="delayed", narrative="", version=1)  # fmt: skip
            outcome.append("saved")
        except Conflict as error:
            outcome.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_and_hold), threading.Thread(target=correct)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)  # the correction waits for the submission (or, unguarded, lands at once)
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert CityReport.objects.get(round=round_, city=city).state == "submitted"
    assert outcome and "with the secretariat" in outcome[0], outcome
    assert ProgressReport.objects.get(project=network["p2"], year=2025).percent_complete == 30


def test_a_deep_or_odd_body_is_a_400_and_writes_nothing(network, csco_bangkok):
    api = APIClient()
    api.force_authenticate(csco_bangkok)
    deep = {}
    for _ in range(40):
        deep = {"a": deep}
    base = {"project": network["p2"].pk, "year": 2025, "status": "delayed", "percent_complete": 25}
    for body in ({**base, "kpi_values": {str(network["k2"].pk): {"nested": "1"}}}, {**base, "kpi_values": deep},
                 {**base, "narrative": ["a", "list"]}, [base]):  # fmt: skip
        response = api.post("/api/v1/progress-reports/", body, format="json")
        assert response.status_code == 400, (body, response.content)
    assert not ProgressReport.objects.filter(project=network["p2"], year=2025).exists()


@pytest.mark.parametrize("debug", [True, False])
def test_the_new_pages_answer_alike_with_debug_on_and_off(client, settings, network, secretariat, csco_bangkok,
                                                           debug):  # fmt: skip
    settings.DEBUG = debug
    MonitoringRound.objects.create(year=2025, deadline="2099-12-31", opened_by=secretariat)
    client.force_login(secretariat)
    for url in ("/monitoring/", "/monitoring/2025/", "/monitoring/2025/cities/bangkok/", "/reports/2025/", "/data/",
                "/member-states/TH/?as_of=2020-01-01", "/admin/cities/city/import/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    client.force_login(csco_bangkok)  # the project's form is its CSCO's
    assert client.get(f"/monitoring/2025/cities/bangkok/projects/{network['p2'].pk}/").status_code == 200
    assert client.get("/monitoring/2025/cities/nowhere/").status_code == 404
    assert client.get("/reports/1999/").status_code == 404
