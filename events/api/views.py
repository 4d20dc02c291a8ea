from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ascn_portal.api.pagination import SyncPagination
from ascn_portal.api.permissions import PolicyPermission
from ascn_portal.api.sync import SyncedListMixin

from .. import selectors, services
from ..choices import RegistrationStatus
from ..filtersets import EventFilterSet
from ..models import Session
from .serializers import (
    CancelSerializer,
    EventDetailSerializer,
    EventSerializer,
    RegisterSerializer,
    RegistrationSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List the events",
        description=(
            "Workshops, annual meetings and summits. Filter with `kind`, `year`, `member_state`, "
            "`when=upcoming|past` and `q`."
        ),
    ),
    retrieve=extend_schema(
        summary="Read an event",
        description=(
            "One event by its slug, with its agenda, outcomes and figures; times in UTC with the venue's time zone."
        ),
    ),
)
class EventViewSet(SyncedListMixin, viewsets.ReadOnlyModelViewSet):
    """Events of the network. Filter with `kind`, `year`, `member_state`, `when=upcoming|past`, `q`.

    Signed-in members register with `POST .../register/` (empty body for themselves; a `delegation`
    and `members` for a delegation they lead), see their registrations at `.../registrations/`
    and cancel with `POST .../cancel/`.
    """

    filterset_class = EventFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    ordering_fields = ["starts_at", "year", "name"]
    ordering = ["-year", "-starts_at", "name"]
    pagination_class = SyncPagination
    sync_resource = "events"
    policy_rules = {"register": "events.see_event", "cancel": "events.see_event"}

    def get_queryset(self):
        events = selectors.with_figures(selectors.events_visible_to(self.request.user))
        if self.action == "retrieve":
            events = events.prefetch_related(
                Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk")),
                "outcomes__strategic_outcomes", "outcomes__focus_areas", "outcomes__cities", "outcomes__partners",
                "outcomes__action_plans",
            )  # fmt: skip
        return events

    def sync_visibility(self):
        return selectors.event_visibility(self.request.user)

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    @extend_schema(
        summary="Register for an event",
        description=(
            "An empty body registers you; a delegation lead (CSCO, NR, partner's contact) sends `delegation` "
            "and `members`. Seats are given in order; the rest wait on the list."
        ),
        examples=[
            OpenApiExample("Yourself", request_only=True, value={}),
            OpenApiExample(
                "A city's delegation",
                request_only=True,
                value={
                    "delegation": "city:bangkok",
                    "members": [{"full_name": "Anan Chai", "email": "anan@bangkok.example", "title": "Engineer"}],
                },
            ),
        ],
        request=RegisterSerializer,
        responses={201: RegistrationSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, PolicyPermission], filter_backends=[],
            pagination_class=None)  # fmt: skip
    def register(self, request, slug=None):
        event = self.get_object()
        body = RegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data.get("delegation"):
            if not request.user.has_perm("events.register_delegation", event):
                raise PermissionDenied("Only a CSCO, an NR or a partner's contact registers a delegation.")
            registrations = services.delegation_register(
                event=event, by=request.user, delegation=body.validated_data["delegation"],
                members=body.validated_data["members"],
            )  # fmt: skip
        else:
            if not request.user.has_perm("events.register_self", event):
                raise PermissionDenied(
                    "This event's audience does not include you; a delegation lead may register you."
                )
            registrations = [services.registration_self(event=event, by=request.user)]
        data = RegistrationSerializer(registrations, many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a registration",
        description="Your own (empty body), or one you made for your delegation (`registration`); the list moves up.",
        request=CancelSerializer,
        responses={200: RegistrationSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, PolicyPermission], filter_backends=[],
            pagination_class=None)  # fmt: skip
    def cancel(self, request, slug=None):
        event = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        if "registration" in body.validated_data:
            registration = get_object_or_404(active, pk=body.validated_data["registration"])
        else:
            registration = active.filter(person=request.user).first()
            if registration is None:
                raise NotFound("You are not registered for this event.")
        if not request.user.has_perm("events.cancel_registration", registration):
            raise NotFound("No such registration.")
        services.registration_cancel(registration=registration, by=request.user)
        registration.refresh_from_db()
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(
        summary="List registrations",
        description="Your registration and those you made for your delegation; the secretariat sees all.",
        responses={200: RegistrationSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated, PolicyPermission], filter_backends=[],
            pagination_class=None)  # fmt: skip
    def registrations(self, request, slug=None):
        """Your registration and those you made for your delegation; the secretariat sees all."""
        event = self.get_object()
        found = selectors.registrations_of(event)
        if not request.user.has_perm("events.check_in", event):
            found = found.filter(Q(person=request.user) | Q(registered_by=request.user))
        return Response(RegistrationSerializer(found.order_by("created_at", "pk"), many=True).data)
