"""Registrations and attendance as spreadsheets: the delegates' list of an event in and out."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields

from ascn_portal.accounts.services import person_for_email
from ascn_portal.spreadsheets.registry import register
from ascn_portal.spreadsheets.resources import CachedForeignKeyWidget, EmailPersonWidget, PortalResource
from cities.models import City, MemberState
from partners.models import Partner

from .choices import RegistrationStatus
from .models import Event, Registration

YES, NO = ("yes", "y", "1", "true", "present", "x"), ("", "no", "n", "0", "false", "absent")


@register("events.registration")
class RegistrationResource(PortalResource):
    """One row per registration, found again by event and email. A new row takes a seat, or a place on
    the waitlist when the event is full (recorded by the importer, nobody is emailed); `present` marks
    attendance (`yes` / `no`), which only a confirmed seat can have. The status is read, not written:
    cancelling happens on the event's page, where the waitlist moves up."""

    event = fields.Field(attribute="event", column_name="event", widget=CachedForeignKeyWidget(Event, "slug"))
    email = fields.Field(
        attribute="person", column_name="email", widget=EmailPersonWidget(get_user_model(), person_for_email)
    )
    full_name = fields.Field(attribute="person__full_name", column_name="full_name", readonly=True)
    city = fields.Field(attribute="city", column_name="city", widget=CachedForeignKeyWidget(City, "slug"))
    member_state = fields.Field(attribute="member_state", column_name="member_state",
                                widget=CachedForeignKeyWidget(MemberState, "code"))  # fmt: skip
    partner = fields.Field(attribute="partner", column_name="partner", widget=CachedForeignKeyWidget(Partner, "slug"))
    delegation = fields.Field(attribute="delegation", column_name="delegation", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    present = fields.Field(column_name="present")

    class Meta(PortalResource.Meta):
        model = Registration
        import_id_fields = ["event", "email"]
        fields = ["event", "email", "full_name", "role_title", "city", "member_state", "partner", "delegation",
                  "status", "present"]  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return Registration.objects.exclude(status=RegistrationStatus.CANCELLED)

    def export_queryset(self, queryset):
        return queryset.select_related("event", "person", "city", "member_state", "partner")

    def dehydrate_present(self, registration) -> str:
        return "yes" if registration.checked_in_at else "no"

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None:
            self._seat(instance)
        present = str(row.get("present") or "").strip().lower()
        if present not in YES + NO:
            raise ValidationError({"present": "Write yes or no."})
        if present in YES and instance.checked_in_at is None:
            instance.checked_in_at, instance.checked_in_by = timezone.now(), self.by
        elif present in NO and instance.checked_in_at is not None:
            instance.checked_in_at, instance.checked_in_by = None, None

    def _seat(self, instance) -> None:
        """A seat while they last, then the waitlist; the event is locked so seats are counted one at a time."""
        if instance.event_id is None:
            return  # the event column's own error says why
        event = Event.objects.select_for_update().get(pk=instance.event_id)
        taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        confirmed = event.capacity is None or taken < event.capacity
        instance.status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED
        instance.confirmed_at = timezone.now() if confirmed else None
        instance.registered_by = self.by
