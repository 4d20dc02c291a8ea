from rest_framework import serializers

from cities.models import FocusArea, StrategicOutcome

from ..models import ActionPlan


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

    version = serializers.IntegerField(min_value=1, help_text="The version you read; a stale one answers 409.")
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
