"""The catalogue's facts on each project are kept by the database, whatever writes the rows, and the
list's published set is the one the visibility rule admits project by project."""

import pytest

from action_plans.choices import PlanState
from action_plans.models import ActionPlan, PriorityProject
from action_plans.selectors import PUBLISHED, projects_published
from action_plans.tests.factories import draft_plan, project
from cities.models import City, MemberState

pytestmark = pytest.mark.django_db


def _facts(p) -> tuple:
    return (
        PriorityProject.objects.filter(pk=p.pk)
        .values_list("published", "city_name", "catalogue_city__slug", "catalogue_member_state__code")
        .get()
    )


def test_facts_follow_every_way_of_writing(csco_bangkok):
    plan = draft_plan()
    shown = project(plan, title="Open")
    assert _facts(shown) == (False, "Bangkok", "bangkok", "TH")  # a draft's project is not published
    ActionPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)  # no signal, no save()
    assert _facts(shown)[0] is True
    PriorityProject.objects.filter(pk=shown.pk).update(open_to_partners=False)
    assert _facts(shown)[0] is False
    shown.open_to_partners = True
    shown.save()
    assert _facts(shown)[0] is True
    bulk = PriorityProject.objects.bulk_create([PriorityProject(plan=plan, title="Bulk")])[0]
    assert _facts(bulk) == (True, "Bangkok", "bangkok", "TH")
    City.objects.filter(slug="bangkok").update(name="Krung Thep")
    assert _facts(shown)[1] == _facts(bulk)[1] == "Krung Thep"
    City.objects.filter(slug="bangkok").update(member_state=MemberState.objects.get(code="LA"))
    assert _facts(shown)[3] == "LA"
    other = City.objects.get(slug="chiang-mai")
    ActionPlan.objects.filter(pk=plan.pk).update(city=other)
    assert _facts(bulk)[:3] == (True, "Chiang Mai", "chiang-mai")


@pytest.mark.parametrize("state", [s for s, _ in PlanState.choices])
@pytest.mark.parametrize("is_open", [True, False])
def test_the_published_column_is_the_rule(state, is_open, csco_bangkok):
    plan = draft_plan(state=state)
    p = project(plan, open_to_partners=is_open)
    loaded = PriorityProject.objects.select_related("plan").get(pk=p.pk)
    assert (
        PUBLISHED.admits(loaded)
        is projects_published().filter(pk=p.pk).exists()
        is (state == PlanState.APPROVED and is_open)
    )
