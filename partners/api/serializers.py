from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ascn_portal.accounts.serializers import OfficeHolderSerializer
from ascn_portal.api import fields
from ascn_portal.api.fields import AmountField, NameField
from cities.models import City, FocusArea

from ..choices import PARTNERSHIP_MOVES, SupportType
from ..models import ConsortiumMember, Partner, PartnershipTransition, ProjectPartnership, Twinning


class PartnerSerializer(serializers.ModelSerializer):
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    member_states = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    support_types = serializers.ListField(child=serializers.ChoiceField(choices=SupportType.choices), read_only=True)
    contacts = serializers.SerializerMethodField()
    twinned_with = serializers.SerializerMethodField()
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
            "stages",
            "ticket_min_usd",
            "ticket_max_usd",
            "is_active",
            "contacts",
            "twinned_with",
            "url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_twinned_with(self, partner) -> list[str]:
        """Slugs of the cities in an active twinning with the partner."""
        return [t.city.slug for t in getattr(partner, "active_twinnings", [])]

    @extend_schema_field(OfficeHolderSerializer(many=True))
    def get_contacts(self, partner):
        return OfficeHolderSerializer(getattr(partner, "current_contacts", []), many=True, context=self.context).data


class TwinningSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Twinning
        fields = ["id", "city", "partner", "status", "starts_on", "ends_on", "focus_areas", "memorandum_reference",
                  "updated_at"]  # fmt: skip


class TwinningWriteSerializer(serializers.ModelSerializer):
    """What the secretariat records of a twinning: `status` `active` starts it (today unless
    `starts_on` says), `ended` ends it; both tell the city's officers and the partner's contacts."""

    city = serializers.SlugRelatedField(slug_field="slug", queryset=City.objects.all())
    partner = serializers.SlugRelatedField(slug_field="slug", queryset=Partner.objects.all())
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=FocusArea.objects.all(),
                                               required=False)  # fmt: skip

    class Meta:
        model = Twinning
        fields = ["city", "partner", "status", "starts_on", "ends_on", "focus_areas", "memorandum_reference", "notes"]


class ConsortiumMemberSerializer(serializers.ModelSerializer):
    company = NameField(max_length=200)

    class Meta:
        model = ConsortiumMember
        fields = ["company", "country", "is_lead"]


class PartnershipTransitionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.full_name", read_only=True)

    class Meta:
        model = PartnershipTransition
        fields = ["action", "from_stage", "to_stage", "by", "at", "comment"]


class PartnershipSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True)
    project_title = serializers.CharField(source="project.title", read_only=True)
    city = serializers.CharField(source="project.plan.city.slug", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    consortium = ConsortiumMemberSerializer(many=True, read_only=True)
    transitions = PartnershipTransitionSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:partnership-detail")

    class Meta:
        model = ProjectPartnership
        fields = ["id", "project", "project_title", "city", "partner", "stage", "support_type", "amount_usd", "message",
                  "consortium", "transitions", "created_at", "updated_at", "finalised_on", "url"]  # fmt: skip


class PartnershipCreateSerializer(serializers.Serializer):
    """An expression of interest in a published project."""

    project = fields.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The id of a published project.")
    partner = serializers.SlugField(required=False, help_text="Which partner you speak for; needed if several.")
    support_type = serializers.ChoiceField(choices=SupportType.choices)
    amount_usd = AmountField(required=False, allow_null=True)
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    consortium = ConsortiumMemberSerializer(many=True, required=False)


class PartnershipWithdrawSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[("withdrawn", "Withdrawn")], help_text="Only `withdrawn`: the partner withdraws."
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class PartnershipMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(k, str(m.label)) for k, m in PARTNERSHIP_MOVES.items() if k != "withdraw"]
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
