"""Reads for events: one function per list, scoped by what the person may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ascn_portal.accounts.offices import is_secretariat
from ascn_portal.visibility import Visibility

from .choices import RegistrationStatus
from .models import Event, Registration

CONFIRMED = Q(registrations__status=RegistrationStatus.CONFIRMED)
PRESENT = CONFIRMED & Q(registrations__checked_in_at__isnull=False)


def event_visibility(user) -> Visibility:
    """Published events for everyone; the secretariat also sees those it is still preparing."""
    return Visibility.of({"published": {True}}, everything=is_secretariat(user))


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.select_related("member_state", "venue_city").filter(event_visibility(user).q())


def events_upcoming(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Events not over yet, soonest first."""
    return queryset.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")


def events_past(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Events held, and those of the record without dates, latest first."""
    return queryset.filter(Q(ends_at__lt=timezone.now()) | Q(ends_at__isnull=True)).order_by(
        "-year", "-starts_at", "-pk"
    )


def with_figures(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Each event's figures in the same query: seats taken, waitlist, delegates present, cities and
    member states represented among them."""
    return queryset.annotate(
        confirmed_count=Count("registrations", filter=CONFIRMED, distinct=True),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED), distinct=True
        ),
        delegates_present=Count("registrations", filter=PRESENT, distinct=True),
        cities_present=Count("registrations__city", filter=PRESENT, distinct=True),
        member_states_present=Count("registrations__member_state", filter=PRESENT, distinct=True),
        cities_registered=Count("registrations__city", filter=CONFIRMED, distinct=True),
        member_states_registered=Count("registrations__member_state", filter=CONFIRMED, distinct=True),
    )


def registrations_of(event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related("person", "city", "member_state", "partner", "registered_by")


def registrations_for_check_in(event: Event, q: str = "") -> QuerySet[Registration]:
    """Confirmed delegates, by name; searched by name, email, title or delegation."""
    found = registrations_of(event).filter(status=RegistrationStatus.CONFIRMED)
    if q:
        found = found.filter(
            Q(person__full_name__icontains=q) | Q(person__email__icontains=q) | Q(role_title__icontains=q)
            | Q(city__name__icontains=q) | Q(member_state__short_name__icontains=q) | Q(partner__name__icontains=q)
        )  # fmt: skip
    return found.order_by("person__full_name", "pk")


def member_state_of(registration):
    """The member state a delegate comes for: its own, its city's, or none (a partner's delegate)."""
    if registration.member_state_id:
        return registration.member_state
    return registration.city.member_state if registration.city_id else None


def delegations_by_member_state(registrations) -> list[list]:
    """One row per delegation (member state, delegation, confirmed, waitlisted, present), by member
    state; partners' delegations last."""
    rows: dict[tuple[str, str], list[int]] = {}
    for registration in registrations:
        state = member_state_of(registration)
        key = (str(state) if state else "", registration.delegation or "(own registration)")
        counts = rows.setdefault(key, [0, 0, 0])
        if registration.status == "confirmed":
            counts[0] += 1
            counts[2] += 1 if registration.checked_in_at else 0
        elif registration.status == "waitlisted":
            counts[1] += 1
    ordered = sorted(rows.items(), key=lambda item: (item[0][0] == "", item[0]))
    return [[state or "partners and others", delegation, *counts] for (state, delegation), counts in ordered]
