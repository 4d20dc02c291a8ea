from django.contrib import admin
from django.db.models import Count

from ascn_portal.accounts.admin import UserAdmin
from ascn_portal.admin import AuditedAdmin, PolicyAdmin, TermStatusFilter

from .models import (
    Appointment,
    Chairmanship,
    City,
    CityNetwork,
    CityNetworkMembership,
    FocusArea,
    MemberState,
    StrategicOutcome,
)


@admin.register(MemberState)
class MemberStateAdmin(AuditedAdmin):
    list_display = ["short_name", "code", "iso3", "name", "city_count"]
    search_fields = ["short_name", "name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(ordering="city_count", description="cities")
    def city_count(self, state):
        return state.city_count


@admin.register(Chairmanship)
class ChairmanshipAdmin(PolicyAdmin):
    list_display = ["year", "member_state"]
    list_filter = ["member_state"]
    autocomplete_fields = ["member_state"]


@admin.register(StrategicOutcome, FocusArea)
class FrameworkAdmin(PolicyAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CityNetworkMembershipInline(admin.TabularInline):
    model = CityNetworkMembership
    extra = 0
    autocomplete_fields = ["network"]


class CityAppointmentInline(admin.TabularInline):
    model = Appointment
    fk_name = "city"
    extra = 0
    fields = ["user", "role", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["user"]
    verbose_name_plural = "officers (CSCO and city team), past and present"


@admin.register(City)
class CityAdmin(AuditedAdmin):
    list_display = ["name", "member_state", "joined_year", "kind", "status", "population"]
    list_filter = ["member_state", "joined_year", "kind", "status", "networks"]
    list_select_related = ["member_state"]
    search_fields = ["name", "slug", "member_state__short_name"]
    autocomplete_fields = ["member_state"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CityNetworkMembershipInline, CityAppointmentInline]


@admin.register(CityNetwork)
class CityNetworkAdmin(PolicyAdmin):
    list_display = ["acronym", "name", "focus", "founded", "headquarters"]
    search_fields = ["acronym", "name"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdmin):
    list_display = ["user", "role", "member_state", "city", "title", "starts_on", "ends_on"]
    list_filter = [TermStatusFilter, "role", "member_state", "city__member_state"]
    list_select_related = ["user", "member_state", "city"]
    search_fields = ["user__full_name", "user__email", "city__name", "member_state__short_name", "title"]
    autocomplete_fields = ["user", "member_state", "city"]
    date_hierarchy = "starts_on"


class UserAppointmentInline(admin.TabularInline):
    """A person's appointments, on the person's page in the admin."""

    model = Appointment
    fk_name = "user"
    extra = 0
    fields = ["role", "member_state", "city", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["member_state", "city"]


UserAdmin.inlines = [*UserAdmin.inlines, UserAppointmentInline]
