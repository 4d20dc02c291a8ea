"""Shared admin pieces: the policy decides every permission, and audited models keep history."""

import datetime
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .exports import Column, csv_response, xlsx_response


def export_value(value, field=None):
    """A list cell as a spreadsheet cell: numbers and days stay so, the rest becomes plain text."""
    if field is not None and getattr(field, "flatchoices", None) and not isinstance(value, bool):
        value = dict(field.flatchoices).get(value, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return strip_tags(str(value))  # a list's display methods may answer with HTML


class ExportableList:
    """Every admin list exports its rows as filtered, searched and ordered (Export CSV / Export XLSX),
    through the portal's one export writer: the columns the list shows."""

    change_list_template = "admin/exportable_change_list.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return [path("export/<str:file_format>/", self.admin_site.admin_view(self.export_view), name=name),
                *super().get_urls()]  # fmt: skip

    def export_columns(self, request) -> list[Column]:
        names = [n for n in self.get_list_display(request) if n != "action_checkbox"]
        return [Column(str(label_for_field(n, self.model, self)), 24) for n in names]

    def export_rows(self, request, queryset):
        names = [n for n in self.get_list_display(request) if n != "action_checkbox"]
        for obj in queryset.iterator(chunk_size=1000):
            row = []
            for name in names:
                field, _attr, value = lookup_field(name, obj, self)
                row.append(export_value(value, field))
            yield row

    def export_view(self, request, file_format):
        if file_format not in ("csv", "xlsx"):
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        queryset = changelist.get_queryset(request)
        name = f"{self.opts.verbose_name_plural}-{timezone.localdate():%Y-%m-%d}".replace(" ", "-")
        columns, rows = self.export_columns(request), self.export_rows(request, queryset)
        if file_format == "csv":
            return csv_response(f"{name}.csv", columns, rows)
        return xlsx_response(f"{name}.xlsx", [(str(self.opts.verbose_name_plural).capitalize(), columns, rows)])


class PolicyAdmin(ExportableList, ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose permissions come from ascn_portal.policy."""


def _key_or_404(field, raw: str) -> None:
    """An address's record key that its field cannot hold (`abc` for a number id) names no record: a 404."""
    try:
        field.to_python(unquote(raw))
    except ValidationError:
        raise Http404 from None


class AuditedAdmin(ExportableList, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """A ModelAdmin for models with change history."""

    # The history pages look their record up as given, where the admin's own pages answer a key that
    # is not one with "does not exist": here it is a 404, never a database error.
    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model._meta.pk, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        _key_or_404(history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


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
