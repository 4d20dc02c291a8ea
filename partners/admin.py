from django.contrib import admin

from ascn_portal.accounts.admin import UserAdmin
from ascn_portal.admin import AuditedAdmin, TermStatusFilter

from .models import Partner, PartnerContact


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
