"""The project list's pages in Redis: served while the catalogue is unchanged, never after a change."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from action_plans import services
from action_plans.catalogue import CATALOGUE
from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from cities.models import FocusArea
from partners.models import Partner


@pytest.fixture
def cached(settings, transactional_db):
    """The cache on, and real commits, so that writes renew the catalogue's generation as in production."""
    settings.API_LIST_CACHE_SECONDS = 600
    approved = draft_plan(state=PlanState.APPROVED, title="Bangkok SCAP")
    flood = project(approved, title="Flood early warning", estimated_cost_usd=Decimal("2500000"),
                    support_sought=["financing"])  # fmt: skip
    flood.focus_areas.set(FocusArea.objects.filter(slug="safety-and-security"))
    draft = draft_plan("cebu-city", title="Cebu draft")
    project(draft, title="Secret draft project")
    return approved, flood, draft


def _titles(response):
    assert response.status_code == 200, response.content
    return sorted(p["title"] for p in response.json()["results"])


def _queries(client, path, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **extra)
    return response, len(ctx)


def test_a_repeated_request_reads_no_table_and_gives_the_same_answer(cached):
    api = APIClient()
    first, first_queries = _queries(api, "/api/v1/projects/?stage=pipeline")
    second, second_queries = _queries(api, "/api/v1/projects/?stage=pipeline")
    assert first_queries >= 1 and second_queries == 0
    assert first.json() == second.json() and _titles(second) == ["Flood early warning"]


def test_a_saved_project_is_seen_by_the_next_request(cached):
    _, flood, _ = cached
    api = APIClient()
    assert _titles(api.get("/api/v1/projects/")) == ["Flood early warning"]
    flood.title = "Flood early warning, phase 2"
    flood.save()
    assert _titles(api.get("/api/v1/projects/")) == ["Flood early warning, phase 2"]
    flood.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))  # a many-to-many change
    assert api.get("/api/v1/projects/").json()["results"][0]["focus_areas"] == ["quality-environment"]


def test_a_plan_approved_through_its_workflow_publishes_its_projects_at_once(cached, secretariat):
    _, _, draft = cached
    draft.state = PlanState.ENDORSED
    draft.save()
    api = APIClient()
    assert _titles(api.get("/api/v1/projects/")) == ["Flood early warning"]
    # The workflow writes the state with `update()`, which sends no signal: it renews the generation itself.
    services.action_plan_transition(plan=draft, by=secretariat, action="approve", version=draft.version)
    assert _titles(api.get("/api/v1/projects/")) == ["Flood early warning", "Secret draft project"]


def test_readers_who_see_different_projects_never_share_a_page(cached, secretariat, csco_cebu, outsider):
    public, officer, staff = APIClient(), APIClient(), APIClient()
    officer.force_authenticate(csco_cebu)
    staff.force_authenticate(secretariat)
    assert _titles(public.get("/api/v1/projects/")) == ["Flood early warning"]
    assert _titles(staff.get("/api/v1/projects/")) == ["Flood early warning", "Secret draft project"]
    # An officer's page holds their own drafts: it is theirs, read from the database each time.
    _, first = _queries(officer, "/api/v1/projects/")
    response, again = _queries(officer, "/api/v1/projects/")
    assert _titles(response) == ["Flood early warning", "Secret draft project"] and again >= 1
    other = APIClient()
    other.force_authenticate(outsider)
    assert _titles(other.get("/api/v1/projects/")) == ["Flood early warning"]
    assert _titles(public.get("/api/v1/projects/")) == ["Flood early warning"]


def test_links_and_times_follow_the_reader(cached):
    api = APIClient()
    plain = api.get("/api/v1/projects/").json()["results"][0]
    elsewhere = api.get("/api/v1/projects/", HTTP_HOST="localhost").json()["results"][0]
    assert plain["url"].startswith("http://testserver/") and elsewhere["url"].startswith("http://localhost/")


def test_recommendations_are_kept_per_partner_and_follow_their_interests(cached, partner_contact):
    api = APIClient()
    api.force_authenticate(partner_contact)
    japan = Partner.objects.get(slug="japan")
    japan.focus_areas.set(FocusArea.objects.filter(slug="safety-and-security"))
    first = api.get("/api/v1/projects/?recommended=true").json()["results"]
    assert [p["title"] for p in first] == ["Flood early warning"]
    assert "focus area: safety and security" in first[0]["match"]["reasons"]
    japan.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    japan.support_types, japan.stages, japan.ticket_min_usd, japan.ticket_max_usd = [], [], None, None
    japan.member_states.clear()
    japan.save()
    assert api.get("/api/v1/projects/?recommended=true").json()["results"] == []
    public = APIClient().get("/api/v1/projects/").json()["results"]
    assert public[0]["match"] is None  # the partner's page is not the public's


def test_bad_input_is_refused_every_time_and_nothing_is_kept(cached):
    api = APIClient()
    for _ in range(2):
        response = api.get("/api/v1/projects/?member_state=XX")
        assert response.status_code == 400 and "member_state" in response.json()
    assert api.get("/api/v1/projects/?page=99").status_code == 404


def test_with_redis_away_the_list_answers_from_the_database(cached, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    started = datetime.datetime.now()
    assert _titles(APIClient().get("/api/v1/projects/")) == ["Flood early warning"]
    assert (datetime.datetime.now() - started).total_seconds() < 2


def test_one_transaction_renews_the_generation_once(cached, monkeypatch):
    from django.db import transaction

    _, flood, _ = cached
    renewals, renew = [], CATALOGUE._renew
    monkeypatch.setattr(CATALOGUE, "_renew", lambda: (renewals.append(1), renew()))
    with transaction.atomic():
        for n in range(5):
            flood.title = f"Flood early warning {n}"
            flood.save()
        assert renewals == []  # not before the commit
    assert renewals == [1]


def test_while_redis_is_away_the_log_has_one_warning_not_a_traceback_per_request(cached, settings, caplog):
    import logging

    from ascn_portal.api import caching

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    caching.REDIS_AWAY.down = False
    with caplog.at_level(logging.WARNING, logger="ascn_portal"):
        for _ in range(5):
            assert APIClient().get("/api/v1/projects/").status_code == 200
    away = [r for r in caplog.records if "Redis is not answering" in r.getMessage()]
    assert len(away) == 1 and away[0].exc_info is None
    assert not [r for r in caplog.records if r.exc_info]
    caching.REDIS_AWAY.answered()
    assert caplog.records[-1].getMessage() == "Redis answers again."


def test_the_cache_keys_only_validated_filters_and_keeps_nothing_for_the_unbounded(cached):
    from django.core.cache import cache

    cache.clear()
    api = APIClient()
    api.get("/api/v1/projects/?member_state=TH")
    _, warm = _queries(api, "/api/v1/projects/?member_state=TH")
    assert warm == 0  # the page came from Redis
    # Parameters the list does not know do not make new pages: the same cached page answers.
    for n in range(20):
        response, count = _queries(api, f"/api/v1/projects/?member_state=TH&noise{n}=x&utm_source={n}")
        assert response.status_code == 200 and count == 0
    # The order of parameters and defaults spelt out do not make new pages either.
    _, count = _queries(api, "/api/v1/projects/?page=1&member_state=TH")
    assert count == 0
    # Free-text searches and far pages are answered, from the database, and not kept.
    for term in ("flood", "warning", "early"):
        first, _ = _queries(api, f"/api/v1/projects/?q={term}")
        again, count = _queries(api, f"/api/v1/projects/?q={term}")
        assert first.status_code == again.status_code == 200 and count > 0
    pages = cache._cache.get_client(None, write=False).keys("*api-page:*")
    assert len(pages) == 1  # one page kept: member_state=TH
