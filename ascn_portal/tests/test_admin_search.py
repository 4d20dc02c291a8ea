"""Every admin list that can grow past a page has a search box, and searching it answers."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Lists that stay shorter than a page (100 rows) for decades, and why: nothing else is exempt.
SHORT_LISTS = {
    "cities.chairmanship": "one chair a year",
    "monitoring.monitoringround": "one monitoring round a year",
}


def test_every_admin_list_that_can_grow_past_a_page_has_a_search_box_that_answers(client, secretariat):
    client.force_login(secretariat)
    registered = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}
    assert set(SHORT_LISTS) <= set(registered)
    lacking = sorted(label for label, model_admin in registered.items()
                     if label not in SHORT_LISTS and not model_admin.search_fields)  # fmt: skip
    assert lacking == []
    for label, model_admin in registered.items():
        if not model_admin.search_fields or not model_admin.has_view_permission(_request(secretariat)):
            continue
        url = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
        response = client.get(url, {"q": "bangkok"})
        assert response.status_code == 200, label
        assert 'id="searchbar"' in response.content.decode(), label


def test_the_progress_report_list_finds_a_report_by_its_project_and_city(client, secretariat, csco_bangkok):
    from action_plans.models import ProgressReport
    from action_plans.tests.factories import draft_plan, project

    flood = project(draft_plan("bangkok"), title="Flood early warning")
    bus = project(draft_plan("cebu-city", title="Smart Cebu"), title="Electric buses")
    for each in (flood, bus):  # written as the database holds them; the list only reads them
        ProgressReport.objects.create(project=each, year=2026, percent_complete=10, status="on_track",
                                      filed_by=csco_bangkok)  # fmt: skip
    client.force_login(secretariat)
    page = client.get("/admin/action_plans/progressreport/", {"q": "flood"}).content.decode()
    assert 'id="searchbar"' in page and "Flood early warning" in page and "Electric buses" not in page
    page = client.get("/admin/action_plans/progressreport/", {"q": "cebu"}).content.decode()
    assert "Electric buses" in page and "Flood early warning" not in page


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
