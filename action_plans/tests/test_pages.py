import json
from decimal import Decimal

import pytest

from action_plans.choices import PlanState
from action_plans.models import ActionPlan, PriorityProject
from action_plans.tests.factories import draft_plan, project

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_published_projects_with_filters(client):
    approved = draft_plan(state=PlanState.APPROVED)
    project(approved, title="Flood early warning", estimated_cost_usd=Decimal("2500000"))
    project(approved, title="Closed network upgrade", open_to_partners=False)
    project(draft_plan("cebu-city", title="Cebu draft"), title="Draft idea")
    page = client.get("/projects/").content.decode()
    assert "Flood early warning" in page and "Closed network upgrade" not in page and "Draft idea" not in page
    assert "gap USD 2,000,000" in page
    assert "1 project" in client.get("/projects/", {"member_state": "TH", "max_cost": "3000000"}).content.decode()
    assert "0 projects" in client.get("/projects/", {"member_state": "PH"}).content.decode()
    response = client.get("/projects/", {"min_cost": "-1"})
    assert response.status_code == 400 and "greater than or equal to 0" in response.content.decode()


def test_unpublished_projects_and_hidden_plans_are_404_to_the_public(client, csco_cebu):
    draft = draft_plan("cebu-city", title="Cebu draft")
    hidden = project(draft)
    assert client.get(f"/projects/{hidden.pk}/").status_code == 404
    assert client.get(f"/action-plans/{draft.pk}/").status_code == 404
    client.force_login(csco_cebu)
    assert client.get(f"/action-plans/{draft.pk}/").status_code == 200


def test_the_catalogue_keeps_its_query_count(client, django_assert_max_num_queries):
    approved = draft_plan(state=PlanState.APPROVED)
    for n in range(30):
        project(approved, title=f"P{n}")
    # count, projects with city and member state, focus areas, filter form choices (states, focus areas, support)
    with django_assert_max_num_queries(6):
        assert client.get("/projects/").status_code == 200


def test_an_officer_starts_and_edits_a_draft_and_adds_a_project(client, csco_bangkok):
    client.force_login(csco_bangkok)
    response = client.post(
        "/cities/bangkok/action-plans/new/", {"title": "SCAP", "period_start": 2026, "period_end": 2030}
    )
    plan = ActionPlan.objects.get()
    assert response["Location"] == f"/action-plans/{plan.pk}/edit/"
    response = client.post(
        f"/action-plans/{plan.pk}/edit/",
        {
            "version": 1,
            "title": "SCAP",
            "period_start": 2026,
            "period_end": 2030,
            "vision": "Liveable",
            "focus_areas": [],
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/action-plans/{plan.pk}/projects/new/",
        {
            "version": 2,
            "kpis-TOTAL_FORMS": "0",
            "kpis-INITIAL_FORMS": "0",
            "title": "Flood early warning",
            "stage": "pipeline",
            "estimated_cost_usd": "1000",
            "funding_secured_usd": "2000",
        },
    )
    assert response.status_code == 400
    assert "Funding secured cannot exceed the estimated cost" in response.content.decode()
    assert not PriorityProject.objects.exists()
    response = client.post(
        f"/action-plans/{plan.pk}/projects/new/",
        {
            "version": 2,
            "kpis-TOTAL_FORMS": "0",
            "kpis-INITIAL_FORMS": "0",
            "title": "Flood early warning",
            "stage": "pipeline",
            "estimated_cost_usd": "3000",
            "funding_secured_usd": "2000",
            "support_sought": ["financing"],
        },
    )
    assert response.status_code == 302 and PriorityProject.objects.get().funding_gap_usd == Decimal("1000")


def test_a_stale_page_save_is_refused_with_409_and_a_message(client, csco_bangkok):
    plan = draft_plan(title="Original")
    client.force_login(csco_bangkok)
    data = {"title": "Mine", "period_start": 2026, "period_end": 2030}
    assert client.post(f"/action-plans/{plan.pk}/edit/", {**data, "version": 1}).status_code == 302
    response = client.post(f"/action-plans/{plan.pk}/edit/", {**data, "title": "Theirs", "version": 1})
    assert response.status_code == 409
    assert "Someone else saved this plan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Mine"


def test_others_may_not_start_or_edit_a_citys_plan(client, csco_cebu, nr_thailand, csco_bangkok):
    plan = draft_plan()
    for user in (csco_cebu, nr_thailand):
        client.force_login(user)
        assert (
            client.post(
                "/cities/bangkok/action-plans/new/", {"title": "X", "period_start": 2031, "period_end": 2032}
            ).status_code
            == 403
        )
        status = client.post(
            f"/action-plans/{plan.pk}/edit/",
            {"title": "Hijack", "version": 1, "period_start": 2026, "period_end": 2030},
        ).status_code
        assert status in (403, 404)
    plan.refresh_from_db()
    assert plan.title == "Smart Bangkok 2026-2030" and ActionPlan.objects.count() == 1
    client.logout()
    assert client.get(f"/action-plans/{plan.pk}/edit/").status_code == 302  # to sign in


def test_review_through_the_plan_page(client, csco_bangkok, nr_thailand):
    plan = draft_plan()
    project(plan)
    client.force_login(csco_bangkok)
    page = client.get(f"/action-plans/{plan.pk}/").content.decode()
    assert ">Submit</button>" in page and ">Endorse</button>" not in page
    client.post(f"/action-plans/{plan.pk}/move/submit/", {"version": 1})
    client.force_login(nr_thailand)
    assert "Smart Bangkok" in client.get("/dashboard/").content.decode()
    response = client.post(f"/action-plans/{plan.pk}/move/return/", {"version": 2, "comment": ""}, follow=True)
    assert "Say what the city should change" in response.content.decode()
    client.post(f"/action-plans/{plan.pk}/move/return/", {"version": 2, "comment": "Add phase 2 costs."})
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    client.force_login(csco_bangkok)
    dashboard = client.get("/dashboard/").content.decode()
    assert "returned with comments" in dashboard
    plan_page = client.get(f"/action-plans/{plan.pk}/").content.decode()
    assert "Add phase 2 costs." in plan_page and "returned the plan to draft" in plan_page


def test_a_move_not_allowed_changes_nothing(client, csco_bangkok, csco_cebu):
    plan = draft_plan(state=PlanState.SUBMITTED)
    client.force_login(csco_bangkok)
    client.post(f"/action-plans/{plan.pk}/move/approve/", {"version": 1})
    client.force_login(csco_cebu)
    assert client.post(f"/action-plans/{plan.pk}/move/endorse/", {"version": 1}).status_code == 404
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED and not plan.transitions.exists()


def test_the_dashboard_shows_progress_reports_due(client, csco_bangkok):
    plan = draft_plan(state=PlanState.APPROVED)
    project(plan, title="Smart lighting")
    client.force_login(csco_bangkok)
    page = client.get("/dashboard/").content.decode()
    assert "Progress reports due" in page and "Smart lighting" in page


def test_the_city_page_lists_its_plans(client):
    plan = draft_plan(state=PlanState.APPROVED, title="Bangkok SCAP")
    project(plan, title="Flood early warning")
    page = client.get("/cities/bangkok/").content.decode()
    assert "Bangkok SCAP" in page and "Flood early warning" in page


def test_an_expired_form_explains_itself(csco_bangkok):
    from django.test import Client

    plan = draft_plan()
    client = Client(enforce_csrf_checks=True)
    client.force_login(csco_bangkok)
    response = client.post(f"/action-plans/{plan.pk}/edit/", {"title": "x"})
    assert response.status_code == 403 and "This page expired" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Smart Bangkok 2026-2030"


def test_kpis_are_added_with_the_project_and_bad_ones_refused(client, csco_bangkok):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    base = {
        "version": 1,
        "title": "Flood early warning",
        "stage": "pipeline",
        "funding_secured_usd": "0",
        "kpis-TOTAL_FORMS": "2",
        "kpis-INITIAL_FORMS": "0",
        "kpis-MIN_NUM_FORMS": "0",
        "kpis-MAX_NUM_FORMS": "20",
    }
    response = client.post(
        f"/action-plans/{plan.pk}/projects/new/",
        {
            **base,
            "kpis-0-name": "Lead time",
            "kpis-0-unit": "minutes",
            "kpis-0-baseline": "sixty",
        },
    )
    assert response.status_code == 400 and "Enter a number" in response.content.decode()
    assert not PriorityProject.objects.exists()
    response = client.post(
        f"/action-plans/{plan.pk}/projects/new/",
        {
            **base,
            "kpis-0-name": "Lead time",
            "kpis-0-unit": "minutes",
            "kpis-0-baseline": "60",
            "kpis-0-target": "15",
        },
    )
    assert response.status_code == 302
    kpi = PriorityProject.objects.get().kpis.get()
    assert (kpi.name, kpi.baseline, kpi.target) == ("Lead time", 60, 15)


def test_fields_are_checked_as_the_officer_types(client, csco_bangkok, csco_cebu):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    response = client.post(
        f"/action-plans/{plan.pk}/validate/project/",
        {
            "title": "",
            "stage": "pipeline",
            "estimated_cost_usd": "100",
            "funding_secured_usd": "500",
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'id="id_title-errors"' in page and "This field is required." in page
    assert 'hx-swap-oob="true"' in page
    response = client.post(
        f"/action-plans/{plan.pk}/validate/project/",
        {
            "title": "Lights",
            "stage": "pipeline",
            "estimated_cost_usd": "100",
            "funding_secured_usd": "500",
        },
    )
    assert "Funding secured cannot exceed the estimated cost" in response.content.decode()
    assert not PriorityProject.objects.exists()  # checking saves nothing
    client.force_login(csco_cebu)
    assert client.post(f"/action-plans/{plan.pk}/validate/plan/", {"title": ""}).status_code == 404


def test_projects_are_added_edited_and_removed_in_place(client, csco_bangkok):
    """The plan editor's requests (htmx): fragments, not pages, and the plan's new version for its other forms."""
    plan = draft_plan()
    client.force_login(csco_bangkok)
    new = f"/action-plans/{plan.pk}/projects/new/"
    response = client.get(new, HTTP_HX_REQUEST="true")
    form = response.content.decode()
    assert response.status_code == 200 and "<html" not in form
    assert 'name="project-new-title"' in form and "autofocus" in form

    fields = {"version": 1, "title": "Flood early warning", "stage": "pipeline", "estimated_cost_usd": "100",
              "funding_secured_usd": "500", "kpis-TOTAL_FORMS": 0, "kpis-INITIAL_FORMS": 0}  # fmt: skip
    posted = {f"project-new-{k}": v for k, v in fields.items()}
    response = client.post(new, posted, HTTP_HX_REQUEST="true")
    assert (
        response.status_code == 400 and "Funding secured cannot exceed the estimated cost" in response.content.decode()
    )
    assert 'id="project-new-errors"' in response.content.decode()  # its own messages, apart from the plan form's
    assert not PriorityProject.objects.exists()

    response = client.post(new, {**posted, "project-new-funding_secured_usd": "50"}, HTTP_HX_REQUEST="true")
    added = PriorityProject.objects.get()
    assert response.status_code == 200 and 'hx-swap-oob="beforeend:#edit-projects"' in response.content.decode()
    assert f'id="project-{added.pk}"' in response.content.decode()
    assert json.loads(response["HX-Trigger"]) == {"planVersion": {"version": 2}}

    edit = f"/action-plans/{plan.pk}/projects/{added.pk}/"
    prefix = f"project-{added.pk}"
    renamed = {f"{prefix}-{k}": v for k, v in {**fields, "version": 2, "title": "Flood warning 2.0",
                                               "funding_secured_usd": "50"}.items()}  # fmt: skip
    stale = client.post(edit, {**renamed, f"{prefix}-version": 1}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "Someone else saved this plan" in stale.content.decode()
    assert PriorityProject.objects.get().title == "Flood early warning"
    response = client.post(edit, renamed, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Flood warning 2.0" in response.content.decode()
    assert json.loads(response["HX-Trigger"]) == {"planVersion": {"version": 3}}
    assert client.get(f"{edit}row/", HTTP_HX_REQUEST="true").content.decode().count("Flood warning 2.0") >= 1

    delete = f"/action-plans/{plan.pk}/projects/{added.pk}/delete/"
    response = client.post(delete, {"version": 2}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "Someone else saved this plan" in response.content.decode()
    assert PriorityProject.objects.exists()
    response = client.post(delete, {"version": 3}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert json.loads(response["HX-Trigger"]) == {"planVersion": {"version": 4}}
    assert not PriorityProject.objects.exists()


def test_live_checks_answer_the_form_opened_in_place(client, csco_bangkok):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    url = f"/action-plans/{plan.pk}/validate/project/"
    response = client.post(f"{url}?prefix=project-new", {"project-new-title": ""}, HTTP_HX_REQUEST="true")
    assert 'id="id_project-new-title-errors"' in response.content.decode()
    response = client.post(f"{url}?prefix=<script>", {"title": ""}, HTTP_HX_REQUEST="true")
    assert 'id="id_title-errors"' in response.content.decode() and "<script>" not in response.content.decode()


def test_the_dashboard_marks_only_returned_drafts_as_returned(client, csco_bangkok, nr_thailand):
    returned = draft_plan(title="Smart Bangkok 2026-2030")
    project(returned)
    fresh = draft_plan(title="Bangkok Resilience 2031-2035", period_start=2031, period_end=2035)
    client.force_login(csco_bangkok)
    client.post(f"/action-plans/{returned.pk}/move/submit/", {"version": 1})
    client.force_login(nr_thailand)
    client.post(f"/action-plans/{returned.pk}/move/return/", {"version": 2, "comment": "Add phase 2 costs."})
    client.force_login(csco_bangkok)
    page = client.get("/dashboard/").content.decode()
    drafts = {line.split("</a>")[0].rsplit(">", 1)[-1]: line for line in page.split("<li>") if "plan_edit" in line
              or "/edit/" in line}  # fmt: skip
    assert "returned with comments" in drafts[returned.title]
    assert "returned with comments" not in drafts[fresh.title]


@pytest.mark.parametrize("plans", [1, 8])
def test_the_dashboard_costs_the_same_whatever_the_number_of_plans(
    client, csco_bangkok, nr_thailand, secretariat, django_assert_max_num_queries, plans
):
    from action_plans.choices import PlanState as State
    from cities.models import City

    thai = list(City.objects.filter(member_state__code="TH").order_by("slug"))
    for n in range(plans):
        city = thai[n % len(thai)]
        state = [State.DRAFT, State.SUBMITTED, State.ENDORSED, State.APPROVED][n % 4]
        project(draft_plan(city.slug, title=f"Plan {n}", period_start=2026 + n, period_end=2030 + n, state=state))
    for person in (csco_bangkok, nr_thailand, secretariat):
        client.force_login(person)
        # session, user, offices; drafts, returned, in review, to endorse, to approve, reports due,
        # cities, partnerships (+ consortium prefetch off), the partner spoken for, and the inbox count
        with django_assert_max_num_queries(16):
            assert client.get("/dashboard/").status_code == 200


def test_signing_in_lands_on_the_dashboard(client, csco_bangkok):
    response = client.post("/accounts/login/", {"username": csco_bangkok.email, "password": "a-Long-passw0rd!"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_the_catalogue_filters_say_any_not_dashes(client):
    page = client.get("/projects/").content.decode()
    assert "---------" not in page and ">Any<" in page


def test_funding_above_cost_marks_both_fields_and_says_so_at_the_field(client, csco_bangkok):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    response = client.post(f"/action-plans/{plan.pk}/projects/new/", {
        "title": "Flood early warning", "stage": "pipeline", "estimated_cost_usd": "1000",
        "funding_secured_usd": "5000", "support_sought": ["financing"], "version": plan.version,
        "kpis-TOTAL_FORMS": 0, "kpis-INITIAL_FORMS": 0,
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    for field in ("estimated_cost_usd", "funding_secured_usd"):
        tag = page[page.index(f'id="id_{field}"') - 300 : page.index(f'id="id_{field}"') + 300]
        assert 'aria-invalid="true"' in tag and "is-invalid" in tag and f'aria-describedby="id_{field}-errors"' in tag
    errors = page[page.index('id="id_funding_secured_usd-errors"') :][:200]
    assert "Funding secured cannot exceed the estimated cost." in errors
    assert not plan.projects.exists()


def test_the_editor_offers_submitting_and_has_no_duplicate_ids(client, csco_bangkok, team_bangkok):
    import re

    plan = draft_plan()
    project(plan)
    client.force_login(csco_bangkok)
    page = client.get(f"/action-plans/{plan.pk}/edit/").content.decode()
    assert "Submit for review" in page and f"/action-plans/{plan.pk}/move/submit/" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    client.force_login(team_bangkok)  # a team member edits but the CSCO submits
    assert "Submit for review" not in client.get(f"/action-plans/{plan.pk}/edit/").content.decode()


def test_a_field_opened_in_place_is_described_by_its_own_errors(client, csco_bangkok):
    plan = draft_plan()
    flood = project(plan)
    client.force_login(csco_bangkok)
    response = client.post(
        f"/action-plans/{plan.pk}/projects/{flood.pk}/",
        {f"project-{flood.pk}-title": "", "version": plan.version},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert f'aria-describedby="id_project-{flood.pk}-title-errors"' in page
    assert f'id="id_project-{flood.pk}-title-errors"' in page
