"""Every role against every page and API operation on a plan in every state.

Allowed operations succeed; the rest answer 403 (may see, may not act), 404 (may not see) or, for
someone not signed in, a redirect to sign in; and nothing changes.
"""

import pytest
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import ActionPlan, PriorityProject
from action_plans.tests.factories import draft_plan, project

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "partner_contact", "csco_cebu", "outsider", "team_bangkok", "csco_bangkok", "nr_thailand",
         "secretariat"]  # fmt: skip
FOLLOWERS = {"team_bangkok", "csco_bangkok", "nr_thailand", "secretariat"}
OFFICERS = {"team_bangkok", "csco_bangkok"}
MOVES = {
    ("submit", PlanState.DRAFT): {"csco_bangkok"},
    ("endorse", PlanState.SUBMITTED): {"nr_thailand"},
    ("return", PlanState.SUBMITTED): {"nr_thailand", "secretariat"},
    ("return", PlanState.ENDORSED): {"secretariat"},
    ("approve", PlanState.ENDORSED): {"secretariat"},
}


def sees(role, state):
    return state == PlanState.APPROVED or role in FOLLOWERS


def refused(role, state):
    """What a refusal looks like to this role for this plan."""
    if role == "anonymous":
        return 302
    return 403 if sees(role, state) else 404


def inline_project(item, version, **changes) -> dict:
    """What the plan editor posts when a project is saved in place (its fields carry the project's prefix)."""
    prefix = f"project-{item.pk}"
    fields = {"version": version, "title": item.title, "stage": item.stage, "funding_secured_usd": "0", **changes}
    management = {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 20}
    return {
        **{f"{prefix}-{k}": v for k, v in fields.items()},
        **{f"{prefix}-kpis-{k}": v for k, v in management.items()},
    }


@pytest.fixture
def people(request, csco_bangkok, team_bangkok, nr_thailand, secretariat, csco_cebu, partner_contact, outsider):
    return {role: (None if role == "anonymous" else request.getfixturevalue(role)) for role in ROLES}


@pytest.mark.parametrize("state", list(PlanState.values))
def test_pages_and_api_answer_each_role_as_the_rules_say(client, people, state):
    plan = draft_plan(state=state)
    project(plan)
    api = APIClient()
    for role in ROLES:
        client.logout()
        api.force_authenticate(people[role])
        if people[role]:
            client.force_login(people[role])
        visible = sees(role, state)

        assert client.get(f"/action-plans/{plan.pk}/").status_code == (200 if visible else 404), role
        assert api.get(f"/api/v1/action-plans/{plan.pk}/").status_code == (200 if visible else 404), role

        editable = state == PlanState.DRAFT and role in OFFICERS
        expected = 200 if editable else refused(role, state)
        assert client.get(f"/action-plans/{plan.pk}/edit/").status_code == expected, (role, "edit")
        before = ActionPlan.objects.values().get(pk=plan.pk)
        response = client.post(
            f"/action-plans/{plan.pk}/edit/",
            {
                "version": plan.version,
                "title": f"Changed by {role}",
                "period_start": 2026,
                "period_end": 2030,
            },
        )
        if editable:
            assert response.status_code == 302
            ActionPlan.objects.filter(pk=plan.pk).update(**{k: v for k, v in before.items() if k != "id"})
        else:
            assert response.status_code == expected, (role, "edit POST")
            assert ActionPlan.objects.values().get(pk=plan.pk) == before

        item = plan.projects.get()
        for url in (f"/action-plans/{plan.pk}/projects/{item.pk}/", f"/action-plans/{plan.pk}/projects/{item.pk}/row/"):
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == expected, (role, url)
        before = PriorityProject.objects.values().get(pk=item.pk)
        response = client.post(
            f"/action-plans/{plan.pk}/projects/{item.pk}/", inline_project(item, plan.version, title=role),
            HTTP_HX_REQUEST="true",
        )  # fmt: skip
        if editable:
            assert response.status_code == 200 and PriorityProject.objects.get(pk=item.pk).title == role, role
            PriorityProject.objects.filter(pk=item.pk).update(**{k: v for k, v in before.items() if k != "id"})
            ActionPlan.objects.filter(pk=plan.pk).update(version=plan.version)
        else:
            assert response.status_code == expected, (role, "project POST in place")
            assert PriorityProject.objects.values().get(pk=item.pk) == before
        response = client.post(f"/action-plans/{plan.pk}/projects/{item.pk}/delete/", {"version": plan.version},
                               HTTP_HX_REQUEST="true")  # fmt: skip
        if editable:
            assert response.status_code == 200 and not plan.projects.exists(), role
            project(plan)
        else:
            assert response.status_code == expected, (role, "project delete in place")
            assert PriorityProject.objects.values().get(pk=item.pk) == before
        ActionPlan.objects.filter(pk=plan.pk).update(version=plan.version)

        before = ActionPlan.objects.values().get(pk=plan.pk)
        response = api.patch(f"/api/v1/action-plans/{plan.pk}/", {"version": plan.version, "vision": role},
                             format="json")  # fmt: skip
        if editable:
            assert response.status_code == 200, (role, "API PATCH")
            ActionPlan.objects.filter(pk=plan.pk).update(**{k: v for k, v in before.items() if k != "id"})
        else:
            api_refusal = 404 if not visible else (401 if role == "anonymous" else 403)
            assert response.status_code == api_refusal, (role, "API PATCH", response.status_code)
            assert ActionPlan.objects.values().get(pk=plan.pk) == before

        for action in ["submit", "endorse", "return", "approve"]:
            allowed = role in MOVES.get((action, state), set())
            response = client.post(
                f"/action-plans/{plan.pk}/move/{action}/", {"version": plan.version, "comment": "Needs work."}
            )
            after = ActionPlan.objects.get(pk=plan.pk)
            if allowed:
                assert response.status_code == 302 and after.state != state, (role, action)
                ActionPlan.objects.filter(pk=plan.pk).update(state=state, version=plan.version)
                after.transitions.all().delete()
            else:
                if (action, state) in MOVES or not visible or role == "anonymous":
                    refusal = refused(role, state)  # may not make this move: 403, 404, or sign in
                else:
                    refusal = 302  # the move does not apply to this state: back to the plan with a message
                assert response.status_code == refusal, (role, action, response.status_code)
                assert (after.state, after.version) == (state, plan.version), (role, action)
                assert not after.transitions.exists()
