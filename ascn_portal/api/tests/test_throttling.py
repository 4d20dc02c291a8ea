"""The rate limit: per client, a sliding window counted in Redis, refused requests not counted."""

import pytest
import redis
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from ascn_portal.api import throttling
from ascn_portal.api.throttling import RateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def set_rates(anon, user):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": user})

    return set_rates


@pytest.fixture
def clock(monkeypatch):
    now = [16_667 * 60 + 20.0]  # 20 s into a minute
    monkeypatch.setattr(RateThrottle, "timer", lambda self: now[0])
    return now


def test_the_last_window_counts_by_how_much_of_it_still_overlaps(rates, clock):
    rates("4/min", "100/min")
    api = APIClient()
    assert [api.get("/api/v1/focus-areas/").status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    clock[0] += 60  # the next minute, 20 s in: the last one still weighs 2/3, 4 * 2/3 = 2.7 used
    assert [api.get("/api/v1/focus-areas/").status_code for _ in range(2)] == [200, 429]
    clock[0] += 40  # 0 s into the minute after: the whole last minute (1 request) weighs
    assert [api.get("/api/v1/focus-areas/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_refused_requests_are_not_counted_and_say_when_to_retry(rates, clock):
    rates("2/min", "100/min")
    api = APIClient()
    statuses = [api.get("/api/v1/focus-areas/").status_code for _ in range(10)]
    assert statuses == [200, 200] + [429] * 8
    refused = api.get("/api/v1/focus-areas/")
    assert refused.json()["detail"].startswith("Request was throttled") and int(refused["Retry-After"]) == 40
    clock[0] += 60 + 40  # the window after next: nothing of the refused ones weighs
    assert api.get("/api/v1/focus-areas/").status_code == 200


def test_accounts_have_their_own_allowance_apart_from_their_address(rates, clock, outsider, partner_contact):
    rates("1/min", "3/min")
    anonymous, someone, contact = APIClient(), APIClient(), APIClient()
    someone.force_authenticate(outsider)
    contact.force_authenticate(partner_contact)
    assert [anonymous.get("/api/v1/focus-areas/").status_code for _ in range(2)] == [200, 429]
    assert [someone.get("/api/v1/focus-areas/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert contact.get("/api/v1/focus-areas/").status_code == 200  # another account, same address


def test_with_redis_away_requests_are_let_through(rates, monkeypatch, settings):
    rates("1/min", "1/min")
    away = redis.Redis(port=1, socket_connect_timeout=0.2)
    monkeypatch.setitem(throttling._clients, settings.CACHES["default"]["LOCATION"], away)
    api = APIClient()
    assert [api.get("/api/v1/focus-areas/").status_code for _ in range(3)] == [200, 200, 200]


def test_the_floor_is_not_throttled(rates):
    rates("1/min", "1/min")
    api = APIClient()
    assert [api.get("/api/ping/").status_code for _ in range(3)] == [200, 200, 200]
