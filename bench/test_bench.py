"""`make bench`: query counts and timings of the lists, small page against large, in one run.

Figures are ratios measured in the same run on the same machine, so they compare, not promise.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascn_portal.accounts.models import User
from cities.choices import AppointmentRole
from cities.models import Appointment
from cities.tests.factories import CityFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RUNS = 15


def _measure(client, url):
    client.get(url)  # warm
    connection.queries_log.clear()  # a full log (maxlen 9000) would make the capture look empty
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = len(ctx)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return queries, statistics.median(timings) * 1000


def test_list_costs_at_two_sizes(client, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/min", "user": "100000/min"})
    cities = CityFactory.create_batch(500)
    users = User.objects.bulk_create(
        [User(email=f"b{n}@example.org", full_name=f"Officer {n}") for n in range(len(cities))]
    )
    Appointment.objects.bulk_create(
        [Appointment(user=u, city=c, role=AppointmentRole.CSCO, title="CSCO") for u, c in zip(users, cities)]
    )
    from action_plans.choices import PlanState
    from action_plans.models import ActionPlan, PriorityProject

    plans = ActionPlan.objects.bulk_create(
        [ActionPlan(city=c, title=f"SCAP {c.name}", period_start=2026, period_end=2030, state=PlanState.APPROVED)
         for c in cities[:100]]
    )  # fmt: skip
    PriorityProject.objects.bulk_create(
        [PriorityProject(plan=p, title=f"Project {n}", estimated_cost_usd=1000 * n) for p in plans for n in range(5)]
    )
    cases = [
        ("API projects", "/api/v1/projects/?page_size=10", "/api/v1/projects/?page_size=500"),
        ("page /projects/", "/projects/?q=Project+1", "/projects/?page=2"),
        ("API cities", "/api/v1/cities/?page_size=10", "/api/v1/cities/?page_size=500"),
        ("API partners", "/api/v1/partners/?page_size=2", "/api/v1/partners/?page_size=15"),
        ("API member states", "/api/v1/member-states/?page_size=2", "/api/v1/member-states/?page_size=10"),
        ("page /cities/", "/cities/?q=Test+City+1", "/cities/?page=2"),
        ("page /", "/", "/"),
    ]
    lines = [f"{'list':<20}{'queries small/large':>22}{'ms small':>10}{'ms large':>10}{'time ratio':>12}"]
    for name, small, large in cases:
        q_small, t_small = _measure(client, small)
        q_large, t_large = _measure(client, large)
        ratio = t_large / t_small
        lines.append(f"{name:<20}{f'{q_small}/{q_large}':>22}{t_small:>10.1f}{t_large:>10.1f}{ratio:>11.2f}x")
        assert q_small == q_large, name
    print(
        "\n"
        + "\n".join(lines)
        + f"\n(median of {RUNS} requests each; 531 cities, 500 with a serving CSCO; 500 published projects)"
    )
