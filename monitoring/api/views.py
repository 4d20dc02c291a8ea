from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from ..models import MonitoringRound
from ..rollup import network_view
from .serializers import RollupSerializer


@extend_schema_view(
    retrieve=extend_schema(
        summary="Read a year's roll-up",
        description=(
            "The network's implementation in a year: projects of approved plans running that year, their cost, "
            "funding secured, gap, cost-weighted percent complete and KPIs on or off track, by member state, "
            "city, focus area, strategic outcome and stage; partnerships by stage; the trend over the years. "
            "Figures per project for network members."
        ),
    ),
)
class RollupViewSet(viewsets.GenericViewSet):
    """The roll-up of monitoring figures, per year (`/api/v1/monitoring/2025/`)."""

    serializer_class = RollupSerializer
    queryset = MonitoringRound.objects.none()  # for the schema; the figures come from monitoring.rollup
    lookup_field = "year"
    lookup_value_regex = r"20[1-9][0-9]|2100"
    filterset_fields = []
    ordering_fields = []
    pagination_class = None

    def retrieve(self, request, *args, **kwargs):
        year = int(self.kwargs["year"])
        members = request.user.has_perm("monitoring.view_project_figures")
        context = {**self.get_serializer_context(), "may_see_projects": members}
        return Response(RollupSerializer(network_view(year, with_projects=members), context=context).data)
