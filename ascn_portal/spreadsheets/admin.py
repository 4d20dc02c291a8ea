"""Import and export on any admin list: `SpreadsheetAdmin` adds both to a ModelAdmin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
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
                                required=self.spreadsheet_resource().required_columns())  # fmt: skip
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
                                progress=services.progress_of(job) if job.is_running else None,
                                may_restart=request.user.has_perm(RESTART_PERMISSION))  # fmt: skip
        return TemplateResponse(request, "admin/spreadsheets/import_job.html", context)

    def _job_url(self, job) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_job", args=[job.pk])

    def _context(self, request, title, **values) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **values}


RESTART_PERMISSION = "spreadsheets.restart_importjob"


@admin.register(ImportJob)
class ImportJobAdmin(PolicyAdmin):
    """Who imported what, when, and what it did: the history of every spreadsheet import. The
    secretariat cancels a job that is queued, running or waiting, and starts a failed or cancelled one
    again ("Cancel" and "Start again" on its page); each press is in the job's history."""

    change_form_template = "admin/spreadsheets/importjob/change_form.html"

    list_display = ["created_at", "created_by", "resource", "file_name", "row_count", "state", "summary"]
    list_filter = ["state", "resource"]
    list_select_related = ["created_by"]
    search_fields = ["file_name", "created_by__email", "created_by__full_name"]
    date_hierarchy = "created_at"
    fields = ["resource", "file_name", "file_format", "row_count", "state", "error", "created_by", "created_at",
              "queued_at", "started_at", "checked_at", "confirmed_at", "finished_at", "totals"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "preview")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<uuid:job_id>/cancel/", wrap(self.cancel_view), name="spreadsheets_importjob_cancel"),
            path("<uuid:job_id>/restart/", wrap(self.restart_view), name="spreadsheets_importjob_restart"),
            *super().get_urls(),
        ]

    def cancel_view(self, request, job_id):
        return self._act(
            request, job_id, services.job_cancel, _("The import of %(file)s is cancelled; nothing was written.")
        )

    def restart_view(self, request, job_id):
        return self._act(request, job_id, services.job_retry, _("The import of %(file)s starts again."))

    def _act(self, request, job_id, service, done_message):
        """A button's POST: the secretariat only (others get 403), then back to the page it came from."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(RESTART_PERMISSION):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.defer("data", "preview"), pk=job_id)
        try:
            job = service(job=job, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, done_message % {"file": job.file_name})
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:spreadsheets_importjob_change", args=[job.pk])
        return redirect(back)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context.update(may_restart=request.user.has_perm(RESTART_PERMISSION))
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("rows new / updated / unchanged / with errors"))
    def summary(self, job):
        t = job.totals or {}
        return f"{t.get('new', 0)} / {t.get('update', 0)} / {t.get('skip', 0)} / {t.get('errors', 0)}" if t else "-"
