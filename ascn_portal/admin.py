"""Shared admin pieces: the policy decides every permission, and audited models keep history."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin


class PolicyAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose permissions come from ascn_portal.policy."""


class AuditedAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """A ModelAdmin for models with change history."""


class TermStatusFilter(admin.SimpleListFilter):
    """Serving today, or past."""

    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("active", _("Serving")), ("past", _("Ended")), ("future", _("Not started"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.active(today)
        if self.value() == "past":
            return queryset.filter(ends_on__lt=today)
        if self.value() == "future":
            return queryset.filter(starts_on__gt=today)
        return queryset


class InputFilter(admin.SimpleListFilter):
    """A filter typed in, for fields with too many values to list (e.g. one person among thousands)."""

    template = "admin/input_filter.html"
    input_type = "search"
    placeholder = "email"

    def lookups(self, request, model_admin):
        return [("", "")]  # a filter shows only with lookups; the input replaces them

    def choices(self, changelist):
        # The other filters of the page, kept when this one is applied.
        self.preserved = {k: v for k, v in changelist.get_filters_params().items() if k != self.parameter_name}
        yield {}


class AsOfFilter(InputFilter):
    """Terms serving on a day typed in: who held which office on 1 June 2019."""

    title = _("serving on (YYYY-MM-DD)")
    parameter_name = "as_of"
    input_type = "date"
    placeholder = "YYYY-MM-DD"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return queryset.none()
        return queryset.active(day)
