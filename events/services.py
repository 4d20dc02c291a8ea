"""Writes that mean something for events: seats taken and given back, check-in, changes announced."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ascn_portal.accounts.models import User
from ascn_portal.accounts.services import person_for_email
from ascn_portal.notifications.services import notify
from cities.models import City, MemberState
from cities.offices import roles_of
from partners.models import Partner
from partners.offices import partner_ids_of

from .choices import RegistrationStatus
from .models import Event, Registration, Session

MAX_DELEGATION = 50
TRACKED_CHANGES = {"starts_at": "time", "ends_at": "time", "venue": "venue", "place": "venue", "format": "venue"}


def _require(user: User, rule: str, obj) -> None:
    if not user.has_perm(rule, obj):
        raise PermissionDenied


@dataclass(frozen=True)
class Delegation:
    """The body a delegation comes for: a city, a member state or a partner."""

    key: str
    label: str
    city: City | None = None
    member_state: MemberState | None = None
    partner: Partner | None = None

    @property
    def fields(self) -> dict:
        return {"city": self.city, "member_state": self.member_state, "partner": self.partner}


def delegations_of(user: User) -> list[Delegation]:
    """The delegations a person may lead: their city as its CSCO, their member state as its NR, their partner."""
    roles = roles_of(user)
    found = []
    for city in City.objects.filter(pk__in=roles.csco_of_cities).select_related("member_state").order_by("name"):
        found.append(Delegation(f"city:{city.slug}", city.name, city=city, member_state=city.member_state))
    for state in MemberState.objects.filter(pk__in=roles.nr_of_states).order_by("short_name"):
        found.append(Delegation(f"member_state:{state.code}", state.short_name, member_state=state))
    for partner in Partner.objects.filter(pk__in=partner_ids_of(user)).order_by("name"):
        found.append(Delegation(f"partner:{partner.slug}", partner.name, partner=partner))
    return found


def _own_body(user: User) -> dict:
    """What a person comes for when they register themselves: their city, member state or partner."""
    roles = roles_of(user)
    if roles.officer_of_cities:
        city = City.objects.select_related("member_state").filter(pk__in=roles.officer_of_cities).order_by("name")[0]
        return {"city": city, "member_state": city.member_state}
    if roles.nr_of_states:
        return {"member_state": MemberState.objects.filter(pk__in=roles.nr_of_states).order_by("short_name")[0]}
    if partner_ids_of(user):
        return {"partner": Partner.objects.filter(pk__in=partner_ids_of(user)).order_by("name")[0]}
    return {}


def _lock(event: Event) -> Event:
    """Hold the event's row until commit: seats are counted and given out one registration at a time."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - taken, 0)


def _seat(event: Event, *, person: User, by: User, title: str = "", **body) -> Registration:
    """Give one person a seat, or a place on the waitlist when none is left (the event is locked)."""
    if event.registrations.filter(person=person).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise ValidationError({"email": f"{person.full_name or person.email} is already registered for this event."})
    left = _seats_left(event)
    now = timezone.now()
    confirmed = left is None or left > 0
    registration = Registration(
        event=event, person=person, registered_by=by, role_title=title, created_at=now,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
        confirmed_at=now if confirmed else None, **body,
    )  # fmt: skip
    registration.full_clean()
    registration.save()
    return registration


def _tell_registered(event: Event, registrations: list[Registration], by: User) -> None:
    for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED):
        people = [r.person for r in registrations if r.status == status]
        if people:
            notify(
                recipients=people, kind="event.registered", link=event.get_absolute_url(),
                context={"event": event.name, "when": event.when_text, "place": event.place, "status": status,
                         "by": by.full_name, "self": len(people) == 1 and people[0] == by},
            )  # fmt: skip


def registration_self(*, event: Event, by: User) -> Registration:
    """Take a seat for oneself (or a place on the waitlist)."""
    _require(by, "events.register_self", event)
    with transaction.atomic():
        event = _lock(event)
        problem = event.registration_problem()
        if problem:
            raise ValidationError(problem)
        registration = _seat(event, person=by, by=by, **_own_body(by))
        _tell_registered(event, [registration], by)
    return registration


def _person_for(member: dict) -> User:
    return person_for_email(member["email"], member.get("full_name", ""), member.get("organisation", ""))


def delegation_register(*, event: Event, by: User, delegation: str, members: list[dict]) -> list[Registration]:
    """Register a delegation's members in the order given: seats while they last, then the waitlist.

    `delegation` is one of the keys of `delegations_of(by)`; each member is a dict with `email`,
    `full_name` and optionally `title`. All are registered or none.
    """
    _require(by, "events.register_delegation", event)
    body = next((d for d in delegations_of(by) if d.key == delegation), None)
    if body is None:
        raise PermissionDenied("You do not lead that delegation.")
    if not members:
        raise ValidationError({"members": "Name at least one member of the delegation."})
    if len(members) > MAX_DELEGATION:
        raise ValidationError({"members": f"A delegation has at most {MAX_DELEGATION} members."})
    emails = [User.objects.normalize_email(m.get("email", "")).lower() for m in members]
    if len(set(emails)) != len(emails):
        raise ValidationError({"members": "The same email address is given twice."})
    with transaction.atomic():
        event = _lock(event)
        problem = event.registration_problem()
        if problem:
            raise ValidationError(problem)
        registrations = [
            _seat(event, person=_person_for(member), by=by, title=member.get("title", ""), **body.fields)
            for member in members
        ]
        _tell_registered(event, registrations, by)
    return registrations


def registration_cancel(*, registration: Registration, by: User) -> Registration | None:
    """Give a seat back; the first on the waitlist takes it. Returns the promoted registration, if any."""
    _require(by, "events.cancel_registration", registration)
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValidationError("This registration is already cancelled.")
        if event.is_past:
            raise ValidationError("The event is over; its registrations are kept as they were.")
        if registration.checked_in_at:
            raise ValidationError("This person has already been checked in.")
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        return _promote(event)


def _promote(event: Event) -> Registration | None:
    """Give a free seat to the first person on the waitlist (the event is locked)."""
    left = _seats_left(event)
    if left is not None and left <= 0:
        return None
    promoted = (
        event.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if promoted is None:
        return None
    promoted.status = RegistrationStatus.CONFIRMED
    promoted.confirmed_at = timezone.now()
    promoted.save(update_fields=["status", "confirmed_at"])
    notify(recipients=[promoted.person], kind="event.promoted", link=event.get_absolute_url(),
           context={"event": event.name, "when": event.when_text, "place": event.place})  # fmt: skip
    return promoted


def registration_check_in(*, registration: Registration, by: User, present: bool = True) -> Registration:
    """Mark a confirmed delegate present (or undo a mistaken check-in)."""
    _require(by, "events.check_in", registration.event)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError("Only a confirmed registration can be checked in.")
        registration.checked_in_at = timezone.now() if present else None
        registration.checked_in_by = by if present else None
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration


def event_save(*, event: Event, by: User) -> list[str]:
    """Save an event from the admin; a new time or venue raises its calendar sequence and tells everyone registered.

    Raising the capacity gives the new seats to the waitlist, in order. Returns what changed ("time", "venue").
    """
    _require(by, "events.change_event" if event.pk else "events.add_event", event)
    with transaction.atomic():
        before = Event.objects.select_for_update().filter(pk=event.pk).first() if event.pk else None
        changed = sorted({what for field, what in TRACKED_CHANGES.items()
                          if before and getattr(before, field) != getattr(event, field)})  # fmt: skip
        if changed:
            event.sequence = before.sequence + 1
        event.full_clean()
        event.save()
        event.sessions_moved = 0
        if before and before.starts_at and event.starts_at and before.starts_at != event.starts_at:
            # The agenda keeps its place in the event: moved by as much as the start moved.
            shift = event.starts_at - before.starts_at
            event.sessions_moved = Session.objects.filter(event=event).update(
                starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift
            )
        if before and (event.capacity is None or (before.capacity or 0) < event.capacity):
            while _promote(event):
                pass
        if changed:
            registered = User.objects.filter(
                Q(registrations__event=event)
                & Q(registrations__status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
            )
            notify(
                recipients=registered, kind="event.changed", link=event.get_absolute_url(),
                context={"event": event.name, "changed": changed, "when": event.when_text,
                         "was": before.when_text, "place": event.place, "venue": event.venue,
                         "was_place": before.place},
            )  # fmt: skip
    return changed
