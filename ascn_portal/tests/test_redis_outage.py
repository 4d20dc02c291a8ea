"""Redis stopped for real while people work: a plan moves, lists and the roll-up answer from the
database, and the log has one warning for the outage (whichever use of Redis meets it first: the
cache generations renewed after commit, the list cache, the rate limit, the task broker) and one
line when Redis answers again, never an error with a traceback."""

import logging
import subprocess
import time

import pytest
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import ActionPlan
from action_plans.tests.factories import draft_plan, project
from ascn_portal.notifications.services import broker_pause_reset
from ascn_portal.outages import REDIS
from ascn_portal.testing.services import RedisServer, point_celery_at

AWAY = "is not answering"


def _fresh_state():
    REDIS.down = False
    REDIS._owed.clear()
    broker_pause_reset()


@pytest.fixture
def own_redis(settings, transactional_db):
    """The cache, the rate limit and the broker on a Redis of this test's own, so it can be stopped."""
    redis = RedisServer()
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.broker_url,
            "KEY_PREFIX": "ascn",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.API_LIST_CACHE_SECONDS = 600
    previous = point_celery_at(redis.broker_url)
    _fresh_state()
    yield redis
    if not redis.answers():
        redis.start()  # started again after the drill, as the test left it stopped
    redis.stop()
    point_celery_at(previous)
    _fresh_state()


def _problems(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_plan_moved_while_redis_is_stopped_succeeds_with_one_warning_for_the_outage(
    own_redis, client, csco_bangkok, nr_thailand, caplog
):
    plan = draft_plan(title="Smart Bangkok 2026-2030")
    project(plan, title="Flood early warning")
    api = APIClient()
    assert api.get("/api/v1/projects/").status_code == 200  # Redis in use: the list cache, the rate limit

    own_redis.stop()
    caplog.set_level(logging.WARNING)
    client.force_login(csco_bangkok)
    response = client.post(f"/action-plans/{plan.pk}/move/submit/", {"version": 1})
    assert response.status_code == 302
    client.force_login(nr_thailand)
    response = client.post(f"/action-plans/{plan.pk}/move/endorse/", {"version": 2})
    assert response.status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).state == PlanState.ENDORSED
    for path in ("/api/v1/projects/", "/projects/", "/monitoring/2026/"):
        assert client.get(path).status_code in (200, 404), path

    away = [r for r in caplog.records if AWAY in r.getMessage()]
    assert len(away) == 1, [r.getMessage() for r in caplog.records]
    assert away[0].levelno == logging.WARNING and away[0].exc_info is None
    assert _problems(caplog) == []

    own_redis.start()
    caplog.clear()
    assert api.get("/api/v1/projects/").status_code == 200
    assert [r.getMessage() for r in caplog.records if "Redis" in r.getMessage()] == ["Redis answers again."]
    assert _problems(caplog) == []


def test_a_change_made_while_redis_did_not_answer_is_seen_once_it_answers_again(own_redis, caplog):
    """Redis keeps its data but stops answering for a moment (a failover, a pause): the catalogue's
    generation could not be renewed after the change, so the process renews it before it reads
    a page kept under the old one."""
    from django.db import transaction

    plan = draft_plan(state=PlanState.APPROVED, title="Bangkok SCAP")
    flood = project(plan, title="Flood early warning")
    api = APIClient()
    titles = lambda: [p["title"] for p in api.get("/api/v1/projects/").json()["results"]]  # noqa: E731
    assert titles() == ["Flood early warning"] == titles()  # the second from Redis

    caplog.set_level(logging.WARNING)
    subprocess.run([own_redis.cli_path, "-p", str(own_redis.port), "client", "pause", "2000", "ALL"], check=True)
    paused_until = time.monotonic() + 2
    with transaction.atomic():
        flood.title = "Flood early warning, phase 2"
        flood.save()
    assert [r.getMessage() for r in caplog.records if AWAY in r.getMessage()][0].startswith("Redis is not answering")
    time.sleep(max(0, paused_until - time.monotonic()) + 0.2)

    assert titles() == ["Flood early warning, phase 2"]
    assert titles() == ["Flood early warning, phase 2"]  # and kept again under the new generation
    assert len([r for r in caplog.records if AWAY in r.getMessage()]) == 1
    assert [r.getMessage() for r in caplog.records][-1] == "Redis answers again."
    assert _problems(caplog) == []
