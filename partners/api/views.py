from rest_framework import viewsets

from .. import selectors
from ..filtersets import PartnerFilterSet
from .serializers import PartnerSerializer


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """ASEAN's external partners and the companies and banks that support cities.

    Filter with `kind=dialogue`, `country=JP`, `focus_area=<slug>`, `member_state=TH`,
    `support_type=financing`, `q=...`.
    """

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    ordering_fields = ["name", "kind", "country"]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.partners_visible_to(self.request.user)
