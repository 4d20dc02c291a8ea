"""Every address the portal serves, with hostile values in its parameters, answers without a server error.

The URL resolver is walked (every pattern of `ascn_portal.urls`, through every include, the admin's
and the API's included), and each parameter is filled with what an attacker or a broken link sends:
control characters (raw and as `%00`), very long, non-Latin and astral text, `..`, SQL, huge and
negative numbers. Asked by an anonymous visitor and by a member of the secretariat (who reaches the
admin and every list), nothing may answer 500; an address with a control character is a 404.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascn_portal.middleware import CONTROL_CHARACTERS

HOSTILE = [
    "\x00", "a\x00b", "%00", "\x01", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f",  # control characters, and a "%00"
    "\x85", "\u202e", "\ufeff", "\uffff",  # a C1 control, a right-to-left override, a BOM, a noncharacter
    "x" * 3000, "ü", "日本語", "😀", "..", "../..", ".", " ", "%", "%zz",
    "' OR '1'='1", "1; DROP TABLE cities_city;--", "<script>alert(1)</script>",
    "99999999999999999999", "9" * 40, "-1", "0", "-0", "1e999", "NaN", "inf", "0x10",
]  # fmt: skip

# What a parameter holds when another one of the same address is the hostile one: real values of the
# seeded reference data, so the hostile value reaches as far into the view as it can.
PLAUSIBLE = {"year": "2026", "slug": "bangkok", "code": "TH", "file_format": "csv", "app_label": "cities"}
PARAMETER = re.compile(r"<(?:[^<>:]+:)?(?P<name>[^<>]+)>")


def _named_groups(regex: str) -> str:
    """A regex pattern as a route: each group `(...)` (named or not, nested or not) a `<name>`."""
    out, depth, index, unnamed = [], 0, 0, 0
    while index < len(regex):
        char = regex[index]
        if char == "\\" and depth == 0:
            out.append(regex[index + 1])
            index += 2
            continue
        if char == "(":
            if depth == 0:
                named = re.match(r"\(\?P<(\w+)>", regex[index:])
                unnamed += 0 if named else 1
                out.append(f"<{named.group(1) if named else f'group{unnamed}'}>")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char not in "^$":
            out.append(char)
        index += 1
    return "".join(out)


def _routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = (
            prefix + _named_groups(str(pattern.pattern))
            if "(" in str(pattern.pattern)
            else prefix + str(pattern.pattern).replace("^", "").replace("$", "")
        )
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield "/" + route


ROUTES = sorted({route for route in _routes() if PARAMETER.search(route)})


def _addresses(route: str, value: str):
    """The route with every parameter hostile, then (where it has several) each one alone hostile."""
    names = [match.group("name") for match in PARAMETER.finditer(route)]
    hostile = quote(value, safe="")
    yield PARAMETER.sub(hostile, route)
    if len(names) > 1:
        for position in range(len(names)):
            pieces = PARAMETER.split(route)  # text, name, text, name, ..., text
            for index, name in enumerate(names):
                pieces[2 * index + 1] = hostile if index == position else PLAUSIBLE.get(name, "1")
            yield "".join(pieces)


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    """Thousands of requests from one address: the rate limit would answer most of them 429."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    cache.clear()


@pytest.fixture(params=["anonymous", "secretariat"])
def visitor(request, db):
    client = Client(raise_request_exception=False)
    if request.param == "secretariat":
        client.force_login(request.getfixturevalue("secretariat"))
    return client


def _answer(client, address: str):
    response = client.get(address)
    return response.status_code, getattr(response, "streaming", False) and b"".join(response.streaming_content)


def test_the_walk_reaches_every_kind_of_address():
    """The resolver's walk finds the pages, the admin's and the API's addresses, with their parameters."""
    assert "/member-states/<str:code>/" in ROUTES and "/data/iati/activities-<str:code>.xml" in ROUTES
    assert "/api/v1/projects/<pk>/" in ROUTES and "/admin/cities/city/<path:object_id>/change/" in ROUTES
    assert len(ROUTES) > 200


def test_no_address_answers_a_server_error_to_hostile_values(visitor):
    failures = []
    for route in ROUTES:
        for value in HOSTILE:
            for address in _addresses(route, value):
                status, _ = _answer(visitor, address)
                if status >= 500 or (CONTROL_CHARACTERS.search(value) and status != 404):
                    failures.append((status, route, value[:20]))
    assert not failures, failures


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(
    route=st.sampled_from(ROUTES),
    value=st.one_of(st.text(min_size=1, max_size=300), st.integers().map(str), st.sampled_from(HOSTILE)),
)
def test_no_address_answers_a_server_error_to_generated_text(visitor, route, value):
    for address in _addresses(route, value):
        status, _ = _answer(visitor, address)
        assert status < 500, (status, address)
        if CONTROL_CHARACTERS.search(value):
            assert status == 404, (status, address)


@pytest.mark.parametrize("address", ["/member-states/%00/", "/data/iati/activities-%00.xml", "/api/v1/cities/%00/",
                                     "/cities/bang%7Fkok/", "/admin/cities/city/%01/change/"])  # fmt: skip
def test_a_control_character_in_an_address_is_a_404_everywhere(visitor, address):
    response = visitor.get(address)
    assert response.status_code == 404
    if address.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
