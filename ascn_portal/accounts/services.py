"""Writes about people: accounts, appointments and invitations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ascn_portal.notifications.services import notify

from .models import User
from .offices import OFFICE_KINDS
from .tokens import invitation_token_generator


def roles() -> tuple[str, ...]:
    """The kinds of office a person can be given, as the apps that keep them registered them."""
    return tuple(OFFICE_KINDS)


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accept_invitation", kwargs={"uidb64": uid, "token": token})


def user_invite(*, user: User) -> None:
    """Email the person a one-time link to set their password (through the notification outbox)."""
    with transaction.atomic():
        notify(
            recipients=[user],
            kind="account.invitation",
            context={
                "days": settings.INVITATION_TIMEOUT // 86400,
                "offices": [str(a) for a in user.appointments.active()]
                + [str(c) for c in user.partner_contacts.active()],
            },
        )
        User.objects.filter(pk=user.pk).update(invited_at=timezone.now())


def account_create(
    *,
    email: str,
    role: str,
    full_name: str = "",
    password: str | None = None,
    title: str = "",
    starts_on: datetime.date | None = None,
    **held_in,
) -> User:
    """Create a person with one office: secretariat, NR, CSCO, city team member or partner contact.

    `held_in` gives what the office is held in, by the name its kind declares (`member_state=`,
    `city=`, `partner=`). An existing account gets the new office. The database refuses a second
    serving NR of a member state or CSCO of a city; that arrives here as a ValidationError and
    nothing is written. Giving a person an office they already hold changes nothing (and says so:
    the returned user's `already_held` is True), so a second run of the same command is harmless.
    """
    kind = OFFICE_KINDS.get(role)
    if kind is None:
        raise ValidationError({"role": f"Choose one of: {', '.join(roles())}."})
    target = held_in.get(kind.held_in) if kind.held_in else None
    if kind.held_in and target is None:
        raise ValidationError({kind.held_in: f"The {role} role needs a {kind.held_in.replace('_', ' ')}."})
    starts_on = starts_on or timezone.localdate()
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        existing = user is not None
        if user is None:
            user = User(email=email, full_name=full_name or email.split("@")[0])
            user.full_clean(exclude=["password"])
            if password:
                from django.contrib.auth.password_validation import validate_password

                validate_password(password, user)
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        elif full_name and user.full_name != full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        user.already_held = existing and kind.holds is not None and kind.holds(user=user, target=target)
        if user.already_held:
            return user
        office, link = kind.appoint(user=user, target=target, title=title, starts_on=starts_on)
        # Someone who has not set a password yet gets a fresh invitation listing all offices instead.
        if existing and role != "secretariat" and user.has_usable_password():
            notify(
                recipients=[user],
                kind="account.appointed",
                context={"office": office, "title": title, "starts_on": starts_on},
                link=link,
            )
    return user


def api_token_create(*, user: User, name: str, days: int):
    """A new API token for the person; returns (token, key). The key is shown once; only its hash is kept."""
    from knox.models import AuthToken

    from .models import ApiTokenInfo

    if not user.has_perm("accounts.hold_api_token"):
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": "Name the token, e.g. after the program that uses it."})
    if not 1 <= days <= 365:
        raise ValidationError({"days": "A token lasts between 1 and 365 days."})
    with transaction.atomic():
        token, key = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=days))
        ApiTokenInfo.objects.create(token=token, name=name.strip()[:100])
    return token, key


def api_token_revoke(*, user: User, digest: str) -> bool:
    """Revoke one of the person's own tokens; programs using it get 401 at once."""
    from knox.models import AuthToken

    deleted, _ = AuthToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)


def person_for_email(email: str, full_name: str = "", organisation: str = "") -> User:
    """The account of a person named by email (a delegate, an imported officer); one without a
    password is made for a newcomer, to be invited when they should sign in."""
    email = User.objects.normalize_email(email).lower()
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        person = User(email=email, full_name=(full_name or email.split("@")[0])[:200], organisation=organisation)
        person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save()
    return person
