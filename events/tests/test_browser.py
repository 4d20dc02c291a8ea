"""A delegation in Chromium: registered by its CSCO, one waitlisted, promoted by a cancellation, checked in."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ascn_portal.accounts.services import account_create
from ascn_portal.notifications.models import Notification
from ascn_portal.testing.browser import PASSWORD, sign_in
from cities.models import City, MemberState
from events import services
from events.tests.factories import event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_delegation_is_registered_waitlisted_promoted_and_checked_in(live_server, page):
    account_create(email="csco@bangkok.example", role="csco", full_name="Busaba Officer", password=PASSWORD,
                   city=City.objects.get(slug="bangkok"))  # fmt: skip
    account_create(email="sec@asean.example", role="secretariat", full_name="Siti Secretariat", password=PASSWORD)
    nr = account_create(email="nr@thailand.example", role="nr", full_name="Niran Representative",
                        password=PASSWORD, member_state=MemberState.objects.get(code="TH"))  # fmt: skip
    workshop = event(name="Smart Cities Governance Workshop 2027", capacity=3, audience="delegations")
    services.delegation_register(event=workshop, by=nr, delegation="member_state:TH",
                                 members=[{"full_name": "Niran Representative", "email": nr.email}])  # fmt: skip
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # The CSCO registers three; two seats are left.
    sign_in(page, base, "csco@bangkok.example")
    page.goto(f"{base}/events/")
    page.get_by_role("link", name=workshop.name).click()
    expect(page.get_by_test_id("seats-left")).to_have_text("2")
    form = page.get_by_test_id("delegation-form")
    for n, (name, email) in enumerate([("Anong Srisuk", "anong"), ("Chai Wong", "chai"), ("Dao Phan", "dao")], 1):
        member = form.get_by_role("group", name=f"Member {n}")
        member.get_by_label("Full name").fill(name)
        member.get_by_label("Email address").fill(f"{email}@bangkok.example")
        member.get_by_label("Title").fill("Engineer")
    form.get_by_role("button", name="Register the delegation").click()
    expect(page.get_by_text("2 of the delegation registered.")).to_be_visible()
    expect(page.get_by_text("On the waitlist, in this order: Dao Phan.")).to_be_visible()
    delegation = page.get_by_test_id("my-delegation")
    expect(delegation.get_by_role("listitem").filter(has_text="Dao Phan")).to_contain_text("Waitlisted")

    # Anong cannot come: the CSCO cancels, and Dao takes the seat.
    delegation.get_by_role("button", name="Cancel Anong Srisuk").click()
    expect(page.get_by_text("Anong Srisuk's registration is cancelled.")).to_be_visible()
    expect(delegation.get_by_role("listitem").filter(has_text="Dao Phan")).to_contain_text("Confirmed")
    expect(page.get_by_test_id("seats-left")).to_have_text("0")

    # On the day, the secretariat finds Dao at the check-in desk.
    sign_in(page, base, "sec@asean.example")
    page.goto(f"{base}/events/{workshop.slug}/")
    page.get_by_role("link", name="Check-in desk").click()
    page.get_by_label("Find a delegate by name, email, title or delegation").fill("dao")
    expect(page.get_by_test_id("check-in-row")).to_have_count(1)
    page.get_by_role("button", name="Check in Dao Phan").click()
    expect(page.get_by_test_id("check-in-row")).to_contain_text("Present")
    expect(page.get_by_test_id("check-in-figures")).to_contain_text(
        "1 of 3 delegates present, from 1 city and 1 member state."
    )
    axe_problems = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert axe_problems == []

    page.goto(f"{base}/events/{workshop.slug}/")
    expect(page.get_by_test_id("present")).to_have_text("1")
    expect(page.get_by_test_id("cities-present")).to_have_text("1")
    expect(page.get_by_test_id("states-present")).to_have_text("1")
    axe_problems = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert axe_problems == []

    kinds = {(n.recipient.email, n.message.kind) for n in Notification.objects.select_related("recipient", "message")}
    assert ("dao@bangkok.example", "event.registered") in kinds
    assert ("dao@bangkok.example", "event.promoted") in kinds
