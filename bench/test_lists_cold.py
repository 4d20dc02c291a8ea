"""`make bench`: the lists partners read, cold (page cache off), against the same server's floor, at
10,000 and at 100,000 published projects, side by side in one run.

Two gunicorn workers serve the portal on the test database with `DJANGO_API_LIST_CACHE_SECONDS=0`; a
partner's token is sent with every API request. Each case is measured by four clients at once for a
few seconds: requests a second, as a share of the floor (`/api/v1/` with the token: the same
authentication, throttling and middleware, no list), and the CPU the gunicorn workers and the
PostgreSQL server processes spent per request (read from /proc before and after), so "cost" is
what a request takes from the machine, not how long a client waited.
"""

import http.client
import os
import threading
import time
from pathlib import Path

import pytest
from knox.models import AuthToken
from serving import free_port, serve

from ascn_portal.accounts.models import User
from ascn_portal.site.demo import demo_seed

pytestmark = [pytest.mark.bench]

SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))  # per case and round
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # the cases take turns, so a slow spell of the machine is shared
CLIENTS = 4
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]

# (name, path, token?, target share of the floor)
CASES = [
    ("floor /api/v1/", "/api/v1/", True, None),
    ("projects, two filters", "/api/v1/projects/?member_state=TH&support=financing", True, 0.40),
    ("projects, unfiltered", "/api/v1/projects/", True, 0.40),
    ("projects, recommended", "/api/v1/projects/?recommended=true", True, 0.25),
    ("page /projects/", "/projects/", False, 0.30),
    ("cities, page_size=100", "/api/v1/cities/?page_size=100", True, None),
]
PG_CPU_TARGET_MS = 2.0


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _processes() -> list[tuple[int, int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            found.append((int(entry.name), int(text.rsplit(")", 1)[1].split()[1]), name))
    return found


def _cpu(server_pid: int) -> tuple[int, int]:
    """CPU ticks so far of the gunicorn workers and of every PostgreSQL process."""
    processes = _processes()
    web = sum(_ticks(pid) for pid, parent, _ in processes if parent == server_pid)
    database = sum(_ticks(pid) for pid, _, name in processes if name == "postgres" or name.startswith("postgres:"))
    return web, database


def _get(conn, path, headers):
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status, body[:300])


def _warm(port, path, headers):
    for _ in range(10):  # both workers, their connections and the kept counts and rankings
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _get(conn, path, headers)
        conn.close()


def _run(port, server_pid, path, headers):
    done, stop = [0] * CLIENTS, time.perf_counter() + SECONDS

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            _get(conn, path, headers)
            done[n] += 1
        conn.close()

    web_before, db_before = _cpu(server_pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    web_after, db_after = _cpu(server_pid)
    return {"requests": sum(done), "seconds": elapsed, "web": web_after - web_before, "db": db_after - db_before}


def _summary(runs: list[dict]) -> dict:
    requests = sum(r["requests"] for r in runs)
    return {
        "rps": requests / sum(r["seconds"] for r in runs),
        "web_ms": sum(r["web"] for r in runs) * TICK_MS / requests,
        "db_ms": sum(r["db"] for r in runs) * TICK_MS / requests,
    }


def _measure_size(projects: int) -> dict:
    started = time.perf_counter()
    demo_seed(projects=projects, partners=2_000, partnerships=20_000)
    print(f"\n{projects:,} projects seeded in {time.perf_counter() - started:.0f} s", flush=True)
    contact = User.objects.get(email="contact-1@demo.invalid")
    _, key = AuthToken.objects.create(contact)
    token = {"Authorization": f"Token {key}"}
    port = free_port()
    server = serve(port, static=True, DJANGO_API_LIST_CACHE_SECONDS="0")
    try:
        for _, path, with_token, _ in CASES:
            _warm(port, path, token if with_token else {})
        runs = {name: [] for name, *_ in CASES}
        for _ in range(ROUNDS):
            for name, path, with_token, _ in CASES:
                runs[name].append(_run(port, server.pid, path, token if with_token else {}))
        return {name: _summary(found) for name, found in runs.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_cold_lists_against_the_floor_at_two_sizes(transactional_db):
    results = {size: _measure_size(size) for size in SIZES}
    header = f"{'case':24}" + "".join(
        f"{f'req/s@{s // 1000}k':>11}{'of floor':>9}{'web ms':>8}{'PG ms':>7}{'PG+':>6}" for s in SIZES
    )
    lines = [header]
    for name, _, _, target in CASES:
        line = f"{name:24}"
        for size in SIZES:
            found, floor = results[size][name], results[size][CASES[0][0]]
            share = found["rps"] / floor["rps"]
            over = found["db_ms"] - floor["db_ms"]  # beyond the floor's sign-in and throttle: the list's own
            line += f"{found['rps']:11.0f}{share:9.1%}{found['web_ms']:8.2f}{found['db_ms']:7.2f}{over:6.2f}"
        if len(SIZES) > 1:
            small, large = results[SIZES[0]][name], results[SIZES[-1]][name]
            line += f"   cost x{small['rps'] / large['rps']:.2f}"
        lines.append(line + (f"   (target {target:.0%})" if target else ""))
    print("\n" + "\n".join(lines))
    print(
        f"(cache off, 2 gunicorn workers, {CLIENTS} clients, {ROUNDS} rounds of {SECONDS:.0f} s a case in turn; "
        "'of floor' is req/s against `/api/v1/` with the token in the same run; web and PG ms are CPU per "
        "request (PG+: beyond the floor's); cost x is the time a request takes at "
        f"{SIZES[-1]:,} over {SIZES[0]:,} projects; PG target {PG_CPU_TARGET_MS} ms)"
    )
