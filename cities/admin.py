import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.admin import UserAdmin
from ascn_portal.admin import AsOfFilter, AuditedAdmin, PolicyAdmin, TermStatusFilter
from ascn_portal.forms import add_service_errors
from ascn_portal.spreadsheets.admin import SpreadsheetAdmin

from . import services
from .choices import AppointmentRole
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
from .resources import AppointmentResource, CityResource
from .selectors import chair_of_year


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
    list_display = ["year", "member_state", "chair"]
    list_filter = ["member_state"]
    autocomplete_fields = ["member_state"]

    def get_queryset(self, request):
        nr_terms = Appointment.objects.filter(role=AppointmentRole.NATIONAL_REPRESENTATIVE).select_related("user")
        return (
            super()
            .get_queryset(request)
            .select_related("member_state")
            .prefetch_related(
                Prefetch("member_state__appointments", queryset=nr_terms.order_by("-starts_on"), to_attr="nr_terms")
            )
        )

    @admin.display(description=_("ASCN chair (National Representative that year)"))
    def chair(self, chairmanship):
        term = chair_of_year(chairmanship.year, chairmanship.member_state.nr_terms)
        return term.user if term else "-"


@admin.register(StrategicOutcome, FocusArea)
class FrameworkAdmin(PolicyAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CityNetworkMembershipInline(admin.TabularInline):
    model = CityNetworkMembership
    extra = 0
    autocomplete_fields = ["network"]


class AppointmentForm(forms.ModelForm):
    """A term in an office. One that would overlap another holder's is refused with that holder's
    name and term, before the database's own rule is met."""

    class Meta:
        model = Appointment
        fields = ["user", "role", "member_state", "city", "title", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        probe = Appointment(
            pk=instance.pk,
            user_id=_id(cleaned, "user", instance.user_id),
            role=cleaned.get("role", instance.role),
            member_state_id=_id(cleaned, "member_state", instance.member_state_id),
            city_id=_id(cleaned, "city", instance.city_id),
            starts_on=cleaned.get("starts_on", instance.starts_on),
            ends_on=cleaned.get("ends_on", instance.ends_on),
        )
        if "starts_on" not in self.errors:
            other = services.overlapping_term(probe)
            if other is not None:
                self.add_error("starts_on", services.overlap_message(probe, other))
        return cleaned


def _id(cleaned: dict, name: str, default):
    if name not in cleaned:
        return default
    return cleaned[name].pk if cleaned[name] is not None else None


class CityAppointmentInline(admin.TabularInline):
    model = Appointment
    form = AppointmentForm
    fk_name = "city"
    extra = 0
    fields = ["user", "role", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["user"]
    verbose_name_plural = "officers (CSCO and city team), past and present"


@admin.register(City)
class CityAdmin(SpreadsheetAdmin, AuditedAdmin):
    spreadsheet_resource = CityResource
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


class HandOverForm(forms.Form):
    successor = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        widget=AutocompleteSelect(Appointment._meta.get_field("user"), admin.site),
        help_text=_("The person taking the office over."),
    )
    on = forms.DateField(
        label=_("First day of the successor"),
        widget=AdminDateWidget,
        help_text=_("The present holder's last day in office is the day before."),
    )
    title = forms.CharField(max_length=200, required=False, help_text=_("The successor's title."))


@admin.register(Appointment)
class AppointmentAdmin(SpreadsheetAdmin, AuditedAdmin):
    """Appoint (add), correct, end and hand over offices. A term that would overlap another holder's
    is refused with the holder's name; a hand-over ends one term and starts the next in one step."""

    form = AppointmentForm
    spreadsheet_resource = AppointmentResource
    list_display = ["user", "role", "member_state", "city", "title", "starts_on", "ends_on"]
    list_filter = [TermStatusFilter, AsOfFilter, "role", "member_state", "city__member_state"]
    list_select_related = ["user", "member_state", "city"]
    search_fields = ["user__full_name", "user__email", "city__name", "member_state__short_name", "title"]
    autocomplete_fields = ["user", "member_state", "city"]
    date_hierarchy = "starts_on"
    actions = ["end_today"]

    def save_model(self, request, obj, form, change):
        services.appointment_save(appointment=obj, by=request.user)

    @admin.action(description=_("End the selected terms (today is their last day)"))
    def end_today(self, request, queryset):
        today = timezone.localdate()
        ended = 0
        for appointment in queryset.select_related("user", "city", "member_state"):
            try:
                services.appointment_end(appointment=appointment, on=today, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{appointment}: {' '.join(error.messages)}", messages.WARNING)
            else:
                ended += 1
        if ended:
            self.message_user(request, f"{ended} term(s) ended; {date_format(today, 'j F Y')} was their last day.")

    def get_urls(self):
        hand_over = self.admin_site.admin_view(self.hand_over_view)
        return [
            path("<path:object_id>/hand-over/", hand_over, name="cities_appointment_hand_over"),
            *super().get_urls(),
        ]

    def hand_over_view(self, request, object_id):
        appointment = self.get_object(request, object_id)
        if appointment is None:
            raise Http404
        if not self.has_change_permission(request, appointment) or not self.has_add_permission(request):
            raise PermissionDenied
        form = HandOverForm(request.POST or None, initial={"on": timezone.localdate(), "title": appointment.title})
        if request.method == "POST" and form.is_valid():
            try:
                following = services.appointment_hand_over(
                    appointment=appointment,
                    successor=form.cleaned_data["successor"],
                    on=form.cleaned_data["on"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                last_day = following.starts_on - datetime.timedelta(days=1)
                self.message_user(
                    request,
                    f"{appointment.office}: {appointment.user} served until {date_format(last_day, 'j F Y')}; "
                    f"{following.user} serves from {date_format(following.starts_on, 'j F Y')}.",
                )
                return redirect(reverse("admin:cities_appointment_change", args=[following.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": appointment,
            "title": f"Hand over: {appointment.get_role_display()} of {appointment.office}",
            "form": form,
            "media": self.media + form.media,
            "term": services.term_text(appointment),
        }
        return TemplateResponse(request, "admin/cities/appointment/hand_over.html", context)


class UserAppointmentInline(admin.TabularInline):
    """A person's appointments, on the person's page in the admin."""

    model = Appointment
    form = AppointmentForm
    fk_name = "user"
    extra = 0
    fields = ["role", "member_state", "city", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["member_state", "city"]


UserAdmin.inlines = [*UserAdmin.inlines, UserAppointmentInline]
