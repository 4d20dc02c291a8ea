from collections import Counter

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.models import FocusArea, StrategicOutcome
from partners.matchmaking import match

from ..models import ActionPlan, PriorityProject, ProjectKPI


class KPISerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectKPI
        fields = ["name", "unit", "baseline", "target"]


class MatchSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PriorityProjectSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    city = serializers.CharField(source="plan.city.slug", read_only=True)
    member_state = serializers.CharField(source="plan.city.member_state.code", read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    funding_gap_usd = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    kpis = KPISerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail")
    match = serializers.SerializerMethodField()
    partnerships = serializers.SerializerMethodField()

    class Meta:
        model = PriorityProject
        fields = [
            "id", "title", "summary", "description", "plan", "city", "member_state", "focus_areas", "stage",
            "location", "starts_on", "ends_on", "estimated_cost_usd", "funding_secured_usd", "funding_gap_usd",
            "support_sought", "open_to_partners", "kpis", "updated_at", "match", "partnerships", "url",
        ]  # fmt: skip

    @extend_schema_field(MatchSerializer(allow_null=True))
    def get_match(self, project):
        """How the project fits your partner's interests: only with `recommended=true`."""
        interests = self.context.get("interests")
        if interests is None:
            return None
        found = match(interests, project)
        return {"score": found.score, "reasons": found.reasons}

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_partnerships(self, project):
        """Partnerships by stage, on a project's own page (`null` in lists)."""
        view = self.context.get("view")
        if view is None or getattr(view, "action", None) != "retrieve":
            return None
        return dict(Counter(p.stage for p in project.partnerships.all()))


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
