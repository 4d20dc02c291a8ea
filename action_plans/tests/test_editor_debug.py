"""The plan editor behaves the same with debug on (as `make run` serves it) as with debug off: a
refused save in place stays in place, inside the editor."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.services import account_create
from ascn_portal.testing.browser import PASSWORD, sign_in
from cities.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("debug", [True, False])
def test_a_refused_save_in_place_stays_inside_the_editor(live_server, page, settings, transactional_db, debug):
    settings.DEBUG = debug
    account_create(email="csco@bangkok.example", role="csco", full_name="Busaba Officer", password=PASSWORD,
                   city=City.objects.get(slug="bangkok"))  # fmt: skip
    plan = draft_plan()
    flood = project(plan, title="Flood early warning", estimated_cost_usd=Decimal("2500000"),
                    funding_secured_usd=Decimal("500000"))  # fmt: skip
    sign_in(page, live_server.url, "csco@bangkok.example")
    page.goto(f"{live_server.url}/action-plans/{plan.pk}/edit/")
    page.get_by_role("link", name=f"Edit {flood.title}").click()
    form = page.get_by_test_id("project-form")
    form.get_by_label("Estimated cost (USD)").fill("1000")
    form.get_by_role("button", name="Save project").click()
    expect(page.locator(".htmx-request")).to_have_count(0)
    # The answer (400) is shown in the project's own form, and the editor around it is still there.
    expect(form.get_by_test_id("form-errors")).to_contain_text("Funding secured cannot exceed the estimated cost.")
    expect(page.get_by_role("heading", name=f"Edit: {plan.title}")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    expect(page.locator("link[href*='bootstrap']")).to_have_count(1)  # still the styled page, not a bare form


def test_a_fields_live_check_is_not_dropped_when_the_next_fields_check_starts(
    live_server, page, monkeypatch, transactional_db
):
    import time

    from action_plans import views

    slow = views.render

    def render_slowly(request, template, *args, **kwargs):
        if template == "partials/_live_errors.html":
            time.sleep(0.6)  # a check still on its way when the officer has moved to the next field
        return slow(request, template, *args, **kwargs)

    monkeypatch.setattr(views, "render", render_slowly)
    account_create(email="csco@bangkok.example", role="csco", full_name="Busaba Officer", password=PASSWORD,
                   city=City.objects.get(slug="bangkok"))  # fmt: skip
    plan = draft_plan()
    flood = project(plan, title="Flood early warning")
    sign_in(page, live_server.url, "csco@bangkok.example")
    page.goto(f"{live_server.url}/action-plans/{plan.pk}/edit/")
    page.get_by_role("link", name=f"Edit {flood.title}").click()
    form = page.get_by_test_id("project-form")
    form.get_by_label("Title").fill("")
    form.get_by_label("Title").press("Tab")  # the title's check leaves
    form.get_by_label("Estimated cost (USD)").fill("-5")
    form.get_by_label("Estimated cost (USD)").press("Tab")  # the cost's check, while the first is on its way
    expect(page.locator(f"#id_project-{flood.pk}-title-errors")).to_contain_text("This field is required.")
    expect(page.locator(f"#id_project-{flood.pk}-estimated_cost_usd-errors")).to_contain_text(
        "greater than or equal to 0", timeout=5000
    )
