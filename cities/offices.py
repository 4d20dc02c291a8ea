"""The offices of the directory a person holds today: National Representative, CSCO, city team.

Also who is in the audiences of announcements that these offices make up.

Read with the person's other offices in one statement (`ascn_portal.accounts.offices`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

from ascn_portal.accounts.offices import (
    TERM_SQL,
    OfficeKind,
    offices_from,
    quote_table,
    register_office_kind,
    register_office_source,
)
from ascn_portal.notifications.choices import Audience
from ascn_portal.notifications.services import register_audience

from .choices import AppointmentRole


@dataclass(frozen=True)
class Roles:
    """The directory offices a person holds today."""

    nr_of_states: frozenset[int] = field(default_factory=frozenset)
    csco_of_cities: frozenset[int] = field(default_factory=frozenset)
    team_of_cities: frozenset[int] = field(default_factory=frozenset)

    @property
    def officer_of_cities(self) -> frozenset[int]:
        return self.csco_of_cities | self.team_of_cities

    @property
    def any(self) -> bool:
        return bool(self.nr_of_states or self.officer_of_cities)


NO_ROLES = Roles()


def _appointments_select() -> str:
    from .models import Appointment

    return (
        f"SELECT role::text, member_state_id::bigint, city_id::bigint FROM {quote_table(Appointment)} "
        f"WHERE user_id = %(user)s AND {TERM_SQL}"
    )


register_office_source("appointment", _appointments_select)


def roles_of(user) -> Roles:
    cached = getattr(user, "_offices_roles", None)
    if cached is not None:
        return cached
    offices = offices_from(user, "appointment")
    if not offices:
        return NO_ROLES
    by_role = {role: set() for role in AppointmentRole.values}
    for office in offices:
        if office.office == AppointmentRole.NATIONAL_REPRESENTATIVE:
            by_role[office.office].add(office.first_id)
        else:
            by_role[office.office].add(office.second_id)
    user._offices_roles = Roles(
        frozenset(by_role[AppointmentRole.NATIONAL_REPRESENTATIVE]),
        frozenset(by_role[AppointmentRole.CSCO]),
        frozenset(by_role[AppointmentRole.CITY_TEAM]),
    )
    return user._offices_roles


def _nrs():
    from .models import Appointment

    return _holders(Appointment.objects.active().filter(role=AppointmentRole.NATIONAL_REPRESENTATIVE))


def _city_officers():
    from .models import Appointment

    return _holders(Appointment.objects.active().filter(role__in=[AppointmentRole.CSCO, AppointmentRole.CITY_TEAM]))


def _holders(appointments):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=appointments.values("user_id"))


register_audience(Audience.NATIONAL_REPRESENTATIVES, _nrs)
register_audience(Audience.CITY_OFFICERS, _city_officers)


# Offices a person can be given: create_account and account_create ---------------------------


def _appoint(role: str):
    def appoint(*, user, target, title, starts_on) -> tuple[str, str]:
        from .models import Appointment

        appointment = Appointment(
            user=user,
            role=role,
            member_state=target if role == AppointmentRole.NATIONAL_REPRESENTATIVE else None,
            city=None if role == AppointmentRole.NATIONAL_REPRESENTATIVE else target,
            title=title,
            starts_on=starts_on,
        )
        appointment.full_clean()  # runs the exclusion constraints: a clear message, not an IntegrityError
        appointment.save()
        link = appointment.city.get_absolute_url() if appointment.city else ""
        return f"{appointment.get_role_display()} of {appointment.office}", link

    return appoint


def _holds(role: str):
    def holds(*, user, target) -> bool:
        from .models import Appointment

        place = {"member_state": target} if role == AppointmentRole.NATIONAL_REPRESENTATIVE else {"city": target}
        return Appointment.objects.active().filter(user=user, role=role, **place).exists()

    return holds


def _find(model_name: str, field: str, transform=str):
    def find(value: str):
        model = apps.get_model("cities", model_name)
        try:
            return model.objects.get(**{field: transform(value)})
        except model.DoesNotExist:
            raise LookupError(value) from None

    return find


_state = _find("MemberState", "code", str.upper)
_city = _find("City", "slug")
register_office_kind(
    OfficeKind("nr", "member_state", _appoint(AppointmentRole.NATIONAL_REPRESENTATIVE), _state,
               "ISO code of the member state", _holds(AppointmentRole.NATIONAL_REPRESENTATIVE)),
    OfficeKind("csco", "city", _appoint(AppointmentRole.CSCO), _city, "the city's slug",
               _holds(AppointmentRole.CSCO)),
    OfficeKind("city_team", "city", _appoint(AppointmentRole.CITY_TEAM), _city, "the city's slug",
               _holds(AppointmentRole.CITY_TEAM)),
)  # fmt: skip
