import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from action_plans import services
from action_plans.choices import PlanState
from action_plans.models import ActionPlan, PlanTransition
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.offices import forget_offices as forget_roles
from ascn_portal.errors import Conflict
from ascn_portal.notifications.models import Notification
from cities.models import Appointment

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "partner_contact", "csco_cebu", "team_bangkok", "csco_bangkok", "nr_thailand",
         "secretariat"]  # fmt: skip

# Who may make each move from each state, for a plan of Bangkok (Thailand has a serving NR).
ALLOWED = {
    ("submit", PlanState.DRAFT): {"csco_bangkok"},
    ("endorse", PlanState.SUBMITTED): {"nr_thailand"},
    ("return", PlanState.SUBMITTED): {"nr_thailand", "secretariat"},
    ("return", PlanState.ENDORSED): {"secretariat"},
    ("approve", PlanState.ENDORSED): {"secretariat"},
}


def _person(request, role):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    user = request.getfixturevalue(role)
    forget_roles(user)
    return user


@pytest.mark.parametrize("state", list(PlanState.values))
@pytest.mark.parametrize("action", ["submit", "endorse", "return", "approve"])
def test_each_move_is_allowed_to_the_right_role_in_the_right_state_only(
    request, state, action, nr_thailand, csco_bangkok
):
    plan = draft_plan(state=state)
    project(plan)
    for role in ROLES:
        user = _person(request, role)
        allowed = role in ALLOWED.get((action, state), set())
        before = (plan.state, plan.version, PlanTransition.objects.count())
        try:
            services.action_plan_transition(plan=plan, action=action, by=user, comment="Please revise the costs.")
        except (PermissionDenied, ValidationError, Conflict):
            assert not allowed, f"{role} was refused {action} from {state}"
            plan.refresh_from_db()
            assert (plan.state, plan.version, PlanTransition.objects.count()) == before  # nothing changed
            continue
        assert allowed, f"{role} could {action} from {state}"
        ActionPlan.objects.filter(pk=plan.pk).update(state=state)  # back, for the next role
        plan.refresh_from_db()


def test_the_whole_path_is_recorded_and_each_next_actor_is_notified(
    secretariat, nr_thailand, csco_bangkok, team_bangkok
):
    plan = draft_plan()
    project(plan)
    steps = [
        ("submit", csco_bangkok, "", {nr_thailand}),
        ("return", nr_thailand, "Add the costs of phase 2.", {csco_bangkok, team_bangkok}),
        ("submit", csco_bangkok, "", {nr_thailand}),
        ("endorse", nr_thailand, "", {secretariat}),
        ("approve", secretariat, "", {csco_bangkok, team_bangkok, nr_thailand}),
    ]
    for action, by, comment, next_actors in steps:
        Notification.objects.all().delete()
        services.action_plan_transition(plan=plan, action=action, by=by, comment=comment)
        notified = {n.recipient for n in Notification.objects.select_related("recipient")}
        assert next_actors <= notified, action
        assert by not in notified
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert [(t.action, t.by) for t in plan.transitions.all()] == [(a, b) for a, b, _, _ in steps]
    assert plan.transitions.get(action="return").comment == "Add the costs of phase 2."


def test_returning_needs_a_comment(nr_thailand, csco_bangkok):
    plan = draft_plan(state=PlanState.SUBMITTED)
    with pytest.raises(ValidationError, match="Say what the city should change"):
        services.action_plan_transition(plan=plan, action="return", by=nr_thailand, comment="  ")
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED and not plan.transitions.exists()


def test_a_plan_without_projects_cannot_be_submitted(csco_bangkok):
    plan = draft_plan()
    with pytest.raises(ValidationError, match="at least one priority project"):
        services.action_plan_transition(plan=plan, action="submit", by=csco_bangkok)


def test_the_secretariat_endorses_for_a_member_state_without_a_serving_nr(secretariat, csco_cebu):
    plan = draft_plan("cebu-city", title="Cebu SCAP", state=PlanState.SUBMITTED)  # the Philippines: no NR
    transition = services.action_plan_transition(plan=plan, action="endorse", by=secretariat)
    assert transition.on_behalf_of_member_state is True


def test_the_secretariat_may_not_endorse_where_the_nr_serves(secretariat, nr_thailand):
    plan = draft_plan(state=PlanState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.action_plan_transition(plan=plan, action="endorse", by=secretariat)


def test_a_former_nr_may_not_endorse(nr_thailand, csco_bangkok):
    import datetime

    Appointment.objects.filter(user=nr_thailand).update(
        starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 1, 1)
    )
    forget_roles(nr_thailand)
    plan = draft_plan(state=PlanState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.action_plan_transition(plan=plan, action="endorse", by=nr_thailand)
