"""/data/ promises that no file holds a person's email or phone: a city that types one into a project's
public summary is warned before submitting, and if it publishes anyway every file masks it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from action_plans.models import ActionPlan, PlanState
from opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db

EMAIL = "somchai.k@bangkok.go.th"
PHONES = ["+66 81 234 5678", "02-123-4567", "0912 345 678"]


def _body(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    return body.decode("utf-8-sig")


def test_an_email_and_phones_typed_into_a_summary_are_warned_about_and_never_published(
    client, csco_bangkok, nr_thailand, secretariat
):
    client.force_login(csco_bangkok)
    client.post("/cities/bangkok/action-plans/new/", {"title": "SCAP", "period_start": 2026, "period_end": 2030})
    plan = ActionPlan.objects.get()
    summary = f"Ask Somchai ({EMAIL}, {PHONES[0]}) or the desk at {PHONES[1]} / {PHONES[2]} for the 1,200,000 users."
    response = client.post(f"/action-plans/{plan.pk}/projects/new/", {
        "version": 1, "kpis-TOTAL_FORMS": "0", "kpis-INITIAL_FORMS": "0", "title": "Flood early warning",
        "summary": summary, "stage": "pipeline", "estimated_cost_usd": "3000", "funding_secured_usd": "2000",
        "support_sought": ["financing"], "open_to_partners": "on", "starts_on": "2026-02-01",
    })  # fmt: skip
    assert response.status_code == 302
    project = plan.projects.get()
    page = client.get(f"/action-plans/{plan.pk}/").content.decode()
    check = page[page.index('data-testid="plan-check"') :]
    field = reverse("action_plans:project_edit", kwargs={"pk": plan.pk, "project_pk": project.pk}) + "#id_summary"
    assert f'<a href="{field}">“Flood early warning”, summary: looks like an email address and a phone' in check

    # The city submits anyway (a warning does not stop it); the NR endorses, the secretariat approves.
    for person, move in ((csco_bangkok, "submit"), (nr_thailand, "endorse"), (secretariat, "approve")):
        client.force_login(person)
        plan.refresh_from_db()
        assert client.post(f"/action-plans/{plan.pk}/move/{move}/", {"version": plan.version}).status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    client.logout()
    assert summary in client.get(f"/projects/{project.pk}/").content.decode()  # the page shows what was written

    files = {f"/data/{d.slug}.{f}": d for d in DATASETS.values() for f in d.formats}
    files |= dict.fromkeys(["/data/iati/activities.xml", "/data/iati/activities-TH.xml", "/data/iati/organisation.xml"])
    for url in files:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _body(response)
        assert "@" not in text and EMAIL not in text, url
        for phone in PHONES:
            assert phone not in text, (url, phone)
    for url in ("/data/projects.csv", "/data/projects.xlsx", "/data/projects.geojson", "/data/iati/activities.xml"):
        text = _body(client.get(url))
        assert "Ask Somchai ([email removed], [phone removed]) or the desk at [phone removed] / [phone removed]" in text
        assert "1,200,000 users" in text, url  # figures stay
