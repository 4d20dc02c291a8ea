"""Redis stopped for real while people work: a plan moves, lists and the roll-up answer from the
database, and the log has one warning for the outage (whichever use of Redis meets it first: the
cache generations renewed after commit, the list cache, the rate limit, the task broker) and one
line when Redis answers again, never an error with a traceback."""

import logging

import pytest
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import ActionPlan
from action_plans.tests.factories import draft_plan, project
from ascn_portal.api import throttling
from ascn_portal.notifications.services import broker_pause_reset
from ascn_portal.outages import REDIS
from ascn_portal.testing.services import RedisServer, point_celery_at

AWAY = "is not answering"


def _fresh_state():
    REDIS.down = False
    REDIS._owed.clear()
    broker_pause_reset()
    throttling._client = None  # the rate limit's own client follows the cache's location


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
