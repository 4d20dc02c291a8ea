"""A monitoring round walked in Chromium: opened, checked, fixed, submitted, returned, resubmitted,
accepted; the figures in the roll-up and the year's report; the offline template both ways; axe on
every new page, charts included."""

import datetime
import io

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from ascn_portal.testing.browser import sign_in
from monitoring.models import CityReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(axe, page) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]  # fmt: skip


def test_a_round_from_opening_to_the_report(live_server, page, network, secretariat, csco_bangkok, tmp_path):
    base, axe, found = live_server.url, Axe(), {}

    sign_in(page, base, "sec@asean.example")
    page.goto(base + "/monitoring/")
    form = page.get_by_test_id("open-round")
    form.get_by_label("Year").fill("2025")
    form.get_by_label("Deadline").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    form.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The 2025 round is open; the cities' officers are told.")).to_be_visible()
    expect(page.get_by_test_id("round-cities")).to_contain_text("Bangkok")
    found["/monitoring/"] = _serious(axe, page)

    sign_in(page, base, "csco@bangkok.example")
    page.goto(base + "/dashboard/")
    page.get_by_test_id("dashboard-round").get_by_role("link", name="Bangkok").click()
    blocking = page.get_by_test_id("blocking")
    expect(blocking).to_contain_text("“P2 rail link” has no progress report yet.")
    found["city report"] = _serious(axe, page)
    page.get_by_role("button", name="Submit the city's report").click()
    expect(page.get_by_text("has no progress report yet").first).to_be_visible()
    assert not CityReport.objects.filter(city__slug="bangkok", state="submitted").exists()
    blocking.get_by_role("link", name="“P2 rail link” has no progress report yet.").click()
    report = page.get_by_test_id("project-report-form")
    found["project report"] = _serious(axe, page)
    report.get_by_label("Status").select_option("delayed")
    report.get_by_label("Percent complete").fill("10")
    report.get_by_role("button", name="Save the report").click()
    expect(page.get_by_test_id("blocking")).to_contain_text("went down from 20% (2024) to 10%")
    page.get_by_test_id("blocking").get_by_role("link").first.click()
    page.get_by_label("Narrative").fill("Land acquisition stalled.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_test_id("blocking")).to_have_count(0)
    page.get_by_role("button", name="Submit the city's report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("Submitted for review")

    sign_in(page, base, "sec@asean.example")
    page.goto(base + "/monitoring/2025/cities/bangkok/")
    page.get_by_label("Comments for the city").fill("Please add the funding secured for P2.")
    page.get_by_role("button", name="Return to the city").click()
    expect(page.get_by_test_id("report-state")).to_have_text("Returned to the city")

    sign_in(page, base, "csco@bangkok.example")
    page.goto(base + "/monitoring/2025/cities/bangkok/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Please add the funding secured for P2.")
    # The offline template: download, a bad cell refused, then a good file saved.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 2025 template (XLSX)").click()
    path = tmp_path / "template.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Projects"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "P2 rail link")
    sheet.cell(row, 5).value = "a lot"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    page.get_by_label("The filled-in template").set_input_files(str(bad))
    page.get_by_role("button", name="Send the template").click()
    expect(page.get_by_test_id("template-errors")).to_contain_text(f"E{row}")
    sheet.cell(row, 5).value = 250000
    good = tmp_path / "good.xlsx"
    book.save(good)
    page.get_by_label("The filled-in template").set_input_files(str(good))
    page.get_by_role("button", name="Send the template").click()
    expect(page.get_by_text("saved from good.xlsx")).to_be_visible()
    page.get_by_role("button", name="Submit the city's report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("Submitted for review")

    sign_in(page, base, "sec@asean.example")
    page.goto(base + "/monitoring/2025/cities/bangkok/")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("report-state")).to_have_text("Accepted")

    page.goto(base + "/monitoring/2025/")
    network_figures = page.get_by_test_id("network")
    expect(network_figures).to_contain_text("4,000,000 USD")
    expect(network_figures).to_contain_text("650,000 USD")  # P1's 400,000 and P2's 250,000
    expect(page.get_by_test_id("chart-cost-funding").locator("svg")).to_be_visible()
    found["/monitoring/2025/"] = _serious(axe, page)
    page.goto(base + "/reports/2025/")
    expect(page.get_by_test_id("report-progress")).to_contain_text("650,000 USD")
    expect(page.get_by_test_id("report-progress")).to_contain_text("1 city's report was accepted")
    found["/reports/2025/"] = _serious(axe, page)
    workbook = page.request.get(base + "/reports/2025/?format=xlsx")
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.body())).sheetnames
    assert sheets == ["Framework", "Action plans noted", "Partnerships finalised", "Twinnings started", "Progress",
                      "Event outcomes"]  # fmt: skip
    assert {k: v for k, v in found.items() if v} == {}
