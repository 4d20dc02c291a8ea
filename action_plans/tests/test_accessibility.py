"""axe-core (bundled with axe-playwright-python, no download) on the pages officers and partners use."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.services import account_create
from cities.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_dashboard_editor_and_catalogue_have_no_serious_violations(live_server, page, transactional_db):
    account_create(
        email="csco@bangkok.example",
        role="csco",
        full_name="Busaba Officer",
        password="a-Long-passw0rd!",
        city=City.objects.get(slug="bangkok"),
    )
    draft = draft_plan(title="Draft plan")
    project(draft)
    from ascn_portal.accounts.models import User
    from ascn_portal.notifications.services import notify

    notify(
        recipients=User.objects.filter(email="csco@bangkok.example"),
        kind="network.announcement",
        context={"title": "Workshop in Da Nang", "body": "Details follow.", "sender": "The ASCN Secretariat"},
    )  # unread
    approved = draft_plan("chonburi", title="Chonburi SCAP", state=PlanState.APPROVED)
    published = project(approved, title="Smart industrial estate")
    page.emulate_media(reduced_motion="reduce")  # Bootstrap then draws no transitions: colours are final
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("csco@bangkok.example")
    page.get_by_label("Password").fill("a-Long-passw0rd!")
    page.get_by_role("button", name="Sign in").click()

    axe = Axe()
    found = {}
    for path in [
        "/dashboard/",
        f"/action-plans/{draft.pk}/edit/",
        f"/action-plans/{draft.pk}/projects/new/",
        f"/action-plans/{draft.pk}/",
        "/projects/",
        f"/projects/{published.pk}/",
        "/",
        "/cities/",
        "/notifications/",  # with an unread line
        "/events/",
        "/partners/",
        "/partners/japan/",
        "/twinnings/",
        "/cities/bangkok/",
        "/data/",
    ]:
        page.goto(live_server.url + path)
        problems = _serious(axe.run(page))
        if problems:
            found[path] = problems
    # The plan editor with a project opened in place and one being added.
    page.goto(f"{live_server.url}/action-plans/{draft.pk}/edit/")
    page.get_by_role("link", name="Edit Flood early warning").click()
    page.get_by_role("link", name="Add a project").click()
    page.get_by_test_id("project-form").nth(1).wait_for()
    # Measured once the swap has settled and with no colour half-way through a transition.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    problems = _serious(axe.run(page))
    if problems:
        found["plan editor, forms open in place"] = problems
    for path, problems in found.items():
        print(path, *problems, sep="\n  ")
    assert found == {}
