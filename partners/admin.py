from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.admin import UserAdmin
from ascn_portal.admin import AuditedAdmin, TermStatusFilter
from ascn_portal.errors import Conflict

from . import services
from .models import Partner, PartnerContact, Twinning


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    fields = ["user", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ["name", "kind", "country", "organisation_type", "is_active"]
    list_filter = ["kind", "is_active", "organisation_type", "focus_areas", "member_states"]
    search_fields = ["name", "slug", "description", "country"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["focus_areas", "member_states"]
    inlines = [PartnerContactInline]


@admin.register(PartnerContact)
class PartnerContactAdmin(AuditedAdmin):
    list_display = ["user", "partner", "title", "starts_on", "ends_on"]
    list_filter = [TermStatusFilter, "partner__kind", "partner"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__full_name", "user__email", "partner__name", "title"]
    autocomplete_fields = ["user", "partner"]


class UserPartnerContactInline(admin.TabularInline):
    """The partners a person speaks for, on the person's page in the admin."""

    model = PartnerContact
    extra = 0
    fields = ["partner", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["partner"]


UserAdmin.inlines = [*UserAdmin.inlines, UserPartnerContactInline]


@admin.register(Twinning)
class TwinningAdmin(AuditedAdmin):
    """The twinning programme: the secretariat proposes, starts and ends twinnings here. Starting or
    ending one tells the city's officers and the partner's contacts (through the same service as
    everywhere); at most one active twinning per city, past ones kept with their dates."""

    list_display = ["city", "partner", "status", "starts_on", "ends_on", "memorandum_reference"]
    list_filter = ["status", "city__member_state", "partner__kind"]
    list_select_related = ["city", "partner"]
    search_fields = ["city__name", "partner__name", "memorandum_reference", "notes"]
    autocomplete_fields = ["city", "partner"]
    filter_horizontal = ["focus_areas"]
    fields = ["city", "partner", "status", "starts_on", "ends_on", "focus_areas", "memorandum_reference", "notes"]
    actions = ["start", "end"]

    def save_model(self, request, obj, form, change):
        pass  # saved with its focus areas in save_related, through the service

    def save_related(self, request, form, formsets, change):
        services.twinning_save(twinning=form.instance, by=request.user, focus_areas=form.cleaned_data["focus_areas"])

    def _move(self, request, queryset, move, done):
        moved = 0
        for twinning in queryset.select_related("city", "partner"):
            try:
                move(twinning=twinning, by=request.user)
            except (ValidationError, Conflict) as error:
                self.message_user(request, f"{twinning}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                                  messages.ERROR)  # fmt: skip
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} twinning(s) {done}; the cities and partners are told.")

    @admin.action(description=_("Start the selected twinnings (today)"))
    def start(self, request, queryset):
        self._move(request, queryset.exclude(status="active"), services.twinning_start, "started")

    @admin.action(description=_("End the selected twinnings (today)"))
    def end(self, request, queryset):
        self._move(request, queryset.filter(status="active"), services.twinning_end, "ended")
