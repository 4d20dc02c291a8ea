"""Journeys in Debian's Chromium, against the portal served by a live server."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(transactional_db):
    from ascn_portal.accounts.services import account_create
    from cities.models import City

    return account_create(
        email="csco@bangkok.example",
        role="csco",
        full_name="Busaba Officer",
        password="a-Long-passw0rd!",
        city=City.objects.get(slug="bangkok"),
        title="Director, Smart City Office",
    )


def test_a_visitor_sees_the_network_and_opens_a_city(live_server, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("city-count")).to_have_text("31")
    expect(page.get_by_test_id("state-count")).to_have_text("10")
    expect(page.locator("svg.region-map circle.city-dot")).to_have_count(31)
    page.get_by_role("link", name="Viet Nam", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cities/\?member_state=VN$"))
    expect(page.get_by_test_id("result-count")).to_contain_text("3 cities")
    page.get_by_role("link", name="Da Nang City").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Da Nang City")
    expect(page.get_by_test_id("networks")).to_contain_text("WeGO")
    assert errors == []  # nothing refused by the Content-Security-Policy, nothing missing


def test_searching_cities_updates_the_list_in_place(live_server, page):
    page.goto(live_server.url + "/cities/")
    expect(page.get_by_test_id("result-count")).to_contain_text("31 cities")
    page.get_by_label("Search").fill("ho chi")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 city")
    expect(page).to_have_url(re.compile(r"q=ho"))  # the filtered list has its own address
    page.get_by_label("Member state").select_option("TH")
    expect(page.get_by_test_id("result-count")).to_contain_text("0 cities")


def test_an_officer_signs_in_and_sees_contact_details(live_server, page, officer):
    page.goto(live_server.url + "/cities/bangkok/")
    expect(page.get_by_text("Busaba Officer")).to_be_visible()
    expect(page.get_by_text("csco@bangkok.example")).to_have_count(0)
    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Email address").fill("csco@bangkok.example")
    page.get_by_label("Password").fill("a-Long-passw0rd!")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + "/cities/bangkok/")
    expect(page.get_by_test_id("account-menu")).to_have_text("Busaba Officer")
    expect(page.get_by_role("link", name="csco@bangkok.example")).to_be_visible()
    page.get_by_test_id("account-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_explained(live_server, page, officer):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("csco@bangkok.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct email address and password")


def test_the_api_documentation_renders_from_the_portal_alone(live_server, page):
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("ASCN Portal API"))).to_be_visible()
    expect(page.get_by_text("/api/v1/cities/", exact=True)).to_be_visible()
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert errors == []


def test_an_officer_reads_notifications_in_the_inbox(live_server, page, officer):
    from ascn_portal.notifications.services import notify

    for title in ("Workshop in Da Nang", "Annual meeting"):
        notify(
            recipients=[officer],
            kind="network.announcement",
            context={"title": title, "body": "", "sender": "S"},
            link="/cities/da-nang/",
        )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("csco@bangkok.example")
    page.get_by_label("Password").fill("a-Long-passw0rd!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("unread-count")).to_contain_text("2")
    page.get_by_test_id("inbox-link").click()
    items = page.get_by_test_id("inbox").locator("li")
    expect(items.first).to_contain_text("Announcement: Annual meeting")  # newest first
    items.first.get_by_role("button", name="Mark read").click()  # htmx swaps the row in place
    expect(items.first.get_by_role("button", name="Mark read")).to_have_count(0)
    page.get_by_role("button", name="Announcement: Workshop in Da Nang").click()
    expect(page).to_have_url(live_server.url + "/cities/da-nang/")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
