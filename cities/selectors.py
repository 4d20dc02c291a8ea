"""Reads of the network's directory, scoped and with their related rows loaded in bulk."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .choices import AppointmentRole
from .models import Appointment, Chairmanship, City, FocusArea, MemberState, StrategicOutcome


def _current(role: str, on: datetime.date | None = None) -> QuerySet[Appointment]:
    return Appointment.objects.active(on).filter(role=role).select_related("user").order_by("-starts_on")


def cities_visible_to(user, on: datetime.date | None = None) -> QuerySet[City]:
    """Every city is public; loads member state, networks and the CSCO serving today (or on `on`)."""
    return City.objects.select_related("member_state").prefetch_related(
        "network_memberships__network",
        Prefetch("appointments", queryset=_current(AppointmentRole.CSCO, on), to_attr="current_cscos"),
    )


def city_get(*, slug: str, user) -> City:
    """A city with every officer term, past and present, of the city and of its member state's NR."""
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
                queryset=Appointment.objects.filter(role=AppointmentRole.NATIONAL_REPRESENTATIVE)
                .select_related("user")
                .order_by("-starts_on"),
                to_attr="nr_terms",
            ),
        ),
        slug=slug,
    )


@dataclass(frozen=True)
class Roster:
    """Who held which office on a day, from a list of terms (past, present and future)."""

    on: datetime.date
    terms: list[Appointment]

    def serving(self, role: str) -> list[Appointment]:
        return [t for t in self.terms if t.role == role and t.is_active(self.on)]

    def holder(self, role: str) -> Appointment | None:
        serving = self.serving(role)
        return serving[0] if serving else None

    def others(self) -> list[Appointment]:
        """The terms that did not cover the day: before it, after it."""
        return [t for t in self.terms if not t.is_active(self.on)]


def member_state_get(*, code: str, user) -> MemberState:
    """A member state with every NR term, its cities and each city's CSCO terms."""
    return get_object_or_404(
        member_states_visible_to(user).prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.filter(role=AppointmentRole.NATIONAL_REPRESENTATIVE)
                .select_related("user")
                .order_by("-starts_on"),
                to_attr="nr_terms",
            ),
            Prefetch(
                "cities",
                queryset=City.objects.order_by("name").prefetch_related(
                    Prefetch(
                        "appointments",
                        queryset=Appointment.objects.filter(role=AppointmentRole.CSCO)
                        .select_related("user")
                        .order_by("-starts_on"),
                        to_attr="csco_terms",
                    )
                ),
                to_attr="city_list",
            ),
            Prefetch("chairmanships", queryset=Chairmanship.objects.order_by("-year"), to_attr="chair_years"),
        ),
        code=code.upper(),
    )


def member_states_visible_to(user, on: datetime.date | None = None) -> QuerySet[MemberState]:
    """Every member state, with its city counts and the NR serving today (or on `on`)."""
    return MemberState.objects.annotate(
        city_count=Count("cities", distinct=True),
        pilot_city_count=Count("cities", filter=Q(cities__joined_year=2018), distinct=True),
    ).prefetch_related(
        Prefetch("appointments", queryset=_current(AppointmentRole.NATIONAL_REPRESENTATIVE, on), to_attr="current_nrs")
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
    year = year or timezone.localdate().year
    chairmanship = Chairmanship.objects.select_related("member_state").filter(year=year).first()
    if chairmanship is None:
        return None, None
    terms = list(
        Appointment.objects.filter(role=AppointmentRole.NATIONAL_REPRESENTATIVE, member_state=chairmanship.member_state)
        .select_related("user")
        .order_by("-starts_on")
    )
    return chairmanship, chair_of_year(year, terms)


class Chair(NamedTuple):
    chairmanship: Chairmanship
    term: Appointment | None


def chairs() -> list[Chair]:
    """Every year's ASCN chair, newest first, in two queries: the chairing member states, and their NRs."""
    chairmanships = list(Chairmanship.objects.select_related("member_state").order_by("-year"))
    terms: dict[int, list[Appointment]] = {}
    for term in (
        Appointment.objects.filter(
            role=AppointmentRole.NATIONAL_REPRESENTATIVE,
            member_state__in={c.member_state_id for c in chairmanships},
        )
        .select_related("user")
        .order_by("-starts_on")
    ):
        terms.setdefault(term.member_state_id, []).append(term)
    return [Chair(c, chair_of_year(c.year, terms.get(c.member_state_id, []))) for c in chairmanships]


def chair_of_year(year: int, terms: list[Appointment]) -> Appointment | None:
    """Of a chairing state's NR terms (newest first), the one serving today in the current year, else
    the latest to cover part of that year."""
    today = timezone.localdate()
    if year == today.year:
        return next((t for t in terms if t.is_active(today)), None)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return next((t for t in terms if t.starts_on <= last and (t.ends_on is None or t.ends_on >= first)), None)


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
