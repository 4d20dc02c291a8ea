"""The directory as spreadsheets: cities, and people with their offices."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export import fields
from import_export.instance_loaders import CachedInstanceLoader

from ascn_portal.accounts.services import person_for_email
from ascn_portal.spreadsheets.registry import register
from ascn_portal.spreadsheets.resources import CachedForeignKeyWidget, EmailPersonWidget, PortalResource

from . import services
from .models import Appointment, City, MemberState


@register("cities.city")
class CityResource(PortalResource):
    """One row per city, found again by its slug."""

    member_state = fields.Field(attribute="member_state", column_name="member_state",
                                widget=CachedForeignKeyWidget(MemberState, field="code"))  # fmt: skip

    class Meta(PortalResource.Meta):
        model = City
        import_id_fields = ["slug"]
        instance_loader_class = CachedInstanceLoader  # the file's cities read in one query
        fields = ["slug", "name", "member_state", "latitude", "longitude", "population", "kind", "joined_year",
                  "status", "website", "summary"]  # fmt: skip
        export_order = fields

    def export_queryset(self, queryset):
        return queryset.select_related("member_state")


@register("cities.appointment")
class AppointmentResource(PortalResource):
    """People with their offices: one row per term. A term is found again by person, office and first
    day; a newcomer's account is made from the email and name (without a password: invite them)."""

    email = fields.Field(
        attribute="user", column_name="email", widget=EmailPersonWidget(get_user_model(), person_for_email)
    )
    full_name = fields.Field(attribute="user__full_name", column_name="full_name", readonly=True)
    member_state = fields.Field(attribute="member_state", column_name="member_state",
                                widget=CachedForeignKeyWidget(MemberState, field="code"))  # fmt: skip
    city = fields.Field(attribute="city", column_name="city", widget=CachedForeignKeyWidget(City, field="slug"))

    class Meta(PortalResource.Meta):
        model = Appointment
        import_id_fields = ["email", "role", "member_state", "city", "starts_on"]
        fields = ["email", "full_name", "role", "member_state", "city", "title", "starts_on", "ends_on"]
        export_order = fields

    def export_queryset(self, queryset):
        return queryset.select_related("user", "member_state", "city")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A term that overlaps another holder's is refused naming the holder, as in the admin's form."""
        errors = dict(import_validation_errors or {})
        if not errors:
            other = services.overlapping_term(instance)
            if other is not None:
                errors["starts_on"] = [services.overlap_message(instance, other)]
        super().validate_instance(instance, errors or None, validate_unique)
        if errors:
            raise ValidationError(errors)
