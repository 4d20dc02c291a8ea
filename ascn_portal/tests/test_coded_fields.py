"""Every coded field of every model (a stage, a state, a kind, a role, a support type) is refused by the
database when it holds anything but one of its codes, whatever writes it: `update()`, a bulk insert, SQL.

The app registry is walked: each field with choices (or an array of such) of the portal's own models
must have its CHECK constraint `<app>_<model>_<field>_valid` listing exactly its codes, and a raw
`update()` writing a code that is not one must fail with that constraint named. Historical records
(django-simple-history) are left out: they copy rows their live table already checked.
"""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint
from simple_history.models import HistoricalChanges

from action_plans.choices import PlanState, ProgressStatus
from action_plans.models import PlanTransition, ProgressReport
from action_plans.tests.factories import draft_plan, project
from ascn_portal.coded import CodeCheck
from ascn_portal.notifications.models import Announcement, Preference
from ascn_portal.spreadsheets.models import ImportJob
from cities.models import City
from events.choices import RegistrationStatus
from events.models import Event, Registration
from monitoring.models import CityReport, CityReportTransition, MonitoringRound
from partners import services
from partners.models import Partner

pytestmark = pytest.mark.django_db

NOT_A_CODE = "not-a-code"


def _portal_models():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            for model in config.get_models():
                if not issubclass(model, HistoricalChanges):
                    yield model


def _coded_fields(model):
    for field in model._meta.concrete_fields:
        inner = field.base_field if isinstance(field, ArrayField) else field
        if inner.choices:
            yield field, inner


CODED = [(model, field, inner) for model in _portal_models() for field, inner in _coded_fields(model)]


def _codes(field, inner) -> set[str]:
    codes = {str(value) for value, _ in inner.flatchoices}
    return codes | ({""} if field.blank and not isinstance(field, ArrayField) else set())


def _constraint(model, field):
    name = f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_valid"
    return name, next((c for c in model._meta.constraints if c.name == name), None)


@pytest.fixture
def one_of_each(secretariat, csco_bangkok, partner_contact):
    """A row of every model with a coded field, written as the portal writes them where that is short."""
    plan = draft_plan(state=PlanState.APPROVED)
    published = project(plan, title="Flood early warning", support_sought=["financing"])
    services.partnership_express_interest(  # a partnership, its first move and the city's notifications
        project=published, partner=Partner.objects.get(slug="japan"), by=partner_contact, support_type="financing"
    )
    PlanTransition.objects.create(plan=plan, action="submit", from_state=PlanState.DRAFT,
                                  to_state=PlanState.SUBMITTED, by=csco_bangkok)  # fmt: skip
    ProgressReport.objects.create(project=published, year=2026, percent_complete=10, status=ProgressStatus.values[0],
                                  funding_secured_usd=0, filed_by=csco_bangkok)  # fmt: skip
    Preference.objects.create(user=secretariat, kind="partnership.interest")
    Announcement.objects.create(title="Welcome", body="Hello.", created_by=secretariat)
    ImportJob.objects.create(resource="cities.city", file_name="cities.csv", file_format="csv", data=b"",
                             created_by=secretariat)  # fmt: skip
    Registration.objects.create(
        event=Event.objects.first(), person=secretariat, registered_by=secretariat, status=RegistrationStatus.values[0]
    )
    monitoring_round = MonitoringRound.objects.create(year=2026, deadline=datetime.date(2027, 3, 31),
                                                      opened_by=secretariat)  # fmt: skip
    report = CityReport.objects.create(round=monitoring_round, city=City.objects.get(slug="bangkok"))
    CityReportTransition.objects.create(report=report, action="submit", from_state=report.state,
                                        to_state=report.state, by=csco_bangkok)  # fmt: skip


def test_the_walk_finds_the_coded_fields_of_every_app():
    found = {(model._meta.label, field.name) for model, field, _ in CODED}
    assert {("action_plans.PriorityProject", "stage"), ("partners.ProjectPartnership", "stage"),
            ("partners.Partner", "support_types"), ("cities.Appointment", "role"),
            ("notifications.Notification", "state"), ("monitoring.CityReport", "state")} <= found  # fmt: skip
    assert len({label.split(".")[0] for label, _ in found}) >= 7


@pytest.mark.parametrize(("model", "field", "inner"), CODED, ids=[f"{m._meta.label}.{f.name}" for m, f, _ in CODED])
def test_every_coded_field_has_a_check_listing_exactly_its_codes(model, field, inner):
    name, constraint = _constraint(model, field)
    assert isinstance(constraint, CodeCheck), f"{model._meta.label}.{field.name} has no constraint {name}"
    assert set(constraint.codes) == _codes(field, inner)


@pytest.mark.parametrize(("model", "field", "inner"), CODED, ids=[f"{m._meta.label}.{f.name}" for m, f, _ in CODED])
def test_the_database_refuses_a_code_that_is_not_one_written_by_a_raw_update(one_of_each, model, field, inner):
    row = model.objects.order_by("pk").first()
    assert row is not None, f"Add a row of {model._meta.label} to the one_of_each fixture"
    before = model.objects.filter(pk=row.pk).values_list(field.attname, flat=True).get()
    bad = [NOT_A_CODE] if isinstance(field, ArrayField) else NOT_A_CODE[: field.max_length or None]
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field.attname: bad})
    ours = _constraint(model, field)[0]
    # Another check on the same field may be met first (an appointment's office must match its role).
    also = {
        c.name for c in model._meta.constraints if isinstance(c, CheckConstraint) and field.name in str(c.condition)
    }
    assert refused.value.__cause__.diag.constraint_name in {ours, *also}
    with connection.cursor() as cursor:  # and the database holds ours, on this table
        cursor.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint WHERE conname = %s AND contype = 'c'", [ours]
        )
        assert cursor.fetchall() == [(model._meta.db_table,)]
    assert model.objects.filter(pk=row.pk).values_list(field.attname, flat=True).get() == before


def test_full_clean_names_a_code_that_is_not_one_without_asking_the_database(django_assert_num_queries):
    project_stage = project(draft_plan(), title="Sea wall")
    project_stage.stage = NOT_A_CODE
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        for constraint in project_stage._meta.constraints:
            if isinstance(constraint, CodeCheck):
                constraint.validate(type(project_stage), project_stage)
    assert "not one of the field's codes" in str(refused.value)
