from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from action_plans.api.views import ActionPlanViewSet, ProgressReportViewSet
from ascn_portal.api.ping import PingView
from catalogue.api.views import PriorityProjectViewSet
from cities.api.views import ChairViewSet, CityViewSet, FocusAreaViewSet, MemberStateViewSet, StrategicOutcomeViewSet
from events.api.views import EventViewSet
from monitoring.api.views import RollupViewSet
from partners.api.views import PartnershipViewSet, PartnerViewSet, TwinningViewSet


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("member-states", MemberStateViewSet, basename="member-state")
router.register("cities", CityViewSet, basename="city")
router.register("chairs", ChairViewSet, basename="chair")
router.register("strategic-outcomes", StrategicOutcomeViewSet, basename="strategic-outcome")
router.register("focus-areas", FocusAreaViewSet, basename="focus-area")
router.register("partners", PartnerViewSet, basename="partner")
router.register("action-plans", ActionPlanViewSet, basename="action-plan")
router.register("projects", PriorityProjectViewSet, basename="project")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("events", EventViewSet, basename="event")
router.register("twinnings", TwinningViewSet, basename="twinning")
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("monitoring", RollupViewSet, basename="rollup")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("ping/", PingView.as_view(), name="api-ping"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the page runs under a strict CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
