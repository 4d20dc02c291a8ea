"""A row that shows a field of a related record comes again in `updated_since` when that field changes.

The API's router is walked for every list that answers `updated_since` (`SyncedListMixin`), and the
serializer of each list for every field it copies from a related record: a dotted `source`
(`project.title`), a slug of a related record (`partner`, `focus_areas`), a nested list of related
rows (`consortium`, `transitions` and their `by.full_name`), or a method field reading a relation
(`figures`, from the registrations). Each one is changed on the related record as a person would
(a save), and the row must be in the next `updated_since` walk, showing the new value.
"""

import datetime
import json

import pytest
from django.db import models
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.models import ActionPlan
from action_plans.tests.factories import draft_plan, project
from ascn_portal.api.sync import SyncedListMixin
from ascn_portal.api_urls import router
from cities.models import City, FocusArea, MemberState
from events.models import Event, Registration
from partners import services
from partners.models import Partner, Twinning

pytestmark = pytest.mark.django_db

OLD = timezone.now() - datetime.timedelta(days=30)


def _synced_lists():
    for prefix, viewset, _ in router.registry:
        if issubclass(viewset, SyncedListMixin):
            view = viewset(action="list", request=None, format_kwarg=None, kwargs={})
            yield prefix, view.get_serializer_class()


def _carried(serializer, path=()):
    """(field name, relation path, attribute) of each value the serializer copies from a related record."""
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.HyperlinkedIdentityField | serializers.PrimaryKeyRelatedField):
            continue  # the row's own address, or a related record's id: never stale
        if isinstance(field, serializers.ManyRelatedField):
            child = field.child_relation
            if isinstance(child, serializers.SlugRelatedField):
                yield name, (*path, field.source), child.slug_field
        elif isinstance(field, serializers.SlugRelatedField):
            yield name, (*path, field.source), field.slug_field
        elif isinstance(field, serializers.ListSerializer | serializers.BaseSerializer):
            nested = field.child if isinstance(field, serializers.ListSerializer) else field
            if not isinstance(nested, serializers.ModelSerializer):
                continue  # computed from the row itself, if not a method field (walked below)
            yield from _carried(nested, (*path, field.source))
        elif isinstance(field, serializers.SerializerMethodField):
            yield name, "method", field.method_name
        elif "." in field.source:
            *relation, attribute = field.source.split(".")
            yield name, (*path, *relation), attribute
        elif path:
            yield name, path, field.source


# What each method field of a synced list reads, and how a person changes it (None: only its own row).
METHOD_FIELDS = {
    ("EventSerializer", "figures"): lambda event, people: Registration.objects.create(
        event=event, person=people["partner_contact"], registered_by=people["partner_contact"], status="confirmed"
    ),
    ("EventSerializer", "registration_open"): None,  # the event's own dates and the clock
    ("PriorityProjectListSerializer", "match"): None,  # the reader's interests: recommendations are not synced
}

CASES = [
    (prefix, serializer, name, relation, attribute)
    for prefix, serializer in _synced_lists()
    for name, relation, attribute in _carried(serializer())
]


def _new_value(record, attribute):
    field = record._meta.get_field(attribute)
    value = getattr(record, attribute)
    if field.choices:
        return next(code for code, _ in field.flatchoices if code != value)
    if isinstance(field, models.DateTimeField):
        return value + datetime.timedelta(hours=1)
    if isinstance(field, models.BooleanField):
        return not value
    if field.max_length and field.max_length <= 3:
        return "ZZ"[: field.max_length]
    return f"{value}-renamed"[: field.max_length]


def _follow(record, relation):
    for step in relation:
        record = getattr(record, step)
        if isinstance(record, models.Manager):
            record = record.order_by("pk").first()
    return record


@pytest.fixture
def rows(secretariat, partner_contact, csco_bangkok):
    """One row of each synced list, with every related record it shows."""
    water = FocusArea.objects.order_by("pk").first()
    published = project(draft_plan(state=PlanState.APPROVED), title="Flood early warning", support_sought=["financing"])
    published.focus_areas.add(water)
    partnership = services.partnership_express_interest(
        project=published, partner=Partner.objects.get(slug="japan"), by=partner_contact, support_type="financing",
        consortium=[{"company": "Hitachi", "country": "JP", "is_lead": True}],
    )  # fmt: skip
    twinning = Twinning.objects.order_by("pk").first()
    twinning.focus_areas.add(water)
    event = Event.objects.order_by("pk").first()
    Event.objects.filter(pk=event.pk).update(
        venue_city=City.objects.get(slug="bangkok"), member_state=MemberState.objects.get(code="TH")
    )
    return {
        "projects": published,
        "partnerships": partnership,
        "twinnings": twinning,
        "events": Event.objects.get(pk=event.pk),
        "people": {"partner_contact": partner_contact, "secretariat": secretariat},
    }


def _walk(client, prefix: str, since: datetime.datetime) -> dict[int, dict]:
    found, url = {}, f"/api/v1/{prefix}/?updated_since={since.isoformat().replace('+', '%2B')}&page_size=500"
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.content
        found.update({item["id"]: item for item in page.json()["results"] if not item.get("removed")})
        url = page.json()["next"]
    return found


def test_the_walk_finds_what_each_synced_list_copies_from_related_records():
    found = {(prefix, name, relation if relation == "method" else ".".join(relation), attribute)
             for prefix, _, name, relation, attribute in CASES}  # fmt: skip
    assert ("partnerships", "project_title", "project", "title") in found
    assert ("partnerships", "by", "transitions.by", "full_name") in found
    assert ("twinnings", "focus_areas", "focus_areas", "slug") in found
    assert ("projects", "city", "plan.city", "slug") in found
    assert ("events", "figures", "method", "get_figures") in found
    assert {prefix for prefix, *_ in CASES} == {"projects", "partnerships", "twinnings", "events"}


@pytest.mark.parametrize(
    ("prefix", "serializer", "name", "relation", "attribute"),
    CASES,
    ids=[f"{c[0]}.{c[2]}:{c[4]}" for c in CASES],
)
def test_a_row_comes_again_in_updated_since_when_a_field_it_copies_changes(
    rows, prefix, serializer, name, relation, attribute
):
    row = rows[prefix]
    model = serializer.Meta.model
    client = APIClient()
    client.force_authenticate(rows["people"]["secretariat"])
    model.objects.filter(pk=row.pk).update(updated_at=OLD)
    ActionPlan.objects.update(updated_at=OLD)  # a project also changes with its plan
    since = timezone.now()
    assert row.pk not in _walk(client, prefix, since), "nothing changed yet"

    if relation == "method":
        change = METHOD_FIELDS.get((serializer.__name__, name), ...)
        assert change is not ..., f"Say in METHOD_FIELDS what {serializer.__name__}.{name} reads"
        if change is None:
            return  # reads only the row itself
        change(row, rows["people"])
        assert row.pk in _walk(client, prefix, since)
        return
    related = _follow(model.objects.get(pk=row.pk), relation)
    assert related is not None, f"the fixture's {prefix} row has no {'.'.join(relation)}"
    if related._meta.get_field(attribute).primary_key:
        return  # the related record's id (a member state's code): it never changes
    value = _new_value(related, attribute)
    setattr(related, attribute, value)
    related.save(update_fields=[attribute])

    changed = _walk(client, prefix, since)
    assert row.pk in changed, f"{prefix} {row.pk} shows {'.'.join(relation)}.{attribute}, changed, but is not given"
    if isinstance(value, str):
        assert value in json.dumps(changed[row.pk], ensure_ascii=False), "given again, with the new value"
