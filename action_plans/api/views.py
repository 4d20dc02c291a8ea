from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ascn_portal.api.permissions import PolicyPermission
from ascn_portal.converters import ID_PATTERN
from ascn_portal.errors import Conflict

from .. import selectors, services
from ..filtersets import ActionPlanFilterSet, ProgressReportFilterSet
from .serializers import (
    ActionPlanSerializer,
    ActionPlanUpdateSerializer,
    ProgressReportSerializer,
    ProgressReportWriteSerializer,
)


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


@extend_schema_view(
    list=extend_schema(
        summary="List the progress reports",
        description=(
            "Network members read every progress report of an approved plan's projects. Filter with "
            "`member_state`, `city`, `project`, `year` and `status`."
        ),
    ),
    retrieve=extend_schema(summary="Read a progress report", description="One project's report for one year."),
)
class ProgressReportViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Projects' yearly progress reports. A city's CSCO files one (POST) and corrects it (PATCH with the
    `version` read: a stale one answers 409), under the same rules as the pages: while the city's
    monitoring report is with the secretariat or accepted, its reports do not change (409)."""

    lookup_value_regex = ID_PATTERN
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    ordering_fields = ["year", "updated_at", "percent_complete"]
    ordering = ["-year", "project_id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy_rules = {"create": "action_plans.file_any_progress", "partial_update": "action_plans.file_progress"}
    permission_classes = [IsAuthenticated, PolicyPermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.progress_reports_visible_to(self.request.user).none()
        if not self.request.user.has_perm("action_plans.view_progress"):
            raise PermissionDenied("Progress reports are for members of the network.")
        return selectors.progress_reports_visible_to(self.request.user)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj.project)  # the rule is about the report's project

    @extend_schema(summary="File a progress report", request=ProgressReportWriteSerializer,
                   responses={201: ProgressReportSerializer})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = self._valid(request.data)
        project = selectors.projects_visible_to(request.user).filter(pk=data["project"]).first()
        if project is None:
            raise ValidationError({"project": ["No such project, or not yours to report on."]})
        if project.progress_reports.filter(year=data["year"]).exists():
            raise Conflict(f"This project already has a {data['year']} report; PATCH it with its version.")
        report = self._save(project, data, version=0)
        return Response(self._out(report), status=201)

    @extend_schema(summary="Correct a progress report", request=ProgressReportWriteSerializer,
                   responses={200: ProgressReportSerializer})  # fmt: skip
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        funded = report.funding_secured_usd
        current = {"project": report.project_id, "year": report.year, "status": report.status,
                   "percent_complete": report.percent_complete, "narrative": report.narrative,
                   "kpi_values": report.kpi_values,
                   "funding_secured_usd": None if funded is None else str(funded)}  # fmt: skip
        incoming = request.data if isinstance(request.data, dict) else {}
        for fixed in ("project", "year"):
            if fixed in incoming and incoming[fixed] != current[fixed]:
                raise ValidationError({fixed: ["A report's project and year do not change."]})
        if "version" not in incoming:
            raise ValidationError({"version": ["Send the version you read."]})
        merged = {**{k: v for k, v in current.items() if v is not None},
                  **{k: v for k, v in incoming.items() if k not in ("project", "year")}}  # fmt: skip
        data = self._valid(merged)
        report = self._save(report.project, data, version=data["version"])
        return Response(self._out(report))

    def _valid(self, data) -> dict:
        serializer = ProgressReportWriteSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _save(self, project, data, version):
        return services.progress_report_save(
            project=project, by=self.request.user, year=data["year"], percent_complete=data["percent_complete"],
            status=data["status"], narrative=data.get("narrative", ""), kpi_values=data.get("kpi_values") or {},
            funding_secured_usd=data.get("funding_secured_usd"), version=version,
        )  # fmt: skip

    def _out(self, report):
        report = selectors.progress_reports_visible_to(self.request.user).get(pk=report.pk)
        return ProgressReportSerializer(report, context=self.get_serializer_context()).data
