"""The published-project catalogue in the API: list items (with a partner's match) and a project's own page."""

from collections import Counter

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from action_plans.models import PriorityProject, ProjectKPI

from ..matchmaking import match, match_row


class KPISerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectKPI
        fields = ["name", "unit", "baseline", "target"]


class MatchSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PriorityProjectListSerializer(serializers.ModelSerializer):
    """A project in a list: what a partner sorts and filters by. Its page adds the rest.

    Lists are not written by this serializer but by `project_list_items`, from plain values and
    at a fraction of the cost; this class is their schema, and a test holds the two equal.
    """

    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    city = serializers.CharField(source="plan.city.slug", read_only=True)
    member_state = serializers.CharField(source="plan.city.member_state.code", read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    funding_gap_usd = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail")
    match = serializers.SerializerMethodField()

    class Meta:
        model = PriorityProject
        fields = [
            "id", "title", "summary", "plan", "city", "member_state", "focus_areas", "stage", "location",
            "starts_on", "ends_on", "estimated_cost_usd", "funding_secured_usd", "funding_gap_usd",
            "support_sought", "open_to_partners", "updated_at", "match", "url",
        ]  # fmt: skip

    @extend_schema_field(MatchSerializer(allow_null=True))
    def get_match(self, project):
        """How the project fits your partner's interests: only with `recommended=true`."""
        interests = self.context.get("interests")
        if interests is None:
            return None
        found = match(interests, project)
        return {"score": found.score, "reasons": found.reasons}


class PriorityProjectSerializer(PriorityProjectListSerializer):
    """A project on its own: the list's fields, its description, KPIs and partnerships by stage."""

    kpis = KPISerializer(many=True, read_only=True)
    partnerships = serializers.SerializerMethodField()

    class Meta(PriorityProjectListSerializer.Meta):
        fields = [*PriorityProjectListSerializer.Meta.fields[:3], "description",
                  *PriorityProjectListSerializer.Meta.fields[3:-2], "kpis", "match", "partnerships", "url"]  # fmt: skip

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_partnerships(self, project):
        """How many partnerships the project has in each stage."""
        return dict(Counter(p.stage for p in project.partnerships.all()))


def project_list_items(rows, request, interests=None) -> list[dict]:
    """The list's items from `selectors.project_list_values` rows, as the list serializer writes them.

    The same fields and formats (amounts as strings with two decimals, dates in ISO 8601, times in
    the reader's time zone) and URLs, for a dict per row instead of a field object per value.
    """
    prefix = request.build_absolute_uri(reverse("api:project-list"))
    zone = timezone.get_current_timezone()

    def usd(value):
        return None if value is None else f"{value:.2f}"

    def day(value):
        return None if value is None else value.isoformat()

    items = []
    for row in rows:
        cost, secured = row["estimated_cost_usd"], row["funding_secured_usd"]
        gap = None if cost is None else cost - secured
        found = None if interests is None else match_row(interests, row)
        updated = row["updated_at"].astimezone(zone).isoformat()
        items.append({
            "id": row["id"], "title": row["title"], "summary": row["summary"], "plan": row["plan_id"],
            "city": row["city_slug"], "member_state": row["member_state_code"],
            "focus_areas": row["focus_area_slugs"], "stage": row["stage"], "location": row["location"],
            "starts_on": day(row["starts_on"]), "ends_on": day(row["ends_on"]),
            "estimated_cost_usd": usd(cost), "funding_secured_usd": usd(secured), "funding_gap_usd": usd(gap),
            "support_sought": row["support_sought"], "open_to_partners": row["open_to_partners"],
            "updated_at": updated[:-6] + "Z" if updated.endswith("+00:00") else updated,
            "match": None if found is None else {"score": found.score, "reasons": found.reasons},
            "url": f"{prefix}{row['id']}/",
        })  # fmt: skip
    return items
