"""Shared admin pieces: the policy decides every permission, and audited models keep history."""

import datetime
from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .exports import Column, csv_response, xlsx_response
from .personal_data import personal_data_in, warning_for


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_personal_data(request, form, formsets)

    # The history pages look their record up as given, where the admin's own pages answer a key that
    # is not one with "does not exist": here it is a 404, never a database error.
    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version is shown to whoever may read the record. Reverting to it (a POST) is a write:
        django-simple-history saves it for anyone who may view, so here it needs the right to change,
        and goes through `save_model` (a model's service) like any change."""
        _key_or_404(self.model._meta.pk, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        _key_or_404(history.model._meta.pk, version_id)
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def warn_personal_data(request, form, formsets) -> None:
    """Saved, with a warning linked to the field, where a public text (declared in
    ascn_portal.personal_data) of the record or of its inlines holds an email address or a phone."""
    opts = form.instance._meta
    page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[form.instance.pk])
    forms = [form]
    for formset in formsets:
        deleted = getattr(formset, "deleted_forms", [])
        forms += [each for each in formset.forms if each.instance.pk and each not in deleted]
    for each in forms:
        for field, kinds in personal_data_in(each.instance):
            where = f"{each.instance}, {each.instance._meta.get_field(field).verbose_name}"
            link = format_html('<a href="{}#id_{}">{}</a>', page, each.add_prefix(field), warning_for(kinds, where))
            messages.warning(request, link)


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
