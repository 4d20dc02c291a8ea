"""The whole review path in Chromium: a CSCO files a plan, the NR returns then endorses it, the
secretariat approves it in the admin, and the project reaches the catalogue and the API."""

import re

import pytest
from playwright.sync_api import expect

from ascn_portal.accounts.services import account_create
from ascn_portal.notifications.models import Notification
from ascn_portal.testing.browser import PASSWORD, sign_in
from cities.models import City, MemberState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db):
    bangkok = City.objects.get(slug="bangkok")
    return {
        "csco": account_create(email="csco@bangkok.example", role="csco", full_name="Busaba Officer",
                               password=PASSWORD, city=bangkok),
        "nr": account_create(email="nr@thailand.example", role="nr", full_name="Niran Representative",
                             password=PASSWORD, member_state=MemberState.objects.get(code="TH")),
        "sec": account_create(email="sec@asean.example", role="secretariat", full_name="Siti Secretariat",
                              password=PASSWORD),
    }  # fmt: skip


def _add_project(page, title, cost, secured):
    """Add a project in place on the plan editor; the form opens below the list."""
    page.get_by_role("link", name="Add a project").click()
    form = page.get_by_test_id("project-form")
    expect(form).to_be_visible()
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)  # typed after it settles
    form.get_by_label("Title").fill(title)
    form.get_by_label("Estimated cost (USD)").fill(cost)
    form.get_by_label("Funding secured (USD)").fill(secured)
    form.get_by_label("Financing").check()
    form.get_by_role("button", name="Save project").click()
    expect(page.locator(".htmx-request")).to_have_count(0)  # the save has answered and its form is in place
    return form


def test_a_plan_goes_from_draft_to_the_catalogue(live_server, page, cast):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # "are you sure?" before submit

    # The CSCO starts a plan from the dashboard and adds two projects, fixing a mistake on the way.
    sign_in(page, base, "csco@bangkok.example")
    page.goto(base + "/dashboard/")
    page.get_by_role("link", name="New plan for Bangkok").click()
    page.get_by_label("Title").fill("Smart Bangkok 2026-2030")
    page.get_by_label("Period start").fill("2026")
    page.get_by_label("Period end").fill("2030")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_label("Vision").fill("A liveable, resilient Bangkok.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    form = _add_project(page, "Flood early warning", "1000", "5000")
    expect(form.get_by_test_id("form-errors")).to_contain_text("Funding secured cannot exceed the estimated cost.")
    # The form with its errors is swapped in and settles before the person types again.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    form.get_by_label("Estimated cost (USD)").fill("2500000")
    form.get_by_role("button", name="Save project").click()
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="“Flood early warning” added.")).to_be_visible()
    # What was typed is kept in the browser only until the save is confirmed: the next new project starts blank.
    assert not page.evaluate("Object.keys(localStorage).filter((key) => key.endsWith('-project-new'))")
    _add_project(page, "Smart street lighting", "800000", "0")
    expect(page.get_by_test_id("edit-projects").locator("li")).to_have_count(2)
    page.get_by_role("button", name="Submit for review").click()  # offered in the editor itself
    expect(page.get_by_test_id("plan-state")).to_have_text("Submitted")

    # The NR returns it with a comment.
    sign_in(page, base, "nr@thailand.example")
    page.goto(base + "/dashboard/")
    page.get_by_test_id("to-endorse").get_by_role("link", name="Smart Bangkok 2026-2030").click()
    page.get_by_label("What should the city change?").fill("Please add the maintenance costs.")
    page.get_by_role("button", name="Return to draft").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("Draft")

    # The CSCO revises and resubmits.
    sign_in(page, base, "csco@bangkok.example")
    page.goto(base + "/dashboard/")
    expect(page.get_by_text("returned with comments")).to_be_visible()
    page.get_by_test_id("drafts").get_by_role("link", name="Smart Bangkok 2026-2030").click()
    page.get_by_label("Objectives").fill("Maintenance costs are now in each project.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="View the plan").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Please add the maintenance costs.")
    page.get_by_role("button", name="Submit").click()

    # The NR endorses.
    sign_in(page, base, "nr@thailand.example")
    page.goto(base + "/dashboard/")
    page.get_by_test_id("to-endorse").get_by_role("link", name="Smart Bangkok 2026-2030").click()
    page.get_by_role("button", name="Endorse").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("Endorsed")

    # The secretariat approves in the admin.
    sign_in(page, base, "sec@asean.example")
    page.goto(base + "/admin/action_plans/actionplan/?state__exact=endorsed")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("plan(s): approve done")).to_be_visible()

    # The projects are in the public catalogue and the API.
    page.context.clear_cookies()
    page.goto(base + "/projects/?member_state=TH")
    expect(page.get_by_test_id("result-count")).to_have_text("2 projects")
    expect(page.get_by_role("link", name="Flood early warning")).to_be_visible()
    api = page.request.get(base + "/api/v1/projects/?city=bangkok").json()
    assert sorted(p["title"] for p in api["results"]) == ["Flood early warning", "Smart street lighting"]

    # Each actor heard of their turn.
    kinds = {(n.recipient.email, n.message.kind) for n in Notification.objects.select_related("recipient", "message")}
    assert ("nr@thailand.example", "action_plan.submitted") in kinds
    assert ("csco@bangkok.example", "action_plan.returned") in kinds
    assert ("sec@asean.example", "action_plan.endorsed") in kinds
    assert ("csco@bangkok.example", "action_plan.approved") in kinds
    assert ("nr@thailand.example", "action_plan.approved") in kinds


def test_two_sessions_editing_one_draft_lose_nothing(live_server, browser, cast):
    from action_plans.models import ActionPlan

    plan = ActionPlan.objects.create(
        city=City.objects.get(slug="bangkok"), title="Shared draft", period_start=2026, period_end=2030
    )
    pages = []
    for _ in range(2):
        page = browser.new_context().new_page()
        sign_in(page, live_server.url, "csco@bangkok.example")
        page.goto(f"{live_server.url}/action-plans/{plan.pk}/edit/")
        pages.append(page)
    first, second = pages
    first.get_by_label("Vision").fill("First officer's vision")
    first.get_by_role("button", name="Save draft").click()
    expect(first.get_by_text("Draft saved.")).to_be_visible()
    second.get_by_label("Vision").fill("Second officer's vision")
    second.get_by_role("button", name="Save draft").click()
    expect(second.get_by_test_id("form-errors")).to_contain_text("Someone else saved this plan")
    expect(second.get_by_label("Vision")).to_have_value("Second officer's vision")  # their text is kept
    plan.refresh_from_db()
    assert plan.vision == "First officer's vision"


def test_text_typed_before_a_session_expired_is_restored(live_server, page, cast):
    from action_plans.models import ActionPlan

    plan = ActionPlan.objects.create(
        city=City.objects.get(slug="bangkok"), title="Draft", period_start=2026, period_end=2030
    )
    sign_in(page, live_server.url, "csco@bangkok.example")
    page.goto(f"{live_server.url}/action-plans/{plan.pk}/edit/")
    page.get_by_label("Vision").fill("A long vision typed over twenty minutes.")
    page.context.clear_cookies(name="sessionid")  # the session expires before the officer presses save
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email address").fill("csco@bangkok.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("autosave-restored")).to_be_visible()
    expect(page.get_by_label("Vision")).to_have_value("A long vision typed over twenty minutes.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_test_id("autosave-restored")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.vision == "A long vision typed over twenty minutes."
    page.reload()
    expect(page.get_by_test_id("autosave-restored")).to_have_count(0)  # nothing left over after the save


def test_a_mistake_is_flagged_before_saving(live_server, page, cast):
    from action_plans.models import ActionPlan, PriorityProject

    plan = ActionPlan.objects.create(
        city=City.objects.get(slug="bangkok"), title="Draft", period_start=2026, period_end=2030
    )
    sign_in(page, live_server.url, "csco@bangkok.example")
    page.goto(f"{live_server.url}/action-plans/{plan.pk}/projects/new/")
    page.get_by_label("Title").fill("Smart lighting")
    page.get_by_label("Estimated cost (USD)").fill("100")
    page.get_by_label("Funding secured (USD)").fill("500")
    page.get_by_label("Location").focus()  # leaving the field checks the form
    expect(page.get_by_test_id("form-errors")).to_contain_text("Funding secured cannot exceed the estimated cost.")
    page.get_by_label("Funding secured (USD)").fill("50")
    page.get_by_label("Location").focus()
    expect(page.get_by_test_id("form-errors")).to_have_count(0)
    assert not PriorityProject.objects.exists()


def test_projects_are_edited_and_removed_in_place_without_leaving_the_editor(live_server, browser, cast):
    from action_plans.models import ActionPlan, PriorityProject
    from action_plans.tests.factories import project

    plan = ActionPlan.objects.create(
        city=City.objects.get(slug="bangkok"), title="Draft", period_start=2026, period_end=2030
    )
    lights, flood = project(plan, title="Smart lighting"), project(plan, title="Flood early warning")
    page, other = (browser.new_context().new_page() for _ in range(2))
    for each in (page, other):
        sign_in(each, live_server.url, "csco@bangkok.example")
        each.goto(f"{live_server.url}/action-plans/{plan.pk}/edit/")
    page.on("dialog", lambda dialog: dialog.accept())
    editor_url = page.url
    other.get_by_role("link", name="Edit Smart lighting").click()  # a second officer opens it at the same time

    # Open one project in place, look, cancel: the row comes back unchanged.
    page.get_by_role("link", name="Edit Smart lighting").click()
    form = page.get_by_test_id("project-form")
    expect(form.get_by_label("Title")).to_be_focused()
    form.get_by_role("link", name="Cancel").click()
    expect(page.get_by_test_id("project-form")).to_have_count(0)

    # Rename it in place; the page never changes and the plan form stays current.
    page.get_by_role("link", name="Edit Smart lighting").click()
    form.get_by_label("Title").fill("Smart street lighting")
    form.get_by_role("button", name="Save project").click()
    expect(page.get_by_test_id("edit-projects")).to_contain_text("Smart street lighting")
    page.get_by_role("button", name="Remove Flood early warning").click()
    expect(page.get_by_test_id("project-row")).to_have_count(1)
    assert page.url == editor_url
    page.get_by_label("Vision").fill("Lit and dry.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()  # no false conflict after the saves in place
    assert [p.title for p in PriorityProject.objects.filter(plan=plan)] == ["Smart street lighting"]
    assert not PriorityProject.objects.filter(pk=flood.pk).exists()

    # The second browser still shows the old page: its save in place is refused and its text kept.
    late = other.get_by_test_id("project-form")
    late.get_by_label("Location").fill("Old town")
    late.get_by_role("button", name="Save project").click()
    expect(late.get_by_test_id("form-errors")).to_contain_text("Someone else saved this plan")
    expect(late.get_by_label("Location")).to_have_value("Old town")
    lights.refresh_from_db()
    assert (lights.title, lights.location) == ("Smart street lighting", "")
