"""Reads of the network's directory, scoped and with their related rows loaded in bulk."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .choices import AppointmentRole
from .models import Appointment, Chairmanship, City, FocusArea, MemberState, StrategicOutcome


def _current(role: str, on: datetime.date | None = None) -> QuerySet[Appointment]:
    return Appointment.objects.active(on).filter(role=role).select_related("user").order_by("-starts_on")


def cities_visible_to(user) -> QuerySet[City]:
    """Every city is public; loads member state, networks and the serving CSCO with the list."""
    return City.objects.select_related("member_state").prefetch_related(
        "network_memberships__network",
        Prefetch("appointments", queryset=_current(AppointmentRole.CSCO), to_attr="current_cscos"),
    )


def city_get(*, slug: str, user) -> City:
    return get_object_or_404(
        cities_visible_to(user).prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.filter(role__in=[AppointmentRole.CSCO, AppointmentRole.CITY_TEAM])
                .select_related("user")
                .order_by("role", "-starts_on"),
                to_attr="officer_terms",
            ),
            Prefetch(
                "member_state__appointments",
                queryset=_current(AppointmentRole.NATIONAL_REPRESENTATIVE),
                to_attr="current_nrs",
            ),
        ),
        slug=slug,
    )


def member_states_visible_to(user) -> QuerySet[MemberState]:
    return MemberState.objects.annotate(
        city_count=Count("cities", distinct=True),
        pilot_city_count=Count("cities", filter=Q(cities__joined_year=2018), distinct=True),
    ).prefetch_related(
        Prefetch("appointments", queryset=_current(AppointmentRole.NATIONAL_REPRESENTATIVE), to_attr="current_nrs")
    )


def focus_areas_visible_to(user) -> QuerySet[FocusArea]:
    return FocusArea.objects.all()


def strategic_outcomes_visible_to(user) -> QuerySet[StrategicOutcome]:
    return StrategicOutcome.objects.all()


def ascn_chair(year: int | None = None) -> tuple[Chairmanship | None, Appointment | None]:
    """The ASCN chair of a year: the National Representative of the member state chairing ASEAN.

    For the current year, the NR serving today; for another year, the NR whose term covered most
    recently that year.
    """
    today = timezone.localdate()
    year = year or today.year
    chairmanship = Chairmanship.objects.select_related("member_state").filter(year=year).first()
    if chairmanship is None:
        return None, None
    terms = Appointment.objects.filter(
        role=AppointmentRole.NATIONAL_REPRESENTATIVE, member_state=chairmanship.member_state
    ).select_related("user")
    if year == today.year:
        nr = terms.active(today).first()
    else:
        nr = (
            terms.filter(starts_on__lte=datetime.date(year, 12, 31))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=datetime.date(year, 1, 1)))
            .order_by("-starts_on")
            .first()
        )
    return chairmanship, nr


def officers_of_city(city: City) -> QuerySet:
    """The people serving the city today: its CSCO and its team."""
    return get_user_model().objects.filter(
        pk__in=Appointment.objects.active()
        .filter(city=city, role__in=[AppointmentRole.CSCO, AppointmentRole.CITY_TEAM])
        .values("user_id")
    )


def national_representatives_of(city: City) -> QuerySet:
    """The National Representative serving the city's member state today (none or one)."""
    return get_user_model().objects.filter(
        pk__in=Appointment.objects.active()
        .filter(member_state_id=city.member_state_id, role=AppointmentRole.NATIONAL_REPRESENTATIVE)
        .values("user_id")
    )
