from rest_framework import serializers

from ascn_portal.api import fields
from ascn_portal.api.fields import NameField

from ..choices import RegistrationStatus
from ..models import Event, Outcome, Registration, Session
from ..services import MAX_DELEGATION


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "title", "speakers", "room"]


class OutcomeSerializer(serializers.ModelSerializer):
    strategic_outcomes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    cities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    action_plans = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["kind", "text", "concerns_framework", "strategic_outcomes", "focus_areas", "cities", "partners",
                  "action_plans"]  # fmt: skip


class FiguresSerializer(serializers.Serializer):
    capacity = serializers.IntegerField(allow_null=True)
    seats_left = serializers.IntegerField(allow_null=True)
    registered = serializers.IntegerField(source="confirmed_count")
    waitlisted = serializers.IntegerField(source="waitlisted_count")
    delegates_present = serializers.IntegerField()
    cities_present = serializers.IntegerField()
    member_states_present = serializers.IntegerField()
    reported_delegates = serializers.IntegerField(allow_null=True)
    reported_cities = serializers.IntegerField(allow_null=True)
    reported_member_states = serializers.IntegerField(allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    member_state = serializers.CharField(source="member_state.code", read_only=True, allow_null=True, default=None)
    venue_city = serializers.CharField(source="venue_city.slug", read_only=True, allow_null=True, default=None)
    when = serializers.CharField(source="when_text", read_only=True)
    figures = serializers.SerializerMethodField()
    registration_open = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail", lookup_field="slug")
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id", "slug", "name", "kind", "number", "year", "starts_at", "ends_at", "all_day", "time_zone", "when",
            "format", "venue", "place", "venue_city", "member_state", "host", "audience", "capacity",
            "registration_opens_at", "registration_closes_at", "registration_open", "figures", "updated_at", "url",
            "page",
        ]  # fmt: skip

    def get_figures(self, event) -> FiguresSerializer:
        seats_left = None if event.capacity is None else max(event.capacity - event.confirmed_count, 0)
        event.seats_left = seats_left
        return FiguresSerializer(event).data

    def get_registration_open(self, event) -> bool:
        return not event.registration_problem()


class EventDetailSerializer(EventSerializer):
    description = serializers.CharField(read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "sessions", "outcomes"]


class DelegateSerializer(serializers.Serializer):
    full_name = NameField(max_length=200)
    email = serializers.EmailField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RegisterSerializer(serializers.Serializer):
    """Empty to register yourself; a `delegation` and its `members` to register a delegation."""

    delegation = serializers.CharField(
        required=False, help_text="city:<slug>, member_state:<code> or partner:<slug>: a delegation you lead."
    )
    members = DelegateSerializer(many=True, required=False, max_length=MAX_DELEGATION)

    def validate(self, data):
        if bool(data.get("delegation")) != bool(data.get("members")):
            raise serializers.ValidationError(
                "Send both a delegation and its members, or neither to register yourself."
            )
        return data


class CancelSerializer(serializers.Serializer):
    registration = fields.IntegerField(
        required=False, min_value=1, help_text="Which registration to cancel; yours when left out."
    )


class RegistrationSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.full_name", read_only=True)
    delegation = serializers.CharField(read_only=True)
    title = serializers.CharField(source="role_title", read_only=True)
    status = serializers.ChoiceField(choices=RegistrationStatus.choices, read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "person", "title", "delegation", "status", "created_at", "checked_in_at"]
