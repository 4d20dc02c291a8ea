"""The base of every FilterSet here: django-filter's, with its per-request set-up done once per class.

For each request django-filter deep-copies every filter (querysets and choices included) and
builds a new form class, with a new form field per filter; on a list that answers in a few
milliseconds that set-up is the largest part of the work. Filters here hold no per-request
state, so each request gets a shallow copy of them, and each FilterSet class builds its form
class once. Validation and filtering are django-filter's own, unchanged.
"""

import copy

import django_filters
from django.http import QueryDict
from rest_framework import filters


class FilterSet(django_filters.FilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(base) for name, base in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:  # bind the copy's FilterMethod to the copy, not to the original
                filter_.method = filter_.method

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:  # the first request of this class (two at once build it twice, alike)
            form_class = cls._form_class = super().get_form_class()
        return form_class


class OrderingFilter(filters.OrderingFilter):
    """DRF's `?ordering=`, with the primary key last, so that equal values page in a stable order."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering = [*ordering, "-pk" if ordering[0].startswith("-") else "pk"]
        return ordering
