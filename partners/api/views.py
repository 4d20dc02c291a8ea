from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from action_plans.selectors import projects_visible_to
from ascn_portal.api.idempotency import idempotent
from ascn_portal.api.pagination import SyncPagination
from ascn_portal.api.permissions import PolicyPermission
from ascn_portal.api.schema import ErrorSerializer
from ascn_portal.api.sync import SyncedListMixin
from ascn_portal.converters import ID_PATTERN

from .. import selectors, services
from ..filtersets import PartnerFilterSet, PartnershipFilterSet, TwinningFilterSet
from ..models import Twinning
from .serializers import (
    PartnerSerializer,
    PartnershipCreateSerializer,
    PartnershipMoveSerializer,
    PartnershipSerializer,
    PartnershipWithdrawSerializer,
    TwinningSerializer,
    TwinningWriteSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List the partners",
        description=(
            "ASEAN's external partners and others who support the cities. Filter with `kind`, "
            "`country`, `focus_area`, `member_state`, `support_type` and `q`."
        ),
    ),
    retrieve=extend_schema(
        summary="Read a partner",
        description="One partner by its slug, with its interests and active twinnings.",
    ),
)
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


IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER, required=False,
    description="Any unique string, such as a UUID; a retry with the same key returns the first answer.",
)  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        summary="List the twinnings",
        description="City-partner twinnings, active and past. Filter with `city`, `partner` and `status`.",
    ),
    retrieve=extend_schema(
        summary="Read a twinning",
        description="One twinning by its id.",
    ),
)
class TwinningViewSet(SyncedListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Twinnings of cities with external partners; `city=<slug>`, `partner=<slug>`, `status=active`.
    The secretariat records them with `POST` and starts or ends them with `PATCH`."""

    lookup_value_regex = ID_PATTERN  # an id out of range is a 404, not a database error

    serializer_class = TwinningSerializer
    filterset_class = TwinningFilterSet
    ordering_fields = ["starts_on"]
    ordering = ["city__name", "-starts_on"]
    pagination_class = SyncPagination
    sync_resource = "twinnings"
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy_rules = {"create": "partners.add_twinning", "partial_update": "partners.change_twinning"}

    def _write(self, twinning, data, status_code):
        focus_areas = data.pop("focus_areas", None)
        for name, value in data.items():
            setattr(twinning, name, value)
        twinning = services.twinning_save(twinning=twinning, by=self.request.user, focus_areas=focus_areas)
        body = TwinningSerializer(self.get_queryset().get(pk=twinning.pk), context=self.get_serializer_context())
        return Response(body.data, status=status_code)

    @extend_schema(
        summary="Record a twinning",
        description="The secretariat records a twinning, proposed or already active; one active twinning per city.",
        examples=[OpenApiExample("Chonburi with Yokohama", request_only=True,
                                 value={"city": "chonburi", "partner": "japan", "status": "active",
                                        "memorandum_reference": "MOU-2019-01"})],
        request=TwinningWriteSerializer,
        responses={201: TwinningSerializer},
    )  # fmt: skip
    def create(self, request, *args, **kwargs):
        body = TwinningWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._write(Twinning(), dict(body.validated_data), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start, end or correct a twinning",
        description="`status: active` starts it, `status: ended` ends it; both sides are told.",
        examples=[OpenApiExample("End it", request_only=True, value={"status": "ended", "ends_on": "2026-12-31"})],
        request=TwinningWriteSerializer,
        responses={200: TwinningSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        twinning = self.get_object()
        body = TwinningWriteSerializer(twinning, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        return self._write(Twinning.objects.get(pk=twinning.pk), dict(body.validated_data), status.HTTP_200_OK)

    def get_queryset(self):
        return selectors.twinnings_visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List your partnerships",
        description=(
            "Partnerships you may follow: your partner's, your city's, your member state's; the "
            "secretariat sees all. Filter with `stage`, `partner`, `city` and `project`."
        ),
    ),
    retrieve=extend_schema(
        summary="Read a partnership",
        description="One partnership with its consortium and the moves it went through.",
    ),
)
class PartnershipViewSet(
    SyncedListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Project partnerships. A partner's contact sees its own and proposes one with `POST` (send an
    `Idempotency-Key` header to retry safely), withdraws with `PATCH {"stage": "withdrawn"}`; the
    city side and the secretariat move it with `POST .../move/`.
    """

    lookup_value_regex = ID_PATTERN  # an id out of range is a 404, not a database error

    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet
    # Partnerships are the business of their sides: every operation needs a sign-in (401 without).
    permission_classes = [IsAuthenticated, PolicyPermission]
    ordering_fields = ["updated_at", "created_at", "amount_usd"]
    ordering = ["-updated_at", "-id"]
    pagination_class = SyncPagination
    sync_resource = "partnerships"
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy_rules = {"create": "partners.propose_partnership", "partial_update": "partners.withdraw_partnership",
                    "move": "partners.advance_partnership"}  # fmt: skip

    def get_queryset(self):
        return selectors.partnerships_visible_to(self.request.user)

    def sync_visibility(self):
        return selectors.partnership_visibility(self.request.user)

    def _answer(self, partnership, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=partnership.pk)
        return Response(PartnershipSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(
        summary="Express interest in a project",
        description=(
            "A partner's contact proposes a partnership on a published project: the support offered, an "
            "amount, a message, and a consortium with exactly one lead. The city's officers and the "
            "secretariat are told. Send an `Idempotency-Key` to retry safely."
        ),
        examples=[
            OpenApiExample(
                "Financing with a consortium",
                request_only=True,
                value={
                    "project": 42,
                    "support_type": "financing",
                    "amount_usd": "1500000.00",
                    "message": "We can finance the sensors.",
                    "consortium": [{"company": "Hitachi", "country": "JP", "is_lead": True}],
                },
            )
        ],
        request=PartnershipCreateSerializer,
        responses={
            201: PartnershipSerializer,
            422: OpenApiResponse(ErrorSerializer, description="This Idempotency-Key was used with another body."),
        },
        parameters=[IDEMPOTENCY],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = PartnershipCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = projects_visible_to(request.user).filter(pk=data["project"]).first()
        if project is None:
            raise NotFound("No published project has this id.")
        speaking_for = services.partners_of(request.user)
        if data.get("partner"):
            speaking_for = speaking_for.filter(slug=data["partner"])
        partner = speaking_for.first()
        if partner is None:
            raise PermissionDenied("You do not speak for a partner (or not for that one).")
        partnership = services.partnership_express_interest(
            project=project, partner=partner, by=request.user, support_type=data["support_type"],
            amount_usd=data.get("amount_usd"), message=data["message"], consortium=data.get("consortium", []),
        )  # fmt: skip
        return self._answer(partnership, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw your interest",
        description="The partner withdraws while nothing is finalised; the city and the secretariat are told.",
        examples=[
            OpenApiExample("Withdraw", request_only=True, value={"stage": "withdrawn", "comment": "Budget cut."})
        ],
        request=PartnershipWithdrawSerializer,
        responses={200: PartnershipSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        partnership = self.get_object()
        body = PartnershipWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._move(partnership, "withdraw", body.validated_data["comment"])

    @extend_schema(
        summary="Move a partnership on",
        description=(
            "The city side (or the secretariat) moves it: `discuss`, `sign_mou`, `finalise`, `implement`, "
            "`complete` or `decline`. A move its stage does not allow is a 409; the partner is told."
        ),
        examples=[OpenApiExample("Start discussing", request_only=True, value={"action": "discuss", "comment": ""})],
        request=PartnershipMoveSerializer,
        responses={200: PartnershipSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        partnership = self.get_object()
        body = PartnershipMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._move(partnership, body.validated_data["action"], body.validated_data["comment"])

    def _move(self, partnership, action_name, comment):
        # A move the partnership's stage does not allow is a Conflict (409); another side's move a 403.
        partnership = services.partnership_move(partnership=partnership, action=action_name,
                                                by=self.request.user, comment=comment)  # fmt: skip
        return self._answer(partnership)
