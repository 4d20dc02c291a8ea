from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ascn_portal.accounts.serializers import OfficeHolderSerializer

from ..models import City, FocusArea, MemberState, StrategicOutcome


class MemberStateSerializer(serializers.ModelSerializer):
    city_count = serializers.IntegerField(read_only=True)
    pilot_city_count = serializers.IntegerField(read_only=True)
    national_representative = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:member-state-detail", lookup_field="code")

    class Meta:
        model = MemberState
        fields = [
            "code",
            "iso3",
            "name",
            "short_name",
            "city_count",
            "pilot_city_count",
            "national_representative",
            "url",
        ]

    @extend_schema_field(OfficeHolderSerializer(allow_null=True))
    def get_national_representative(self, state):
        current = getattr(state, "current_nrs", [])
        return OfficeHolderSerializer(current[0], context=self.context).data if current else None


class NetworkMembershipSerializer(serializers.Serializer):
    acronym = serializers.CharField(source="network.acronym")
    name = serializers.CharField(source="network.name")
    note = serializers.CharField()


class CitySerializer(serializers.ModelSerializer):
    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    latitude = serializers.DecimalField(max_digits=7, decimal_places=4, coerce_to_string=False, read_only=True)
    longitude = serializers.DecimalField(max_digits=7, decimal_places=4, coerce_to_string=False, read_only=True)
    networks = NetworkMembershipSerializer(source="network_memberships", many=True, read_only=True)
    chief_smart_city_officer = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:city-detail", lookup_field="slug")
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "member_state",
            "latitude",
            "longitude",
            "population",
            "kind",
            "joined_year",
            "status",
            "summary",
            "website",
            "networks",
            "chief_smart_city_officer",
            "url",
            "web_url",
        ]

    @extend_schema_field(OfficeHolderSerializer(allow_null=True))
    def get_chief_smart_city_officer(self, city):
        current = getattr(city, "current_cscos", [])
        return OfficeHolderSerializer(current[0], context=self.context).data if current else None

    def get_web_url(self, city) -> str:
        request = self.context.get("request")
        path = city.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class FocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["slug", "name", "description", "position"]


class StrategicOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategicOutcome
        fields = ["slug", "name", "description", "position"]


class ChairSerializer(serializers.Serializer):
    """A year's ASCN chair (a `selectors.Chair`)."""

    year = serializers.IntegerField(source="chairmanship.year")
    member_state = serializers.CharField(
        source="chairmanship.member_state.code", help_text="ISO 3166 code of the ASEAN chair."
    )
    member_state_name = serializers.CharField(source="chairmanship.member_state.short_name")
    chair = serializers.SerializerMethodField(help_text="Its National Representative that year, if on record.")

    @extend_schema_field(OfficeHolderSerializer(allow_null=True))
    def get_chair(self, row):
        return OfficeHolderSerializer(row.term, context=self.context).data if row.term else None
