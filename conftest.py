"""The cast of people and the shared machinery of the suite.

Tests run on the real stack: PostgreSQL (a test database on the same server), Redis (database 15),
a Celery worker consuming from that Redis, and Debian's Chromium for browser tests.
"""

import os

import pytest
from django.core.cache import cache

from ascn_portal.accounts.services import account_create
from ascn_portal.site.reference import reference_data_load
from cities.models import City, MemberState
from partners.models import Partner

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TRANSACTIONAL = {"transactional_db", "live_server"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the network's reference data."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """A transactional test (live server, worker) empties the tables when it ends.

    pytest-django runs those after all others, so only they need the reference data back.
    """
    if TRANSACTIONAL & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        if not City.objects.exists():
            reference_data_load()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters and other cached state live in Redis: each test starts clean."""
    cache.clear()
    yield


# The cast ---------------------------------------------------------------------------------


def _person(email, role, **kwargs):
    return account_create(email=email, role=role, password="a-Long-passw0rd!", **kwargs)


@pytest.fixture
def secretariat(db):
    return _person("sec@asean.example", "secretariat", full_name="Siti Secretariat")


@pytest.fixture
def nr_thailand(db):
    return _person(
        "nr.th@example.org",
        "nr",
        full_name="Niran Representative",
        member_state=MemberState.objects.get(code="TH"),
        title="Deputy Permanent Secretary",
    )


@pytest.fixture
def csco_bangkok(db):
    return _person(
        "csco@bangkok.example",
        "csco",
        full_name="Busaba Officer",
        city=City.objects.get(slug="bangkok"),
        title="Director, Smart City Office",
    )


@pytest.fixture
def team_bangkok(db):
    return _person("team@bangkok.example", "city_team", full_name="Tawan Team", city=City.objects.get(slug="bangkok"))


@pytest.fixture
def csco_cebu(db):
    return _person(
        "csco@cebu.example",
        "csco",
        full_name="Carmen Officer",
        city=City.objects.get(slug="cebu-city"),
        title="City Administrator",
    )


@pytest.fixture
def partner_contact(db):
    return _person(
        "contact@japan.example",
        "partner",
        full_name="Kenji Contact",
        partner=Partner.objects.get(slug="japan"),
        title="Counsellor",
    )


@pytest.fixture
def outsider(db):
    """Signed in, but holds no office in the network."""
    from ascn_portal.accounts.models import User

    return User.objects.create_user("someone@example.com", "a-Long-passw0rd!", full_name="Sam Someone")


# Services ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_thread():
    """A real Celery worker consuming from the test Redis, in a thread of the test process."""
    from celery.contrib.testing.worker import start_worker

    from ascn_portal.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING") as worker:
        yield worker


# Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _broker_pause_reset():
    """A test that stopped a broker must not leave later tests skipping their publishes."""
    from ascn_portal.notifications.services import broker_pause_reset

    broker_pause_reset()
    yield
    broker_pause_reset()


@pytest.fixture
def own_redis():
    """A Redis of the test's own, with Celery pointed at it, for tests that stop or lose their broker."""
    from ascn_portal.testing.services import RedisServer, point_celery_at

    redis = RedisServer()
    redis.start()
    previous = point_celery_at(redis.broker_url)
    yield redis
    point_celery_at(previous)
    if redis.answers():
        redis.stop()
