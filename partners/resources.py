"""Partners and their contacts as spreadsheets."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from import_export import fields, widgets
from import_export.instance_loaders import CachedInstanceLoader

from ascn_portal.accounts.services import person_for_email
from ascn_portal.spreadsheets.registry import register
from ascn_portal.spreadsheets.resources import (
    CachedForeignKeyWidget,
    EmailPersonWidget,
    PortalResource,
    StrictManyToManyWidget,
)
from cities.models import FocusArea, MemberState

from .models import Partner, PartnerContact


class ChoicesArrayWidget(widgets.SimpleArrayWidget):
    """A list of codes in one cell, separated by semicolons (support types, stages)."""

    def __init__(self):
        super().__init__(separator=";")

    def clean(self, value, row=None, **kwargs):
        return [v.strip() for v in super().clean(value, row, **kwargs) if v.strip()]


@register("partners.partner")
class PartnerResource(PortalResource):
    """One row per partner, found again by its slug; lists are separated by semicolons."""

    focus_areas = fields.Field(attribute="focus_areas", column_name="focus_areas",
                               widget=StrictManyToManyWidget(FocusArea, field="slug"))  # fmt: skip
    member_states = fields.Field(attribute="member_states", column_name="member_states",
                                 widget=StrictManyToManyWidget(MemberState, field="code"))  # fmt: skip
    support_types = fields.Field(attribute="support_types", column_name="support_types", widget=ChoicesArrayWidget())
    stages = fields.Field(attribute="stages", column_name="stages", widget=ChoicesArrayWidget())

    class Meta(PortalResource.Meta):
        model = Partner
        import_id_fields = ["slug"]
        instance_loader_class = CachedInstanceLoader
        fields = ["slug", "name", "kind", "organisation_type", "country", "website", "is_active", "focus_areas",
                  "member_states", "support_types", "stages", "ticket_min_usd", "ticket_max_usd",
                  "description"]  # fmt: skip
        export_order = fields

    def export_queryset(self, queryset):
        return queryset.prefetch_related("focus_areas", "member_states")


@register("partners.partnercontact")
class PartnerContactResource(PortalResource):
    """A partner's contacts: one row per term, found again by partner, person and first day."""

    partner = fields.Field(attribute="partner", column_name="partner", widget=CachedForeignKeyWidget(Partner, "slug"))
    email = fields.Field(
        attribute="user", column_name="email", widget=EmailPersonWidget(get_user_model(), person_for_email)
    )
    full_name = fields.Field(attribute="user__full_name", column_name="full_name", readonly=True)

    class Meta(PortalResource.Meta):
        model = PartnerContact
        import_id_fields = ["partner", "email", "starts_on"]
        fields = ["partner", "email", "full_name", "title", "starts_on", "ends_on"]
        export_order = fields

    def export_queryset(self, queryset):
        return queryset.select_related("partner", "user")
