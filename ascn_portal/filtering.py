"""The base of every FilterSet here: django-filter's, with its per-request set-up done once per class.

For each request django-filter deep-copies every filter (querysets and choices included) and
builds a new form class, with a new form field per filter; on a list that answers in a few
milliseconds that set-up is the largest part of the work. Filters here hold no per-request
state, so each request gets a shallow copy of them, and each FilterSet class builds its form
class once. Validation and filtering are django-filter's own, unchanged.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import filters
from rest_framework.exceptions import ValidationError


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

    only: frozenset | None = None  # the API's backend names the filters a request uses (see FilterBackend)

    def get_form_class(self):
        cls = type(self)
        if self.only is not None:  # a form of those filters alone, one class per set of them
            partial = cls.__dict__.get("_partial_forms")
            if partial is None:
                partial = cls._partial_forms = {}
            form_class = partial.get(self.only)
            if form_class is None:
                fields = {name: self.filters[name].field for name in self.filters if name in self.only}
                form_class = partial[self.only] = type(f"{cls.__name__}Form", (self._meta.form,), fields)
            return form_class
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:  # the first request of this class (two at once build it twice, alike)
            form_class = cls._form_class = super().get_form_class()
        return form_class


class OrderingFilter(filters.OrderingFilter):
    """DRF's `?ordering=`, with the primary key last, so that equal values page in a stable order.

    A field the list cannot be ordered by is a 400 naming it (DRF would ignore it in silence); the
    schema documents exactly what is accepted: names from the list's `ordering_fields`, each with an
    optional leading `-`, comma-separated; empty means the default order.
    """

    def _allowed(self, view) -> list[str]:
        return list(getattr(view, "ordering_fields", None) or [])

    def _pattern(self, view) -> str:
        names = "|".join(re.escape(name) for name in self._allowed(view))
        return f"^(-?({names})(,-?({names}))*)?$"

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get(self.ordering_param)
        if requested and not re.fullmatch(self._pattern(view), requested):
            allowed = self._allowed(view)
            unknown = [term for term in requested.split(",") if term.removeprefix("-") not in allowed] or [requested]
            raise ValidationError({self.ordering_param: [
                f"Cannot order by {', '.join(repr(u) for u in unknown)}; choose from {', '.join(allowed)} "
                "(a leading - reverses; several, comma-separated)."
            ]})  # fmt: skip
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering = [*ordering, "-pk" if ordering[0].startswith("-") else "pk"]
        return ordering

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        allowed = self._allowed(view)
        for parameter in parameters:
            if parameter["name"] == self.ordering_param and allowed:
                parameter["schema"] = {"type": "string", "pattern": self._pattern(view)}
                parameter["description"] = (
                    f"Order by {', '.join(allowed)}; a leading - reverses; several, comma-separated."
                )
        return parameters


class WholeNumberField(forms.IntegerField):
    """Digits only, as the schema says (Django's own takes `2018.0` for 2018)."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[+-]?[0-9]+", str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (a year, an id): `1.5`, `2018.0` and `abc` are refused with the field's message."""

    field_class = WholeNumberField


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend for the API, which leaves a list as it is when the request names none of
    its filters: the filter form is built and checked only when there is something to check (the
    result is the same; a list read whole by a partner's program skips that work)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        named = set(request.query_params) & set(filterset_class.base_filters) if filterset_class else set()
        if not named:
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if isinstance(filterset, FilterSet):
            filterset.only = frozenset(named)  # the others are empty: their fields would check nothing
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        return filterset.qs


class CountedRows:
    """A list's rows for a paginator, with their count known beforehand (kept, say): the paginator
    asks `len()` and slices; `fetch(start, stop)` reads the rows of one page."""

    def __init__(self, count: int, fetch):
        self.count_known, self.fetch = count, fetch

    def __len__(self):
        return self.count_known

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("A page is read by a slice.")
        start, stop, _ = index.indices(self.count_known)
        return self.fetch(start, stop) if stop > start else []


@dataclass
class FilteredPage:
    """One page of a list filtered by a FilterSet, as a page shows it."""

    filterset: FilterSet
    page: Page
    query: str  # the filters without the page number, for the pagination links
    status: int  # 400 when a filter's value was refused (the form shows why), else 200

    def context(self, **extra) -> dict:
        return {"filterset": self.filterset, "page": self.page, "query": self.query, **extra}


def filtered_page(
    request, filterset_class, queryset, *, ordering, per_page: int, count=None, rows=None
) -> FilteredPage:
    """Filter `queryset` with the request's query string and take the requested page.

    Bad filter values give an empty page and a 400, so the page shows the form's messages.
    `count(filterset, results)`, if given, says how many rows there are (a kept count, say), or None
    to count them; `rows(filterset, results)`, if given, says how a page's rows are read (plain values).
    """
    filterset = filterset_class(request.GET, queryset=queryset)
    valid = filterset.is_valid()
    results = (filterset.qs if valid else queryset.none()).order_by(*ordering)
    known = count(filterset, results) if count and valid else None
    if rows is not None:
        results = rows(filterset, results)
    if known is not None:
        results = CountedRows(known, lambda start, stop, found=results: list(found[start:stop]))
    page = Paginator(results, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return FilteredPage(filterset, page, query.urlencode(), 200 if valid else 400)
