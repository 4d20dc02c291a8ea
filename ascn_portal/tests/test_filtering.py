"""The FilterSet base: set up once per class, and still one FilterSet per request."""

import pytest
from django.http import QueryDict

from action_plans.filtersets import PriorityProjectFilterSet
from action_plans.models import PriorityProject

pytestmark = pytest.mark.django_db


def test_filtersets_of_one_class_share_their_form_class_and_nothing_else():
    first = PriorityProjectFilterSet(QueryDict("support=financing&q=flood"), PriorityProject.objects.all())
    second = PriorityProjectFilterSet(QueryDict("support=technology"), PriorityProject.objects.all())
    assert type(first.form) is type(second.form)
    assert first.filters["support"] is not second.filters["support"]
    assert first.filters["support"].parent is first and second.filters["support"].parent is second
    assert first.is_valid() and second.is_valid()
    assert "ARRAY[financing]" in str(first.qs.query) and "ARRAY[technology]" in str(second.qs.query)
    assert "financing" not in str(second.qs.query) and "flood" not in str(second.qs.query)


def test_a_bad_value_is_still_refused_with_its_message():
    filterset = PriorityProjectFilterSet(QueryDict("stage=nowhere&min_cost=-5"), PriorityProject.objects.all())
    assert not filterset.is_valid()
    assert "stage" in filterset.errors and "min_cost" in filterset.errors
    again = PriorityProjectFilterSet(QueryDict("stage=pipeline"), PriorityProject.objects.all())
    assert again.is_valid() and not again.errors
