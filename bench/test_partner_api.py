"""`make bench`: the partner API under gunicorn, as in production, against the framework's floor.

Seeds 10,000 published projects, 2,000 partners and 20,000 partnerships (seed_demo), serves the
portal with gunicorn (2 workers) on the test database, and measures in one run, side by side:
the project list (50 a page, two filters), a partner's recommended list (token), and /api/ping/ (a
trivial JSON answer through the same stack). One client for latency (p50, p95), four at once for
throughput; queries per request are counted in process.

Both lists are measured twice: as served (pages kept in Redis while the catalogue is unchanged,
so a repeated request is a cache hit) and by a second server with the page cache off, where
every request reads the database.
"""

import http.client
import statistics
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient
from serving import free_port, serve

from ascn_portal.accounts.models import User
from ascn_portal.site.demo import demo_seed

pytestmark = [pytest.mark.bench]

SAMPLES = 300
THROUGHPUT_SECONDS = 6
CLIENTS = 4


def _get(conn, path, headers):
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status, body[:300])
    return body


def _latency(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(20):
        _get(conn, path, headers)  # warm both workers' caches and connections
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        _get(conn, path, headers)
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def _throughput(port, path, headers):
    done, stop = [0] * CLIENTS, time.perf_counter() + THROUGHPUT_SECONDS

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            _get(conn, path, headers)
            done[n] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / THROUGHPUT_SECONDS


def _queries(path, headers):
    api = APIClient()
    api.get(path, headers=headers)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path, headers=headers).status_code == 200
    return len(ctx)


def _measure(cases, **extra_env):
    port = free_port()
    server = serve(port, **extra_env)
    try:
        results = {}
        for name, path, headers in cases:
            p50, p95 = _latency(port, path, headers)
            results[name] = (p50, p95, _throughput(port, path, headers))
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_partner_api_against_the_floor(transactional_db, settings):
    started = time.perf_counter()
    made = demo_seed(projects=10_000, partners=2_000, partnerships=20_000)
    print(f"\nseed_demo: {made} in {time.perf_counter() - started:.1f} s")
    contact = User.objects.get(email="contact-1@demo.invalid")
    _, key = AuthToken.objects.create(contact)
    token = {"Authorization": f"Token {key}"}
    projects = "/api/v1/projects/?page_size=50&member_state=TH&support=financing"
    recommended = "/api/v1/projects/?recommended=true&page_size=50"

    query_counts = {  # with the page cache off (test settings): every request reads the database
        "projects, uncached": _queries(projects, {}),
        "recommended, uncached": _queries(recommended, token),
    }
    for size in (10, 200):
        query_counts[f"projects, page_size={size}"] = _queries(projects.replace("50", str(size)), {})
    settings.API_LIST_CACHE_SECONDS = 600
    query_counts["projects"] = _queries(projects, {})
    query_counts["recommended (token)"] = _queries(recommended, token)

    results = _measure(
        [
            ("floor /api/ping/", "/api/ping/", {}),
            ("projects", projects, {}),
            ("recommended (token)", recommended, token),
        ],
    )
    results |= _measure(
        [("projects, uncached", projects, {}), ("recommended, uncached", recommended, token)],
        DJANGO_API_LIST_CACHE_SECONDS="0",
    )

    floor_rps = results["floor /api/ping/"][2]
    print(f"\n{'endpoint':28} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'of floor':>9} {'queries':>8}")
    for name, (p50, p95, rps) in results.items():
        print(f"{name:28} {p50:8.1f} {p95:8.1f} {rps:8.0f} {rps / floor_rps:9.1%} {query_counts.get(name, 0):>8}")
    print("queries by page size:", {k: v for k, v in query_counts.items() if "page_size" in k})
    assert query_counts["projects, page_size=10"] == query_counts["projects, page_size=200"]
    assert max(query_counts.values()) <= 8
