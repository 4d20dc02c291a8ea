from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cities.api.views import CityViewSet, FocusAreaViewSet, MemberStateViewSet, StrategicOutcomeViewSet
from partners.api.views import PartnerViewSet


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("member-states", MemberStateViewSet, basename="member-state")
router.register("cities", CityViewSet, basename="city")
router.register("strategic-outcomes", StrategicOutcomeViewSet, basename="strategic-outcome")
router.register("focus-areas", FocusAreaViewSet, basename="focus-area")
router.register("partners", PartnerViewSet, basename="partner")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
