from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from .. import selectors
from ..filtersets import CityFilterSet
from .serializers import CitySerializer, FocusAreaSerializer, MemberStateSerializer, StrategicOutcomeSerializer

SLUG = r"[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(
        summary="List the member states",
        description=(
            "The ten ASEAN member states with their number of cities and serving National "
            "Representative. Order with `ordering`."
        ),
    ),
    retrieve=extend_schema(
        summary="Read a member state",
        description="One member state by its ISO 3166 code, e.g. `TH`.",
    ),
)
class MemberStateViewSet(viewsets.ReadOnlyModelViewSet):
    """ASEAN Member States, with their city counts and serving National Representative."""

    serializer_class = MemberStateSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z]{2}"
    ordering_fields = ["code", "short_name", "city_count"]
    ordering = ["short_name"]
    filterset_fields = []

    def get_queryset(self):
        return selectors.member_states_visible_to(self.request.user)

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


@extend_schema_view(
    list=extend_schema(
        summary="List the cities",
        description=(
            "The network's cities. Filter with `member_state=TH`, `kind`, `status`, `joined_year`, "
            "`network` and `q` (name)."
        ),
    ),
    retrieve=extend_schema(
        summary="Read a city",
        description=("One city by its slug, e.g. `bangkok`, with its networks and serving Chief Smart City Officer."),
    ),
)
class CityViewSet(viewsets.ReadOnlyModelViewSet):
    """Member cities. Filter with `member_state=TH`, `joined_year=2018` (the pilots), `q=...`."""

    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["name", "joined_year", "population", "member_state__code"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.cities_visible_to(self.request.user)


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["position", "name"]
    ordering = ["position"]
    filterset_fields = []
    selector = None

    def get_queryset(self):
        return self.selector(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List the focus areas",
        description="The six development focus areas of the ASEAN Smart Cities Framework.",
    ),
    retrieve=extend_schema(
        summary="Read a focus area",
        description="One focus area by its slug, e.g. `quality-environment`.",
    ),
)
class FocusAreaViewSet(FrameworkViewSet):
    """The six development focus areas of the ASEAN Smart Cities Framework."""

    serializer_class = FocusAreaSerializer
    selector = staticmethod(selectors.focus_areas_visible_to)


@extend_schema_view(
    list=extend_schema(
        summary="List the strategic outcomes",
        description="The three strategic outcomes of the ASEAN Smart Cities Framework.",
    ),
    retrieve=extend_schema(
        summary="Read a strategic outcome",
        description="One strategic outcome by its slug.",
    ),
)
class StrategicOutcomeViewSet(FrameworkViewSet):
    """The three strategic outcomes of the ASEAN Smart Cities Framework."""

    serializer_class = StrategicOutcomeSerializer
    selector = staticmethod(selectors.strategic_outcomes_visible_to)
