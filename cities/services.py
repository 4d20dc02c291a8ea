"""Writes that mean something for the network's directory."""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.formats import date_format

from .choices import AppointmentRole
from .models import (
    Appointment,
    Chairmanship,
    City,
    CityNetwork,
    CityNetworkMembership,
    FocusArea,
    MemberState,
    StrategicOutcome,
)

REFERENCE_DIR = settings.BASE_DIR / "data" / "reference"


@dataclass
class LoadReport:
    """What a load did, per model: created, updated, unchanged."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(model._meta.verbose_name_plural, Counter())[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        ]


class ReferenceDataError(Exception):
    """A reference data file holds something the portal cannot accept."""


def reference_rows(directory: Path, filename: str):
    path = directory / filename
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield path, line, {key: (value or "").strip() for key, value in row.items()}


def reference_upsert(report: LoadReport, model, lookup: dict, values: dict, where: str):
    """Create or update one row so that it holds `values`; never touches other fields."""
    obj = model.objects.filter(**lookup).first()
    outcome = "unchanged"
    if obj is None:
        obj = model(**lookup, **values)
        outcome = "created"
    else:
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                outcome = "updated"
    if outcome != "unchanged":
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ReferenceDataError(f"{where}: {'; '.join(error.messages)}") from error
        obj.save()
    report.add(model, outcome)
    return obj


def _optional_int(value: str) -> int | None:
    return int(value.replace(",", "")) if value else None


def directory_reference_load(report: LoadReport, directory: Path = REFERENCE_DIR) -> LoadReport:
    """Load the directory's reference facts (member states, chairs, framework, cities, city networks)
    from CSV files; idempotent, updates changed facts. Other apps load their own (`seed_ascn`)."""
    with transaction.atomic():
        states = {}
        for path, line, row in reference_rows(directory, "member_states.csv"):
            states[row["code"]] = reference_upsert(
                report,
                MemberState,
                {"code": row["code"]},
                {"iso3": row["iso3"], "name": row["name"], "short_name": row["short_name"]},
                f"{path.name}:{line}",
            )

        def state(code: str, where: str) -> MemberState:
            try:
                return states.get(code) or MemberState.objects.get(code=code)
            except MemberState.DoesNotExist:
                raise ReferenceDataError(f"{where}: no member state with code {code!r}") from None

        for path, line, row in reference_rows(directory, "asean_chairs.csv"):
            where = f"{path.name}:{line}"
            reference_upsert(
                report, Chairmanship, {"year": int(row["year"])}, {"member_state": state(row["country"], where)}, where
            )

        for model, filename in ((StrategicOutcome, "strategic_outcomes.csv"), (FocusArea, "focus_areas.csv")):
            for path, line, row in reference_rows(directory, filename):
                reference_upsert(
                    report,
                    model,
                    {"slug": row["slug"]},
                    {"name": row["name"], "description": row["description"], "position": int(row["position"])},
                    f"{path.name}:{line}",
                )

        networks = {}
        for path, line, row in reference_rows(directory, "city_networks.csv"):
            networks[row["acronym"]] = reference_upsert(
                report,
                CityNetwork,
                {"acronym": row["acronym"]},
                {
                    "slug": row["acronym"].lower(),
                    "name": row["name"],
                    "focus": row["focus"],
                    "founded": _optional_int(row["founded"]),
                    "headquarters": row["headquarters"],
                    "members_worldwide": row["members_worldwide"],
                    "members_in_southeast_asia": row["members_in_southeast_asia"],
                },
                f"{path.name}:{line}",
            )

        cities = {}
        for path, line, row in reference_rows(directory, "cities.csv"):
            where = f"{path.name}:{line}"
            cities[row["slug"]] = reference_upsert(
                report,
                City,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "member_state": state(row["country"], where),
                    "latitude": Decimal(row["latitude"]),
                    "longitude": Decimal(row["longitude"]),
                    "joined_year": int(row["joined_year"]),
                    "kind": row.get("kind", ""),
                    "population": _optional_int(row.get("population", "")),
                },
                where,
            )

        for path, line, row in reference_rows(directory, "city_network_memberships.csv"):
            where = f"{path.name}:{line}"
            city = cities.get(row["city"]) or City.objects.filter(slug=row["city"]).first()
            network = networks.get(row["network"]) or CityNetwork.objects.filter(acronym=row["network"]).first()
            if city is None or network is None:
                raise ReferenceDataError(f"{where}: unknown city {row['city']!r} or network {row['network']!r}")
            reference_upsert(
                report, CityNetworkMembership, {"city": city, "network": network}, {"note": row["note"]}, where
            )

    return report


# --- Offices: appoint, end, hand over -------------------------------------------------------------

SINGLE_HOLDER_ROLES = (AppointmentRole.NATIONAL_REPRESENTATIVE, AppointmentRole.CSCO)


def term_text(term: Appointment) -> str:
    """'serving since 1 March 2019' or '1 March 2019 to 31 December 2020'."""
    since = date_format(term.starts_on, "j F Y")
    if term.ends_on is None:
        return f"serving since {since}"
    return f"{since} to {date_format(term.ends_on, 'j F Y')}"


def overlapping_term(appointment: Appointment) -> Appointment | None:
    """Someone else's term in the same office that overlaps this one (the database refuses both)."""
    if appointment.role in SINGLE_HOLDER_ROLES:
        place = (
            {"member_state_id": appointment.member_state_id}
            if appointment.role == AppointmentRole.NATIONAL_REPRESENTATIVE
            else {"city_id": appointment.city_id}
        )
    elif appointment.role == AppointmentRole.CITY_TEAM:
        place = {"city_id": appointment.city_id, "user_id": appointment.user_id}
    else:
        return None
    if not all(place.values()) or appointment.starts_on is None:
        return None
    terms = Appointment.objects.filter(role=appointment.role, **place).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=appointment.starts_on)
    )
    if appointment.ends_on:
        terms = terms.filter(starts_on__lte=appointment.ends_on)
    if appointment.pk:
        terms = terms.exclude(pk=appointment.pk)
    return terms.select_related("user", "city", "member_state").order_by("starts_on").first()


def overlap_message(appointment: Appointment, other: Appointment) -> str:
    if appointment.role == AppointmentRole.CITY_TEAM:
        return f"{other.user} is already on the team of {other.city} for that term ({term_text(other)})."
    return (
        f"{other.office} already has a {other.get_role_display()} for that term: {other.user.full_name or other.user}, "
        f"{term_text(other)}. End that term first, or hand the office over from its page."
    )


def appointment_check(appointment: Appointment) -> None:
    """Refuse, naming the current holder, a term that would overlap another in the same office."""
    other = overlapping_term(appointment)
    if other is not None:
        raise ValidationError({"starts_on": overlap_message(appointment, other)})


@transaction.atomic
def appointment_save(*, appointment: Appointment, by) -> Appointment:
    """Appoint someone, or correct a term. The office is locked so two appointments at once cannot
    both pass the check (the database's exclusion constraint is the last word either way)."""
    _lock_office(appointment)
    appointment_check(appointment)
    appointment.full_clean()
    appointment._history_user = by
    appointment.save()
    return appointment


@transaction.atomic
def appointment_end(*, appointment: Appointment, on: datetime.date, by) -> Appointment:
    """End a term on its last day in office (kept on record)."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.ends_on is not None and appointment.ends_on <= on:
        raise ValidationError(f"This term already ended on {date_format(appointment.ends_on, 'j F Y')}.")
    if on < appointment.starts_on:
        raise ValidationError(
            f"A term cannot end on {date_format(on, 'j F Y')}, before it began "
            f"({date_format(appointment.starts_on, 'j F Y')})."
        )
    appointment.ends_on = on
    appointment._history_user = by
    appointment.save(update_fields=["ends_on"])
    return appointment


@transaction.atomic
def appointment_hand_over(*, appointment: Appointment, successor, on: datetime.date, title: str, by) -> Appointment:
    """Hand an office over on a given day: the holder's last day is the day before, the successor's
    first day is that day. Both terms are kept; nobody holds the office twice on one day."""
    _lock_office(appointment)
    appointment = Appointment.objects.select_for_update().select_related("user").get(pk=appointment.pk)
    if successor.pk == appointment.user_id:
        raise ValidationError({"successor": f"{successor} already holds this office."})
    if on <= appointment.starts_on:
        raise ValidationError({"on": f"The hand-over must come after the term began ({term_text(appointment)})."})
    if appointment.ends_on is not None and appointment.ends_on < on - datetime.timedelta(days=1):
        raise ValidationError({"on": f"This term ended before that day ({term_text(appointment)})."})
    appointment.ends_on = on - datetime.timedelta(days=1)
    appointment._history_user = by
    appointment.save(update_fields=["ends_on"])
    following = Appointment(
        user=successor,
        role=appointment.role,
        member_state_id=appointment.member_state_id,
        city_id=appointment.city_id,
        title=title,
        starts_on=on,
    )
    other = overlapping_term(following)
    if other is not None:
        raise ValidationError({"on": overlap_message(following, other)})
    following.full_clean()
    following._history_user = by
    following.save()
    return following


def _lock_office(appointment: Appointment) -> None:
    """Serialise writes to one office: its member state or city row is locked for the transaction."""
    if appointment.role == AppointmentRole.NATIONAL_REPRESENTATIVE and appointment.member_state_id:
        MemberState.objects.select_for_update().filter(pk=appointment.member_state_id).first()
    elif appointment.city_id:
        City.objects.select_for_update().filter(pk=appointment.city_id).first()
