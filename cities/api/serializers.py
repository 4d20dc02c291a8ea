from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ascn_portal.accounts.serializers import OfficeHolderSerializer, may_see_contact_details

from ..choices import AppointmentRole
from ..models import Appointment, City, CityNetworkMembership, FocusArea, MemberState, StrategicOutcome


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


CITY_VALUES = ("id", "slug", "name", "member_state__code", "latitude", "longitude", "population", "kind",
               "joined_year", "status", "summary", "website")  # fmt: skip


def city_values(cities):
    """A list of cities as the plain values `city_list_items` writes."""
    return cities.select_related(None).prefetch_related(None).values(*CITY_VALUES)


def city_list_items(rows, context, on=None) -> list[dict]:
    """The list's items as `CitySerializer` writes them (a test holds the two equal), from `city_values`
    rows and two queries (their networks, their CSCO that day) rather than from model instances with
    prefetches: a page of 500 was mostly the ORM's and the serializer's own work."""
    request = context["request"]
    api = request.build_absolute_uri(reverse("api:city-list"))
    page = request.build_absolute_uri(reverse("cities:city_detail", kwargs={"slug": "-"}))[:-2]
    contact = may_see_contact_details(context)
    ids = [row["id"] for row in rows]
    networks = {pk: [] for pk in ids}
    memberships = CityNetworkMembership.objects.filter(city_id__in=ids).order_by("network__acronym", "pk")
    for m in memberships.values("city_id", "network__acronym", "network__name", "note"):
        networks[m["city_id"]].append({"acronym": m["network__acronym"], "name": m["network__name"], "note": m["note"]})
    officers = {}
    serving = Appointment.objects.active(on).filter(role=AppointmentRole.CSCO, city_id__in=ids).order_by("-starts_on")
    for term in serving.values("city_id", "title", "starts_on", "ends_on", "user__full_name", "user__email",
                               "user__phone"):  # fmt: skip
        if term["city_id"] in officers:
            continue  # the latest to start, as the city's page shows
        found = {"name": term["user__full_name"], "title": term["title"], "since": term["starts_on"].isoformat(),
                 "until": term["ends_on"].isoformat() if term["ends_on"] else None}  # fmt: skip
        if contact:
            found |= {"email": term["user__email"], "phone": term["user__phone"]}
        officers[term["city_id"]] = found

    def degrees(value):
        return None if value is None else float(value)

    return [
        {
            "slug": c["slug"],
            "name": c["name"],
            "member_state": c["member_state__code"],
            "latitude": degrees(c["latitude"]),
            "longitude": degrees(c["longitude"]),
            "population": c["population"],
            "kind": c["kind"],
            "joined_year": c["joined_year"],
            "status": c["status"],
            "summary": c["summary"],
            "website": c["website"],
            "networks": networks[c["id"]],
            "chief_smart_city_officer": officers.get(c["id"]),
            "url": f"{api}{c['slug']}/",
            "web_url": f"{page}{c['slug']}/",
        }  # fmt: skip
        for c in rows
    ]
