import zoneinfo

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.admin import AuditedAdmin
from ascn_portal.exports import Column, csv_response, xlsx_response
from ascn_portal.spreadsheets.admin import SpreadsheetAdmin

from . import selectors, services
from .models import Event, Outcome, Registration, Session
from .resources import RegistrationResource

BADGE_COLUMNS = [Column("name", 30), Column("title", 30), Column("delegation", 30), Column("member state", 16),
                 Column("status", 12)]  # fmt: skip
DELEGATION_COLUMNS = [Column("member state", 16), Column("delegation", 30), Column("confirmed", 10),
                      Column("waitlisted", 10), Column("present", 10)]  # fmt: skip


def _state_of(registration) -> str:
    return str(selectors.member_state_of(registration) or "")


VENUE_TIME = _("In the event's own time zone (the “Time zone” field), not yours.")
DATETIME_FIELDS = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if name and name in zoneinfo.available_timezones():
        return zoneinfo.ZoneInfo(name)
    return None


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["starts_at", "ends_at", "title", "speakers", "room"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("starts_at", "ends_at"):
            field.help_text = VENUE_TIME
        return field


class OutcomeInline(admin.StackedInline):
    model = Outcome
    fields = ["kind", "text", "position", "concerns_framework", "strategic_outcomes", "focus_areas", "cities",
              "partners", "action_plans"]  # fmt: skip
    autocomplete_fields = ["cities", "partners", "action_plans"]
    filter_horizontal = ["strategic_outcomes", "focus_areas"]
    extra = 0


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    """The secretariat keeps events here: dates, venue, capacity, agenda and outcomes.

    A new time or venue is announced to everyone registered, and calendar copies are updated.
    """

    list_display = ["name", "kind", "year", "starts", "place", "capacity", "confirmed", "waitlisted",
                    "present", "cities", "member_states", "published"]  # fmt: skip
    list_filter = ["kind", "year", "audience", "published", "member_state"]
    search_fields = ["name", "place", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["venue_city"]
    inlines = [SessionInline, OutcomeInline]
    readonly_fields = ["sequence"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "number", "description", "published"]}),
        (_("When and where"), {"fields": ["year", "starts_at", "ends_at", "all_day", "time_zone", "format", "venue",
                                          "place", "venue_city", "member_state", "host", "sequence"]}),
        (_("Registration"), {"fields": ["audience", "capacity", "registration_opens_at", "registration_closes_at"]}),
        (_("Figures from the record"), {"fields": ["reported_delegates", "reported_cities", "reported_member_states"],
                                        "classes": ["collapse"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return selectors.with_figures(super().get_queryset(request))

    def get_urls(self):
        view = self.admin_site.admin_view(self.registrations_view)
        return [
            path("<path:object_id>/registrations/<str:file_format>/", view, name="events_event_registrations"),
            *super().get_urls(),
        ]

    def registrations_view(self, request, object_id, file_format):
        """The event's delegates as a spreadsheet: registrations with attendance, badges to print, and
        the delegations by member state (CSV: the registrations; XLSX: all three, one sheet each)."""
        event = self.get_object(request, object_id)
        if event is None or file_format not in ("csv", "xlsx"):
            raise Http404
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        resource = RegistrationResource()
        registrations = resource.export_queryset(
            Registration.objects.filter(event=event).exclude(status="cancelled").select_related("city__member_state")
        ).order_by("member_state__short_name", "city__name", "partner__name", "person__full_name")
        name = f"{event.slug}-registrations"
        if file_format == "csv":
            return csv_response(f"{name}.csv", resource.columns(), resource.rows(registrations))
        rows = list(registrations)
        badges = [[r.person.full_name, r.role_title, r.delegation, _state_of(r), r.get_status_display()]
                  for r in rows if r.status == "confirmed"]  # fmt: skip
        return xlsx_response(f"{name}.xlsx", [
            ("Registrations", resource.columns(), resource.rows(registrations)),
            ("Badges", BADGE_COLUMNS, badges),
            ("Delegations", DELEGATION_COLUMNS, selectors.delegations_by_member_state(rows)),
        ])  # fmt: skip

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in DATETIME_FIELDS:
            field.help_text = VENUE_TIME
        return field

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Every time on the form and its agenda is typed and shown in the venue's time zone: the one
        submitted (when valid), else the event's, else the portal's default."""
        zone = _zone(request.POST.get("time_zone"))
        if zone is None and object_id and str(object_id).isdigit():
            zone = _zone(Event.objects.filter(pk=object_id).values_list("time_zone", flat=True).first())
        zone = zone or _zone(Event._meta.get_field("time_zone").default)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # the template shows the times, so it renders in that zone too
        return response

    @admin.display(description=_("starts (venue time)"), ordering="starts_at")
    def starts(self, event):
        start = event.local_start
        return f"{start:%d %b %Y %H:%M} {event.time_zone}" if start else "-"

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed(self, event):
        return event.confirmed_count

    @admin.display(description=_("waitlist"), ordering="waitlisted_count")
    def waitlisted(self, event):
        return event.waitlisted_count

    @admin.display(description=_("delegates present"), ordering="delegates_present")
    def present(self, event):
        return event.delegates_present or event.reported_delegates or 0

    @admin.display(description=_("cities"), ordering="cities_present")
    def cities(self, event):
        return event.cities_present or event.reported_cities or 0

    @admin.display(description=_("member states"), ordering="member_states_present")
    def member_states(self, event):
        return event.member_states_present or event.reported_member_states or 0

    def save_model(self, request, obj, form, change):
        changed = services.event_save(event=obj, by=request.user)
        if changed:
            self.message_user(
                request, f"The {' and '.join(changed)} changed: everyone registered is told, calendars are updated."
            )
        if getattr(obj, "sessions_moved", 0):
            self.message_user(request, f"Its {obj.sessions_moved} agenda session(s) moved with it.")


@admin.register(Registration)
class RegistrationAdmin(SpreadsheetAdmin, AuditedAdmin):
    spreadsheet_resource = RegistrationResource
    list_display = ["person", "event", "status", "delegation", "role_title", "registered_by", "created_at",
                    "checked_in_at"]  # fmt: skip
    list_filter = ["status", "event", "member_state"]
    list_select_related = ["person", "event", "city", "member_state", "partner", "registered_by"]
    search_fields = ["person__full_name", "person__email", "event__name"]
    autocomplete_fields = ["person", "event"]
    readonly_fields = ["status", "registered_by", "created_at", "confirmed_at", "cancelled_at", "checked_in_at",
                       "checked_in_by"]  # fmt: skip
    actions = ["check_in", "cancel"]

    def has_add_permission(self, request):
        return False  # seats are taken through the event page, the API or an import, where capacity is kept

    def has_import_permission(self, request) -> bool:
        return self.has_change_permission(request)

    def _each(self, request, queryset, do, done_text):
        done = 0
        for registration in queryset.select_related("event", "person"):
            try:
                do(registration)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{registration}: {text}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} registration(s) {done_text}.", messages.SUCCESS)

    @admin.action(description=_("Check in (present)"), permissions=["change"])
    def check_in(self, request, queryset):
        self._each(request, queryset, lambda r: services.registration_check_in(registration=r, by=request.user),
                   "checked in")  # fmt: skip

    @admin.action(description=_("Cancel (the waitlist moves up)"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each(request, queryset, lambda r: services.registration_cancel(registration=r, by=request.user),
                   "cancelled")  # fmt: skip
