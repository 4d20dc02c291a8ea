from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from action_plans import services
from action_plans.choices import PlanState
from action_plans.models import ActionPlan, PriorityProject, ProgressReport
from action_plans.tests.factories import draft_plan, project
from ascn_portal.errors import Conflict
from cities.models import City, FocusArea

pytestmark = pytest.mark.django_db


def test_officers_start_a_plan_for_their_own_city_only(csco_bangkok, team_bangkok, csco_cebu, nr_thailand):
    bangkok = City.objects.get(slug="bangkok")
    plan = services.action_plan_create(city=bangkok, by=team_bangkok, title="SCAP", period_start=2026, period_end=2030)
    assert plan.state == PlanState.DRAFT and plan.created_by == team_bangkok
    for outsider in (csco_cebu, nr_thailand):
        with pytest.raises(PermissionDenied):
            services.action_plan_create(city=bangkok, by=outsider, title="X", period_start=2031, period_end=2035)
    assert ActionPlan.objects.count() == 1


def test_one_plan_per_city_and_period(csco_bangkok):
    bangkok = City.objects.get(slug="bangkok")
    services.action_plan_create(city=bangkok, by=csco_bangkok, title="A", period_start=2026, period_end=2030)
    with pytest.raises(ValidationError, match="already has an action plan for that period"):
        services.action_plan_create(city=bangkok, by=csco_bangkok, title="B", period_start=2026, period_end=2028)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.create(city=bangkok, title="C", period_start=2026, period_end=2029)


def test_a_stale_save_is_refused_and_nothing_is_overwritten(csco_bangkok, team_bangkok):
    plan = draft_plan()
    first, second = ActionPlan.objects.get(pk=plan.pk), ActionPlan.objects.get(pk=plan.pk)
    services.action_plan_update(plan=first, by=csco_bangkok, version=first.version, vision="Liveable Bangkok")
    with pytest.raises(services.StaleVersion) as stale:
        services.action_plan_update(plan=second, by=team_bangkok, version=second.version, vision="Green Bangkok")
    assert stale.value.current.vision == "Liveable Bangkok"  # what changed, to show the user
    plan.refresh_from_db()
    assert (plan.vision, plan.version) == ("Liveable Bangkok", 2)


def test_a_project_change_from_a_stale_page_is_refused_too(csco_bangkok):
    plan = draft_plan()
    services.action_plan_update(plan=plan, by=csco_bangkok, version=1, title="Renamed")
    with pytest.raises(services.StaleVersion):
        services.project_save(plan=plan, by=csco_bangkok, version=1, title="Late project")
    assert not PriorityProject.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "This field cannot be blank"),
        ({"estimated_cost_usd": Decimal("-1")}, "greater than or equal to 0"),
        ({"estimated_cost_usd": Decimal("100"), "funding_secured_usd": Decimal("150")}, "cannot exceed the estimated"),
        ({"starts_on": "2027-01-01", "ends_on": "2026-01-01"}, "cannot end before it starts"),
        ({"support_sought": ["a gift"]}, "is not a valid choice"),
        ({"stage": "dreaming"}, "is not a valid choice"),
    ],
)
def test_bad_project_input_is_refused_with_a_clear_message_and_nothing_written(csco_bangkok, fields, message):
    plan = draft_plan()
    data = {"title": "Smart lighting", **fields}
    with pytest.raises(ValidationError, match=message):
        services.project_save(plan=plan, by=csco_bangkok, version=plan.version, **data)
    plan.refresh_from_db()
    assert not PriorityProject.objects.exists() and plan.version == 1


def test_the_funding_gap_is_derived():
    plan = draft_plan()
    item = project(plan, estimated_cost_usd=Decimal("1000000.00"), funding_secured_usd=Decimal("250000.50"))
    assert item.funding_gap_usd == Decimal("749999.50")
    assert project(plan, title="No cost yet", estimated_cost_usd=None).funding_gap_usd is None


def test_nobody_edits_a_plan_outside_draft(csco_bangkok, secretariat):
    plan = draft_plan(state=PlanState.SUBMITTED)
    item = project(plan)
    for user in (csco_bangkok, secretariat):
        with pytest.raises(PermissionDenied):
            services.action_plan_update(plan=plan, by=user, version=plan.version, vision="changed")
        with pytest.raises(PermissionDenied):
            services.project_save(plan=plan, by=user, version=plan.version, project=item, title="changed")
        with pytest.raises(PermissionDenied):
            services.project_delete(project=item, by=user, version=plan.version)
    plan.refresh_from_db()
    assert plan.vision == "" and PriorityProject.objects.get().title == "Flood early warning"


def test_a_new_plan_can_start_as_a_copy_of_the_last(csco_bangkok):
    old = draft_plan(state=PlanState.APPROVED, vision="Liveable", period_start=2021, period_end=2025)
    old.focus_areas.set(FocusArea.objects.filter(slug="quality-environment"))
    item = project(old)
    item.kpis.create(name="Flood warnings issued", unit="minutes", baseline=60, target=15)
    new = services.action_plan_create(
        city=old.city, by=csco_bangkok, title="SCAP 2026-2030", period_start=2026, period_end=2030, copy_from=old
    )
    assert (new.vision, new.state) == ("Liveable", PlanState.DRAFT)
    assert [f.slug for f in new.focus_areas.all()] == ["quality-environment"]
    (copied,) = new.projects.all()
    assert copied.title == item.title and copied.pk != item.pk
    assert copied.kpis.get().target == 15
    assert old.projects.count() == 1


def test_the_csco_files_one_progress_report_a_year_for_approved_projects(csco_bangkok, team_bangkok):
    plan = draft_plan(state=PlanState.APPROVED)
    item = project(plan)
    kpi = item.kpis.create(name="Coverage", unit="%", baseline=10, target=90)
    report = services.progress_report_save(
        project=item, by=csco_bangkok, year=2026, percent_complete=40, status="on_track", kpi_values={kpi.pk: 35},
        version=0,
    )  # fmt: skip
    assert report.kpi_values == {str(kpi.pk): "35"}
    with pytest.raises(Conflict, match="saved by someone else"):  # a second "new" report of the year
        services.progress_report_save(project=item, by=csco_bangkok, year=2026, percent_complete=50,
                                      status="on_track", version=0)  # fmt: skip
    with pytest.raises(ValidationError, match="at most 100"):
        services.progress_report_save(project=item, by=csco_bangkok, year=2026, percent_complete=140,
                                      status="on_track", version=1)  # fmt: skip
    with pytest.raises(ValidationError, match="only for this project's KPIs"):
        services.progress_report_save(project=item, by=csco_bangkok, year=2026, percent_complete=50,
                                      status="on_track", kpi_values={"999": 1}, version=1)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.progress_report_save(project=item, by=team_bangkok, year=2026, percent_complete=50,
                                      status="on_track", version=1)  # fmt: skip
    assert ProgressReport.objects.count() == 1


def test_no_progress_report_for_a_plan_not_yet_approved(csco_bangkok):
    item = project(draft_plan(state=PlanState.ENDORSED))
    with pytest.raises(PermissionDenied):
        services.progress_report_save(project=item, by=csco_bangkok, year=2026, percent_complete=10,
                                      status="on_track", version=0)  # fmt: skip


def test_comments_come_from_the_plans_followers(csco_bangkok, nr_thailand, csco_cebu, partner_contact):
    plan = draft_plan(state=PlanState.SUBMITTED)
    services.action_plan_comment(plan=plan, by=nr_thailand, body="Good start.")
    with pytest.raises(ValidationError):
        services.action_plan_comment(plan=plan, by=csco_bangkok, body="   ")
    for outsider in (csco_cebu, partner_contact):
        with pytest.raises(PermissionDenied):
            services.action_plan_comment(plan=plan, by=outsider, body="Hello")
    assert [c.body for c in plan.comments.all()] == ["Good start."]
