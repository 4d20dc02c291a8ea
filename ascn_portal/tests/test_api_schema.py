"""Schema-driven check: every documented operation, fed generated input, answers as documented."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from ascn_portal.wsgi import application


@pytest.fixture(scope="session")
def api_schema(django_db_setup, django_db_blocker):
    """The schema as /api/schema/ serves it. It reads the test database: filters that name a record
    (`member_state`, `city`, ...) are documented with the values that exist. The API's throttle
    counters live in Redis and outlast a run, so start from a clean count."""
    with django_db_blocker.unblock():
        cache.clear()
        return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = schemathesis.pytest.from_fixture("api_schema")

# schemathesis' lazily loaded schemas rename the test node as they go through the operations, by an
# attribute pytest 9 no longer has; give it one that names the operation in reports and nothing else.
if not hasattr(pytest.Function, "_nodeid"):
    pytest.Function._nodeid = property(
        lambda node: node.__dict__.get("_operation_nodeid", node.nodeid),
        lambda node, value: node.__dict__.__setitem__("_operation_nodeid", value),
    )


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    """Every operation runs within one test here: the rate limit would answer most of them 429."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture
def keep_test_connection():
    """Calls go straight to the WSGI app: keep Django from closing the test's connection after each."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
# derandomize: the same examples every run, so a finding reproduces and CI does not flicker
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, keep_test_connection):
    case.call_and_validate(checks=ALL_CHECKS)


# Every check schemathesis has: answers as documented, and inputs accepted or refused as documented.
ALL_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.missing_required_header,
    schemathesis.checks.unsupported_method,
    schemathesis.checks.allow_header_conformance,
    schemathesis.checks.ignored_auth,
    schemathesis.checks.use_after_free,
    schemathesis.checks.ensure_resource_availability,
]

# What a signed-in run checks: the answers. Whether each generated input is accepted or refused
# is the anonymous run's concern (a filter value that names no record, `city=event`, is a 400 by
# design; an empty one, `kind=`, means no filter).
RESPONSE_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def partner_token(partner_contact):
    from knox.models import AuthToken

    _, key = AuthToken.objects.create(partner_contact)
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_the_api_answers_a_partners_token_as_its_schema_says(case, keep_test_connection, partner_token):
    """The same, signed in as a partner's contact: writes are tried for real; no server error, and
    status codes, content types, headers and bodies as documented."""
    case.call_and_validate(headers={"Authorization": f"Token {partner_token}"}, checks=ALL_CHECKS)
