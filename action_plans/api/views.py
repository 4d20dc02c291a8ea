from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ascn_portal.converters import ID_PATTERN

from .. import selectors, services
from ..filtersets import ActionPlanFilterSet
from .serializers import ActionPlanSerializer, ActionPlanUpdateSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List the action plans",
        description=(
            "Approved plans for everyone; officers and NRs also see their cities' drafts and plans in "
            "review. Filter with `member_state`, `city`, `state`, `focus_area`, `period` and `q`."
        ),
    ),
    retrieve=extend_schema(
        summary="Read an action plan",
        description="One Smart City Action Plan by its id.",
    ),
)
class ActionPlanViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Smart City Action Plans. The public sees approved plans; officers and NRs also their cities' drafts.

    A city's officers change a draft with PATCH, sending the `version` they read: if someone saved in
    between, the answer is 409 with the current version, and nothing is overwritten.
    """

    lookup_value_regex = ID_PATTERN  # an id out of range is a 404, not a database error

    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilterSet
    ordering_fields = ["period_start", "updated_at", "city__name"]
    ordering = ["city__name", "-period_start"]
    http_method_names = ["get", "patch", "head", "options"]
    policy_rules = {"partial_update": "action_plans.edit_plan"}

    def get_queryset(self):
        return selectors.action_plans_visible_to(self.request.user)

    def get_serializer_class(self):
        return ActionPlanUpdateSerializer if self.action == "partial_update" else ActionPlanSerializer

    @extend_schema(
        summary="Change a draft",
        description=(
            "A city's officers change their draft, sending the `version` they read. If someone saved in "
            "between, the answer is 409 with the current version, and nothing is overwritten."
        ),
        examples=[
            OpenApiExample(
                "A new vision", request_only=True, value={"version": 3, "vision": "A liveable, resilient city."}
            )
        ],
        request=ActionPlanUpdateSerializer,
        responses={200: ActionPlanSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = ActionPlanUpdateSerializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["Send the version you read."]})
        services.action_plan_update(plan=plan, by=request.user, version=version, **data)  # 409 if stale
        plan.refresh_from_db()
        return Response(ActionPlanSerializer(plan, context=self.get_serializer_context()).data)
