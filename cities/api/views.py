from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from .. import selectors
from ..filtersets import CityFilterSet
from ..forms import parse_day
from ..models import Chairmanship
from .serializers import (
    ChairSerializer,
    CitySerializer,
    FocusAreaSerializer,
    MemberStateSerializer,
    StrategicOutcomeSerializer,
    city_list_items,
    city_values,
)

SLUG = r"[-a-zA-Z0-9_]+"

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Show the office holders who served on that day (`YYYY-MM-DD`), past or present; today when absent.",
)


class AsOfMixin:
    """`?as_of=2019-06-01`: the offices as they stood on a day. A malformed day answers 400."""

    def as_of(self):
        raw = self.request.query_params.get("as_of")
        if raw is None:
            return None
        day = parse_day(raw)
        if day is None:
            raise ValidationError({"as_of": ["Give a day as YYYY-MM-DD."]})
        return day


@extend_schema_view(
    list=extend_schema(
        summary="List the member states",
        description=(
            "The ten ASEAN member states with their number of cities and serving National "
            "Representative (on `as_of`, if given). Order with `ordering`."
        ),
        parameters=[AS_OF],
    ),
    retrieve=extend_schema(
        summary="Read a member state",
        description="One member state by its ISO 3166 code, e.g. `TH`, with its NR today or on `as_of`.",
        parameters=[AS_OF],
    ),
)
class MemberStateViewSet(AsOfMixin, viewsets.ReadOnlyModelViewSet):
    """ASEAN Member States, with their city counts and serving National Representative."""

    serializer_class = MemberStateSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z]{2}"
    ordering_fields = ["code", "short_name", "city_count"]
    ordering = ["short_name"]
    filterset_fields = []

    def get_queryset(self):
        return selectors.member_states_visible_to(self.request.user, on=self.as_of())

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


@extend_schema_view(
    list=extend_schema(
        summary="List the cities",
        description=(
            "The network's cities. Filter with `member_state=TH`, `kind`, `status`, `joined_year`, "
            "`network` and `q` (name). `as_of` gives each city's Chief Smart City Officer on that day."
        ),
        parameters=[AS_OF],
    ),
    retrieve=extend_schema(
        summary="Read a city",
        description=(
            "One city by its slug, e.g. `bangkok`, with its networks and its Chief Smart City Officer "
            "today or on `as_of`."
        ),
        parameters=[AS_OF],
    ),
)
class CityViewSet(AsOfMixin, viewsets.ReadOnlyModelViewSet):
    """Member cities. Filter with `member_state=TH`, `joined_year=2018` (the pilots), `q=...`."""

    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["name", "joined_year", "population", "member_state__code"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.cities_visible_to(self.request.user, on=self.as_of())

    def list(self, request, *args, **kwargs):
        """A page of cities written from plain values (`city_list_items`), the same items as the serializer's."""
        rows = self.paginate_queryset(city_values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(city_list_items(rows, self.get_serializer_context(), self.as_of()))


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


@extend_schema_view(
    list=extend_schema(
        summary="List the ASCN chairs",
        description=(
            "Each year's chair of the network, newest first: the member state chairing ASEAN that year and its "
            "National Representative then (the one serving today for the current year)."
        ),
    ),
    retrieve=extend_schema(summary="Read a year's ASCN chair", description="The chair of one year, e.g. `2018`."),
)
class ChairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The ASCN chair of each year (the ASEAN chair's National Representative)."""

    serializer_class = ChairSerializer
    queryset = Chairmanship.objects.none()  # for the schema; the rows come from selectors.chairs
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"
    filterset_fields = []
    ordering_fields = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(selectors.chairs(), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        year = int(self.kwargs["year"])
        for row in selectors.chairs():
            if row.chairmanship.year == year:
                return Response(self.get_serializer(row).data)
        raise NotFound("No chair is recorded for that year.")
