"""Import and export on any admin list: `SpreadsheetAdmin` adds both to a ModelAdmin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ascn_portal.admin import PolicyAdmin

from . import services
from .models import ImportJob


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet"), help_text=_("CSV (UTF-8) or XLSX, with the export's columns."))


class SpreadsheetAdmin:
    """Mix into a PolicyAdmin or AuditedAdmin with `spreadsheet_resource` (a registered PortalResource):
    the list's export takes the resource's columns, and Import (checked first) reads them back."""

    spreadsheet_resource = None

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="{}_{}_import".format(*info)),
            path("import/<uuid:job_id>/", wrap(self.import_job_view), name="{}_{}_import_job".format(*info)),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    # Export: the resource's columns, so that an export imports back unchanged.

    def export_columns(self, request):
        return self.spreadsheet_resource().columns()

    def export_rows(self, request, queryset):
        resource = self.spreadsheet_resource()
        return resource.rows(resource.export_queryset(queryset))

    # Import ----------------------------------------------------------------------------------

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = services.job_create(key=self.spreadsheet_resource.key, upload=form.cleaned_data["file"],
                                          by=request.user)  # fmt: skip
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                return redirect(self._job_url(job))
        jobs = ImportJob.objects.filter(resource=self.spreadsheet_resource.key).select_related("created_by")
        context = self._context(request, _("Import %(name)s") % {"name": self.opts.verbose_name_plural},
                                form=form, jobs=jobs.defer("data", "preview")[:10],
                                headers=self.spreadsheet_resource().get_export_headers(),
                                required=self.spreadsheet_resource.required_headers)  # fmt: skip
        return TemplateResponse(request, "admin/spreadsheets/import.html", context)

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id,
                                resource=self.spreadsheet_resource.key)  # fmt: skip
        if request.method == "POST":
            try:
                job = services.job_confirm(job=job, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                if job.state == "done":
                    self.message_user(request, f"{job.file_name}: imported; nothing else changed.")
            return redirect(self._job_url(job))
        preview = job.preview or []
        headers = list(preview[0]["values"]) if preview else []
        context = self._context(request, f"{job.file_name}", job=job, preview=preview, headers=headers,
                                progress=services.progress_of(job) if job.is_running else None)  # fmt: skip
        return TemplateResponse(request, "admin/spreadsheets/import_job.html", context)

    def _job_url(self, job) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_job", args=[job.pk])

    def _context(self, request, title, **values) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **values}


@admin.register(ImportJob)
class ImportJobAdmin(PolicyAdmin):
    """Who imported what, when, and what it did: the history of every spreadsheet import."""

    list_display = ["created_at", "created_by", "resource", "file_name", "row_count", "state", "summary"]
    list_filter = ["state", "resource"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "created_by__email", "created_by__full_name"]
    date_hierarchy = "created_at"
    fields = ["resource", "file_name", "file_format", "row_count", "state", "created_by", "created_at", "checked_at",
              "confirmed_at", "finished_at", "totals", "error"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "preview")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("rows new / updated / unchanged / with errors"))
    def summary(self, job):
        t = job.totals or {}
        return f"{t.get('new', 0)} / {t.get('update', 0)} / {t.get('skip', 0)} / {t.get('errors', 0)}" if t else "-"
