"""The rounds and the cities' reports in the admin, to read and export: they move on their pages,
where the check runs and both sides are told."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ascn_portal.admin import AuditedAdmin

from .models import CityReport, CityReportTransition, MonitoringRound


@admin.register(MonitoringRound)
class MonitoringRoundAdmin(AuditedAdmin):
    list_display = ["year", "deadline", "opened_by", "opened_at"]
    list_select_related = ["opened_by"]
    readonly_fields = ["year", "deadline", "opened_by", "opened_at", "note"]

    def has_add_permission(self, request):
        return False  # opened on /monitoring/, where the cities' officers are told

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = CityReportTransition
    extra = 0
    fields = ["at", "action", "from_state", "to_state", "by", "comment"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("moves, as recorded")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CityReport)
class CityReportAdmin(AuditedAdmin):
    list_display = ["city", "round", "state", "submitted_at", "decided_at"]
    list_filter = ["round", "state", "city__member_state"]
    list_select_related = ["city", "round"]
    search_fields = ["city__name"]
    readonly_fields = ["round", "city", "state", "version", "submitted_at", "decided_at"]
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
