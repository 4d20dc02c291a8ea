from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ascn_portal.accounts.serializers import OfficeHolderSerializer

from ..choices import SupportType
from ..models import Partner


class PartnerSerializer(serializers.ModelSerializer):
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    member_states = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    support_types = serializers.ListField(child=serializers.ChoiceField(choices=SupportType.choices), read_only=True)
    contacts = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:partner-detail", lookup_field="slug")

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "kind",
            "organisation_type",
            "country",
            "description",
            "website",
            "focus_areas",
            "member_states",
            "support_types",
            "ticket_min_usd",
            "ticket_max_usd",
            "is_active",
            "contacts",
            "url",
        ]

    @extend_schema_field(OfficeHolderSerializer(many=True))
    def get_contacts(self, partner):
        return OfficeHolderSerializer(getattr(partner, "current_contacts", []), many=True, context=self.context).data
