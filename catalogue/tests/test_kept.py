"""What the project list keeps while the catalogue is unchanged (a filter's count, a partner's ranking,
a page's compiled statement) follows every committed change at once, and gives what the database
would."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import PriorityProject
from action_plans.selectors import project_list_values, projects_published
from action_plans.tests.factories import draft_plan, project
from ascn_portal.api import compiled
from cities.models import FocusArea


@pytest.fixture
def kept(settings, transactional_db):
    settings.API_CATALOGUE_FACTS_SECONDS = 600  # the page cache stays off: every page is read cold


def _write(fn):
    with transaction.atomic():  # committed, as a request's write is: the generation is renewed
        return fn()


def test_a_kept_count_follows_a_new_project_and_one_withdrawn(kept, csco_bangkok):
    plan = _write(lambda: draft_plan(state=PlanState.APPROVED))
    first = _write(lambda: project(plan, title="One", support_sought=["financing"]))
    api = APIClient()
    query = {"member_state": "TH", "support": "financing"}
    assert api.get("/api/v1/projects/", query).json()["count"] == 1
    _write(lambda: project(plan, title="Two", support_sought=["financing"]))
    body = api.get("/api/v1/projects/", query).json()
    assert body["count"] == 2 and len(body["results"]) == 2
    first.open_to_partners = False
    _write(first.save)
    body = api.get("/api/v1/projects/", query).json()
    assert body["count"] == 1 and [item["title"] for item in body["results"]] == ["Two"]
    page = APIClient().get("/projects/", query).content.decode()
    assert 'data-testid="result-count">1 project<' in page and "Two" in page and ">One<" not in page


def test_a_kept_ranking_follows_the_partners_interests(kept, partner_contact):
    plan = _write(lambda: draft_plan(state=PlanState.APPROVED))
    water = _write(lambda: project(plan, title="Water", support_sought=["technology"]))
    _write(lambda: water.focus_areas.set(FocusArea.objects.filter(slug="quality-environment")))
    _write(lambda: project(plan, title="Lighting", support_sought=["financing"]))
    partner = partner_contact.partner_contacts.first().partner
    _write(lambda: (setattr(partner, "support_types", ["financing"]), partner.save()))
    api = APIClient()
    api.force_authenticate(partner_contact)
    titles = [i["title"] for i in api.get("/api/v1/projects/", {"recommended": "true"}).json()["results"]]
    assert titles[0] == "Lighting"
    _write(lambda: partner.focus_areas.set(FocusArea.objects.filter(slug="quality-environment")))
    _write(lambda: (setattr(partner, "support_types", []), partner.save()))
    body = api.get("/api/v1/projects/", {"recommended": "true"}).json()
    assert [i["title"] for i in body["results"]] == ["Water"] and body["count"] == 1
    assert body["results"][0]["match"]["reasons"] == ["focus area: quality environment"]


def test_a_compiled_page_gives_what_the_query_gives(db, csco_bangkok):
    plan = draft_plan(state=PlanState.APPROVED)
    for n in range(5):
        p = project(plan, title=f"P{n}", starts_on="2027-01-01")
        p.focus_areas.set(FocusArea.objects.all()[: n % 3])
    values = project_list_values(projects_published().order_by("city_name", "position", "id"))
    key = ("test", "everyone")
    assert compiled.Compiled(values, key)[1:4] == list(values[1:4])
    assert compiled.Compiled(values, key)[1:4] == list(values[1:4])  # the kept statement, executed again
    assert compiled.Compiled(values.none(), ("test", "none"))[0:3] == []
    assert PriorityProject.objects.count() == 5
