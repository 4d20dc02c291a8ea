"""An import of a spreadsheet: who sent which file, what a check of every row found, and what was written."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.coded import CodeCheck


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    INVALID = "invalid", _("Refused: some rows have errors")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed; nothing was written")
    CANCELLED = "cancelled", _("Cancelled; nothing was written")


RUNNING = (ImportState.CHECKING, ImportState.IMPORTING)
STOPPED = (ImportState.FAILED, ImportState.CANCELLED)  # what the secretariat may start again


class ImportJob(models.Model):
    """One file sent to an admin list's import. The file is kept until the import is done, so the
    rows written are exactly the rows checked; the record stays as the history of who imported what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.CharField(max_length=60, help_text=_("What the file holds, e.g. cities.city"))
    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    data = models.BinaryField(editable=False)
    row_count = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, choices=ImportState.choices, default=ImportState.CHECKING, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text=_("When the current step was handed to a worker"))
    started_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a worker began the current step (check or import); empty while queued")
    )
    totals = models.JSONField(default=dict, blank=True, help_text=_("Rows new, updated, unchanged and with errors"))
    preview = models.JSONField(default=list, blank=True, help_text=_("The rows as checked, errors first"))
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            CodeCheck(field="file_format", codes=["csv", "xlsx"]),
            CodeCheck(field="state", codes=ImportState),
        ]
        ordering = ["-created_at"]
        verbose_name = _("spreadsheet import")

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING

    @property
    def may_cancel(self) -> bool:
        return self.state in (*RUNNING, ImportState.CHECKED)

    @property
    def may_restart(self) -> bool:
        return self.state in STOPPED
