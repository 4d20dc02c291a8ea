from rest_framework import serializers

from ascn_portal.api import fields
from ascn_portal.api.fields import AmountField
from cities.models import FocusArea, StrategicOutcome

from ..choices import ProgressStatus
from ..models import ActionPlan, ProgressReport


class ActionPlanSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.slug", read_only=True)
    member_state = serializers.CharField(source="city.member_state.code", read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    strategic_outcomes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:action-plan-detail")

    class Meta:
        model = ActionPlan
        fields = [
            "id", "city", "member_state", "title", "period_start", "period_end", "vision", "challenges",
            "objectives", "focus_areas", "strategic_outcomes", "state", "version", "updated_at", "url",
        ]  # fmt: skip


class ActionPlanUpdateSerializer(serializers.ModelSerializer):
    """A draft's fields, changed by its city's officers; `version` must be the one read."""

    version = fields.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")
    focus_areas = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=FocusArea.objects.all(), required=False
    )
    strategic_outcomes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=StrategicOutcome.objects.all(), required=False
    )

    class Meta:
        model = ActionPlan
        fields = ["version", "title", "period_start", "period_end", "vision", "challenges", "objectives",
                  "focus_areas", "strategic_outcomes"]  # fmt: skip


class ProgressReportSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    city = serializers.CharField(source="project.plan.city.slug", read_only=True)
    member_state = serializers.CharField(source="project.plan.city.member_state.code", read_only=True)
    kpi_values = serializers.DictField(child=serializers.CharField(), read_only=True,
                                       help_text="KPI id to the value reached that year.")  # fmt: skip
    funding_secured_usd = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:progress-report-detail")

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "city", "member_state", "year", "status", "percent_complete", "narrative",
                  "kpi_values", "funding_secured_usd", "version", "filed_at", "updated_at", "url"]  # fmt: skip


class ProgressReportWriteSerializer(serializers.Serializer):
    """A project's report for a year, filed (POST) or corrected (PATCH, with the `version` read)."""

    project = fields.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The project's id (POST only).")
    year = fields.IntegerField(min_value=2018, max_value=2100, help_text="The year reported on (POST only).")
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    percent_complete = fields.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    kpi_values = serializers.DictField(
        child=fields.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=True), required=False,
        default=dict, help_text="KPI id to the value reached, e.g. {\"12\": \"60\"}.",
    )  # fmt: skip
    funding_secured_usd = AmountField(required=False, allow_null=True, default=None)
    version = fields.IntegerField(min_value=0, required=False, help_text="The version you read (PATCH).")
