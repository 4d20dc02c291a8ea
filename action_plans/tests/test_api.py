import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from action_plans import selectors
from action_plans.choices import PlanState
from action_plans.models import ActionPlan
from action_plans.tests.factories import draft_plan, project
from catalogue.api.serializers import project_list_items
from cities.models import FocusArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def plans():
    approved = draft_plan(state=PlanState.APPROVED, title="Bangkok SCAP")
    flood = project(
        approved,
        title="Flood early warning",
        stage="implementation",
        estimated_cost_usd=Decimal("2500000"),
        support_sought=["financing", "technology"],
    )
    flood.focus_areas.set(FocusArea.objects.filter(slug="safety-and-security"))
    project(approved, title="Internal upgrade", open_to_partners=False)
    draft = draft_plan("cebu-city", title="Cebu draft")
    project(draft, title="Secret draft project")
    return approved, draft


def _titles(response):
    return sorted(p["title"] for p in response.json()["results"])


def test_the_public_sees_approved_plans_and_published_projects_only(api, plans):
    assert [p["title"] for p in api.get("/api/v1/action-plans/").json()["results"]] == ["Bangkok SCAP"]
    assert _titles(api.get("/api/v1/projects/")) == ["Flood early warning"]
    draft = plans[1]
    assert api.get(f"/api/v1/action-plans/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/projects/{draft.projects.get().pk}/").status_code == 404


def test_officers_also_see_their_own_citys_drafts_and_nothing_of_others(api, plans, csco_cebu, csco_bangkok):
    api.force_authenticate(csco_cebu)
    assert _titles(api.get("/api/v1/projects/")) == ["Flood early warning", "Secret draft project"]
    api.force_authenticate(csco_bangkok)
    assert "Secret draft project" not in _titles(api.get("/api/v1/projects/"))
    assert api.get(f"/api/v1/action-plans/{plans[1].pk}/").status_code == 404


def test_project_filters_follow_the_contract(api, plans):
    cases = {
        "member_state=TH": ["Flood early warning"],
        "member_state=PH": [],
        "city=bangkok": ["Flood early warning"],
        "focus_area=safety-and-security": ["Flood early warning"],
        "focus_area=health-and-well-being": [],
        "stage=implementation": ["Flood early warning"],
        "support=technology": ["Flood early warning"],
        "support=capacity_building": [],
        "min_cost=2000000&max_cost=3000000": ["Flood early warning"],
        "max_cost=1000": [],
        "q=flood": ["Flood early warning"],
    }
    for query, expected in cases.items():
        assert _titles(api.get(f"/api/v1/projects/?{query}")) == expected, query


@pytest.mark.parametrize(
    "query", ["min_cost=-5", "max_cost=lots", "stage=dreaming", "city=atlantis", "support=gift", "member_state=XX"]
)
def test_bad_project_filters_answer_400(api, plans, query):
    response = api.get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_the_project_list_exports_as_csv(api, plans):
    for response in (api.get("/api/v1/projects/?format=csv"), api.get("/api/v1/projects/", HTTP_ACCEPT="text/csv")):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert [(r["title"], r["funding_gap_usd"], r["support_sought"]) for r in rows] == [
            ("Flood early warning", "2000000.00", "financing;technology")
        ]


def test_the_project_list_keeps_its_query_count_as_it_grows(api, plans, django_assert_max_num_queries):
    approved = plans[0]
    for n in range(30):
        item = project(approved, title=f"Project {n}")
        item.focus_areas.set(FocusArea.objects.all()[:2])
        item.kpis.create(name="k", unit="u")
    # the member state's lookup, the count, and the page with its city, state and focus areas
    with django_assert_max_num_queries(3):
        assert len(api.get("/api/v1/projects/?page_size=100&member_state=TH").json()["results"]) == 31


def test_list_items_are_what_the_list_serializer_writes(api, plans, partner_contact, settings):
    """The list is written from plain values for speed; its schema is the serializer's, field for field."""
    from action_plans.models import PriorityProject
    from catalogue.api.serializers import PriorityProjectListSerializer
    from catalogue.matchmaking import Interests
    from partners.models import Partner

    approved = plans[0]
    project(approved, title="Unpriced", estimated_cost_usd=None, funding_secured_usd=Decimal("0"))
    dated = project(
        approved, title="Dated", estimated_cost_usd=Decimal("1000.5"), funding_secured_usd=Decimal("250.25")
    )
    dated.starts_on, dated.ends_on = datetime.date(2027, 1, 1), datetime.date(2029, 6, 30)
    dated.save()
    dated.focus_areas.set(FocusArea.objects.all()[:3])
    japan = Partner.objects.get(slug="japan")
    japan.focus_areas.set(FocusArea.objects.all()[:1])
    japan.support_types, japan.ticket_min_usd, japan.ticket_max_usd = ["financing"], Decimal(100), Decimal(10**7)
    japan.save()
    interests = Interests.of(japan)
    request = api.get("/api/v1/projects/").wsgi_request  # a request as the view sees it
    published = PriorityProject.objects.filter(selectors.PUBLISHED_Q).order_by("pk")
    rows = list(selectors.project_list_values(published, focus_area_ids=True))
    for reader_zone in ("Asia/Singapore", "UTC", "Asia/Manila"):
        with timezone.override(reader_zone):
            for context_interests in (None, interests):
                context = {"request": request, "interests": context_interests}
                expected = PriorityProjectListSerializer(
                    published.select_related("plan__city__member_state").prefetch_related("focus_areas"),
                    many=True, context=context,
                ).data  # fmt: skip
                written = project_list_items(rows, request, context_interests)
                assert [dict(item) for item in expected] == written
    assert {item["title"] for item in written} == {"Flood early warning", "Unpriced", "Dated"}


def test_equal_values_page_in_a_stable_order(api, plans):
    approved = plans[0]
    made = [project(approved, title="Same title", estimated_cost_usd=Decimal(10**6)).pk for _ in range(7)]
    for ordering, expected in (("title", sorted(made)), ("-estimated_cost_usd", sorted(made, reverse=True))):
        seen = []
        for page in (1, 2, 3, 4):
            response = api.get(f"/api/v1/projects/?ordering={ordering}&page_size=2&page={page}&q=Same")
            seen += [p["id"] for p in response.json()["results"]]
        assert seen == expected, ordering


def test_the_plan_api_is_read_only(api, plans, csco_bangkok):
    api.force_authenticate(csco_bangkok)
    assert api.post("/api/v1/action-plans/", {"title": "x"}, format="json").status_code == 405
    assert ActionPlan.objects.count() == 2


def test_the_secretariat_approves_and_returns_from_the_admin(client, secretariat, nr_thailand, csco_bangkok):
    endorsed = draft_plan(state=PlanState.ENDORSED)
    submitted = draft_plan("chonburi", title="Chonburi SCAP", state=PlanState.SUBMITTED)
    client.force_login(secretariat)
    listing = client.get("/admin/action_plans/actionplan/?state__exact=endorsed").content.decode()
    assert "Smart Bangkok" in listing and "Chonburi SCAP" not in listing
    client.post("/admin/action_plans/actionplan/", {"action": "approve", "_selected_action": [endorsed.pk]})
    response = client.post(
        "/admin/action_plans/actionplan/",
        {
            "action": "return_to_draft",
            "_selected_action": [submitted.pk],
            "comment": "",
        },
        follow=True,
    )
    assert "Say what the city should change" in response.content.decode()
    client.post(
        "/admin/action_plans/actionplan/",
        {
            "action": "return_to_draft",
            "_selected_action": [submitted.pk],
            "comment": "Costs are missing.",
        },
    )
    endorsed.refresh_from_db()
    submitted.refresh_from_db()
    assert endorsed.state == PlanState.APPROVED
    assert submitted.state == PlanState.DRAFT and submitted.transitions.get().comment == "Costs are missing."


def test_nobody_edits_a_plan_in_the_admin(client, secretariat):
    plan = draft_plan()
    client.force_login(secretariat)
    response = client.post(f"/admin/action_plans/actionplan/{plan.pk}/change/", {"title": "Changed"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Smart Bangkok 2026-2030"
    assert client.get(f"/admin/action_plans/actionplan/{plan.pk}/history/").status_code == 200


def test_every_change_is_kept_and_shown_as_a_diff_in_the_admin(client, secretariat, csco_bangkok):
    from action_plans import services

    plan = draft_plan(vision="Old vision")
    services.action_plan_update(plan=plan, by=csco_bangkok, version=1, vision="New vision")
    record = plan.history.first()
    assert record.history_user == csco_bangkok
    assert sorted(c.field for c in record.diff_against(record.prev_record).changes) == ["version", "vision"]
    client.force_login(secretariat)
    page = client.get(f"/admin/action_plans/actionplan/{plan.pk}/history/").content.decode()
    assert "Old vision" in page and "New vision" in page


def test_officers_change_a_draft_through_the_api_and_a_stale_version_is_a_409(api, csco_bangkok, nr_thailand):
    plan = draft_plan()
    api.force_authenticate(csco_bangkok)
    response = api.patch(
        f"/api/v1/action-plans/{plan.pk}/",
        {"version": 1, "vision": "Liveable", "focus_areas": ["quality-environment"]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    assert response.json()["focus_areas"] == ["quality-environment"]
    stale = api.patch(f"/api/v1/action-plans/{plan.pk}/", {"version": 1, "vision": "Green"}, format="json")
    assert stale.status_code == 409 and "version 2 now" in stale.json()["detail"]
    for bad, field in [
        ({"vision": "x"}, "version"),
        ({"version": 2, "period_end": 2001}, "period_end"),
        ({"version": 2, "focus_areas": ["nope"]}, "focus_areas"),
    ]:
        response = api.patch(f"/api/v1/action-plans/{plan.pk}/", bad, format="json")
        assert response.status_code == 400 and field in response.json(), bad
    plan.refresh_from_db()
    assert (plan.vision, plan.version) == ("Liveable", 2)

    api.force_authenticate(nr_thailand)  # sees the draft, may not change it
    assert (
        api.patch(f"/api/v1/action-plans/{plan.pk}/", {"version": 2, "vision": "NR"}, format="json").status_code == 403
    )
    api.force_authenticate(None)
    assert api.patch(f"/api/v1/action-plans/{plan.pk}/", {"version": 2}, format="json").status_code in (401, 404)
    plan.refresh_from_db()
    assert plan.vision == "Liveable"
