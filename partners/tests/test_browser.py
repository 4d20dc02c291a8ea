"""A partner finds a recommended project and expresses interest; the city takes it to discussion."""

import pytest
from playwright.sync_api import expect

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.services import account_create
from ascn_portal.notifications.models import Notification
from ascn_portal.testing.browser import PASSWORD, sign_in
from cities.models import City, FocusArea, MemberState
from partners.models import Partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_expresses_interest_and_the_city_takes_it_to_discussion(live_server, page):
    japan = Partner.objects.get(slug="japan")
    japan.member_states.set(MemberState.objects.filter(code="TH"))
    japan.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    japan.support_types = ["financing"]
    japan.save()
    account_create(email="kenji@japan.example", role="partner", full_name="Kenji Contact", password=PASSWORD,
                   partner=japan)  # fmt: skip
    account_create(email="csco@bangkok.example", role="csco", full_name="Busaba Officer", password=PASSWORD,
                   city=City.objects.get(slug="bangkok"))  # fmt: skip
    flood = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning", support_sought=["financing"])
    flood.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    project(draft_plan("cebu-city", title="Cebu SCAP", state=PlanState.APPROVED), title="Cebu bus rapid transit",
            support_sought=["technology"])  # fmt: skip
    base = live_server.url

    sign_in(page, base, "kenji@japan.example")
    page.goto(base + "/dashboard/")
    page.get_by_role("link", name="See recommended projects").click()
    recommended = page.get_by_test_id("recommended")
    expect(recommended).to_contain_text("focus area: quality environment; member state: Thailand")
    expect(recommended).not_to_contain_text("Cebu bus rapid transit")
    recommended.get_by_role("link", name="Flood early warning").click()
    form = page.get_by_test_id("interest-form")
    form.get_by_label("Support you offer").select_option("financing")
    form.get_by_label("Amount (USD)").fill("-5")
    form.get_by_role("button", name="Express interest").click()
    expect(form.get_by_text("Ensure this value is greater than or equal to 0.")).to_be_visible()
    form.get_by_label("Amount (USD)").fill("1500000")
    form.get_by_label("Message to the city").fill("JICA could co-finance the sensors.")
    form.get_by_role("button", name="Express interest").click()
    expect(page.get_by_text("Interest sent to Bangkok and the secretariat.")).to_be_visible()
    expect(page.get_by_test_id("partnership-stage")).to_have_text("Interest expressed")

    sign_in(page, base, "csco@bangkok.example")
    page.goto(base + "/dashboard/")
    page.get_by_test_id("dashboard-partnerships").get_by_role("link", name="Flood early warning").click()
    expect(page.get_by_test_id("partnership")).to_contain_text("JICA could co-finance the sensors.")
    page.get_by_role("button", name="Start discussion").click()
    expect(page.get_by_test_id("partnership-stage")).to_have_text("In discussion")

    sign_in(page, base, "kenji@japan.example")
    page.goto(f"{base}/projects/{flood.pk}/")
    expect(page.get_by_test_id("partnership-stage")).to_have_text("In discussion")
    page.goto(base + "/notifications/")
    expect(page.get_by_text("Busaba Officer started discussing")).to_be_visible()

    kinds = {(n.recipient.email, n.message.kind) for n in Notification.objects.select_related("recipient", "message")}
    assert ("csco@bangkok.example", "partnership.interest") in kinds
    assert ("kenji@japan.example", "partnership.moved") in kinds


def test_the_secretariat_runs_the_twinning_programme_in_the_browser(live_server, page):
    """The secretariat records a twinning in the admin; the CSCO and the partner's contact are told; the
    board, city and partner pages and the API show it; a second one for the city is refused with a
    message; ending it keeps it on record."""
    from axe_playwright_python.sync_playwright import Axe

    from partners.models import Twinning

    Twinning.objects.filter(city__slug="bangkok").delete()
    account_create(email="sec@asean.example", role="secretariat", full_name="Siti Secretariat", password=PASSWORD)
    account_create(email="kenji@japan.example", role="partner", full_name="Kenji Contact", password=PASSWORD,
                   partner=Partner.objects.get(slug="japan"))  # fmt: skip
    account_create(email="csco@bangkok.example", role="csco", full_name="Busaba Officer", password=PASSWORD,
                   city=City.objects.get(slug="bangkok"))  # fmt: skip
    base = live_server.url

    def record(city: str, partner: str):
        page.goto(base + "/admin/partners/twinning/add/")
        for field, text in (("city", city), ("partner", partner)):
            page.locator(f"#id_{field} + .select2").click()
            page.locator(".select2-container--open .select2-search__field").fill(text)
            page.locator(".select2-results__option", has_text=text).first.click()
        page.get_by_label("Status").select_option("active")
        page.locator("#id_starts_on").fill("2026-12-01")
        page.get_by_label("Memorandum reference").fill("MOU-2026-12")
        page.get_by_role("button", name="Save", exact=True).click()

    sign_in(page, base, "sec@asean.example")
    record("Bangkok", "Japan")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    record("Bangkok", "Republic of Korea")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.get_by_text("already has an active twinning")).to_be_visible()
    assert Twinning.objects.filter(city__slug="bangkok").count() == 1

    page.goto(base + "/twinnings/")
    expect(page.get_by_test_id("state-TH")).to_contain_text("Japan")
    expect(page.get_by_test_id("by-partner")).to_contain_text("Bangkok")
    page.goto(base + "/cities/bangkok/")
    expect(page.get_by_test_id("twinnings")).to_contain_text("Japan")
    page.goto(base + "/partners/japan/")
    expect(page.locator("main")).to_contain_text("Bangkok")
    listed = page.request.get(base + "/api/v1/twinnings/?city=bangkok").json()["results"]
    assert [(t["partner"], t["status"]) for t in listed] == [("japan", "active")]

    for person in ("csco@bangkok.example", "kenji@japan.example"):
        sign_in(page, base, person)
        page.goto(base + "/notifications/")
        expect(page.locator("main")).to_contain_text("Bangkok is twinned with Japan")

    sign_in(page, base, "sec@asean.example")
    page.goto(base + "/admin/partners/twinning/?q=Bangkok")
    page.locator("tr", has_text="Bangkok").locator("input.action-select").check()
    page.locator("select[name=action]").select_option("end")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 twinning(s) ended")
    page.goto(base + "/cities/bangkok/")
    expect(page.get_by_test_id("twinnings")).to_contain_text("Ended")
    twinning = Twinning.objects.get(city__slug="bangkok")
    assert twinning.status == "ended" and twinning.ends_on is not None

    # axe on the pages this work added or changed
    axe, found = Axe(), {}
    for path in ["/member-states/TH/", "/member-states/TH/?as_of=2019-06-01", "/cities/bangkok/?as_of=2019-06-01",
                 "/twinnings/", "/partners/japan/"]:  # fmt: skip
        page.goto(base + path)
        problems = [v["id"] for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        if problems:
            found[path] = problems
    assert found == {}
