"""Lists and pages cost the same number of queries whatever their length (2 rows against 10)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import PlanTransition, ReviewComment
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.models import User
from cities.models import City
from events.choices import RegistrationStatus
from events.models import Registration
from events.tests.factories import event
from partners.models import Partner, ProjectPartnership, Twinning

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # once before counting: what a process reads on its first request only is not the list's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _people(n, prefix):
    return [User.objects.create_user(f"{prefix}{i}@example.org", full_name=f"{prefix.title()} {i}") for i in range(n)]


def _approved_plans(n):
    cities = list(City.objects.order_by("slug")[:n])
    return [draft_plan(city.slug, title=f"Plan of {city.name}", state=PlanState.APPROVED) for city in cities]


def test_the_action_plans_api_list_costs_the_same_at_2_and_10_plans(secretariat):
    api = APIClient()
    api.force_authenticate(secretariat)
    plans = _approved_plans(10)
    for plan in plans[2:]:
        plan.state = PlanState.DRAFT  # the secretariat sees drafts too
        plan.save()
    few = _queries(api, "/api/v1/action-plans/?page_size=2")
    many = _queries(api, "/api/v1/action-plans/?page_size=10")
    assert few == many <= 8


def test_the_twinnings_api_list_costs_the_same_at_2_and_10_twinnings():
    Twinning.objects.all().delete()  # the reference pairings: this test counts its own
    partners = list(Partner.objects.order_by("slug")[:10])
    for city, partner in zip(City.objects.order_by("slug")[:10], partners, strict=True):
        Twinning.objects.create(city=city, partner=partner, status="active")
    api = APIClient()
    assert _queries(api, "/api/v1/twinnings/?page_size=2") == _queries(api, "/api/v1/twinnings/?page_size=10") <= 4


def test_the_partnerships_api_list_costs_the_same_at_2_and_10_partnerships(secretariat, partner_contact):
    japan = Partner.objects.get(slug="japan")
    plan = draft_plan(state=PlanState.APPROVED)
    for n in range(10):
        ProjectPartnership.objects.create(
            project=project(plan, title=f"Project {n}"), partner=japan, support_type="financing",
            amount_usd=Decimal("1000"), created_by=partner_contact,
        )  # fmt: skip
    for person in (secretariat, partner_contact):
        api = APIClient()
        api.force_authenticate(person)
        few = _queries(api, "/api/v1/partnerships/?page_size=2")
        assert few == _queries(api, "/api/v1/partnerships/?page_size=10") <= 10


@pytest.mark.parametrize("viewer", ["anonymous", "csco_bangkok"])
def test_a_plan_page_costs_the_same_with_2_and_10_projects_and_moves(request, client, nr_thailand, viewer):
    def plan_with(n, city):
        plan = draft_plan(city, title=f"Plan with {n}", state=PlanState.APPROVED)
        for i in range(n):
            project(plan, title=f"Project {i}")
            PlanTransition.objects.create(plan=plan, action="submit", from_state="draft", to_state="submitted",
                                          by=nr_thailand)  # fmt: skip
            ReviewComment.objects.create(plan=plan, author=nr_thailand, body=f"Comment {i}")
        return plan

    small, large = plan_with(2, "bangkok"), plan_with(10, "chiang-mai")
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    few = _queries(client, f"/action-plans/{small.pk}/")
    assert few == _queries(client, f"/action-plans/{large.pk}/") <= 16


def _registered(an_event, people, **fields):
    for person in people:
        Registration.objects.create(event=an_event, person=person, registered_by=person,
                                    status=RegistrationStatus.CONFIRMED, **fields)  # fmt: skip


def test_an_event_page_and_its_check_in_desk_cost_the_same_with_2_and_10_delegates(client, secretariat):
    bangkok = City.objects.get(slug="bangkok")
    small, large = event(capacity=50), event(capacity=50)
    _registered(small, _people(2, "few"), city=bangkok, member_state=bangkok.member_state)
    _registered(large, _people(10, "many"), city=bangkok, member_state=bangkok.member_state)
    client.force_login(secretariat)
    for page in ("", "check-in/"):
        few = _queries(client, f"/events/{small.slug}/{page}")
        assert few == _queries(client, f"/events/{large.slug}/{page}") <= 20, page


@pytest.mark.parametrize("person", ["csco_bangkok", "nr_thailand", "secretariat", "partner_contact"])
def test_each_dashboard_costs_the_same_with_4_and_16_plans(request, client, person):
    client.force_login(request.getfixturevalue(person))

    def add_plans(first, n):
        states = [PlanState.DRAFT, PlanState.SUBMITTED, PlanState.ENDORSED, PlanState.APPROVED]
        for i in range(first, first + n):
            project(draft_plan("bangkok" if i % 2 else "chiang-mai", title=f"Plan {i}", period_start=2026 + 5 * i,
                               period_end=2030 + 5 * i, state=states[i % 4]))  # fmt: skip

    add_plans(0, 4)  # one in each state, so that every list on the dashboard has a row
    few = _queries(client, "/dashboard/")
    add_plans(4, 12)
    assert _queries(client, "/dashboard/") == few <= 14
