"""The offices a person holds today, read in one statement on every signed-in request.

Offices live in the apps that own them (appointments in `cities`, partner contacts in `partners`);
each registers where its offices are (`register_office_source`), so this module imports none of
them. Membership of the secretariat group is registered here. `offices_of(user)` reads every
registered source in one `UNION ALL` and keeps the answer on the user object for the request;
the owning apps turn the rows into their own views (`cities.offices.roles_of`,
`partners.offices.partner_ids_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

SECRETARIAT_GROUP = "Secretariat"

# A term counts from `starts_on` to `ends_on` inclusive, as the models' `active()` querysets say.
TERM_SQL = "starts_on <= %(today)s AND (ends_on IS NULL OR ends_on >= %(today)s)"


@dataclass(frozen=True)
class Office:
    """One row of what a person holds: the source, the office and up to two ids it concerns."""

    source: str
    office: str
    first_id: int | None
    second_id: int | None


# name -> a function returning `SELECT office, first_id, second_id FROM ... WHERE user_id = %(user)s ...`
_SOURCES: dict[str, Callable[[], str]] = {}
_statement: str | None = None


def register_office_source(name: str, select: Callable[[], str]) -> None:
    """Declare where offices of one kind live (called from an app's `ready()`)."""
    global _statement
    _SOURCES[name] = select
    _statement = None


def quote_table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _secretariat_select() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    membership = get_user_model().groups.through
    return (
        f"SELECT 'secretariat'::text, NULL::bigint, NULL::bigint FROM {quote_table(membership)} member "
        f"JOIN {quote_table(Group)} g ON g.id = member.group_id "
        "WHERE member.user_id = %(user)s AND g.name = %(group)s"
    )


register_office_source("secretariat", _secretariat_select)


def secretariat_members():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=SECRETARIAT_GROUP)


def _sql() -> str:
    global _statement
    if _statement is None:
        _statement = " UNION ALL ".join(
            f"SELECT '{name}' AS source, q.* FROM ({select()}) q" for name, select in sorted(_SOURCES.items())
        )
    return _statement


def offices_of(user) -> tuple[Office, ...]:
    """Every office the person holds today (none for the anonymous or the inactive)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_offices", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_sql(), {"user": user.pk, "today": timezone.localdate(), "group": SECRETARIAT_GROUP})
        user._offices = tuple(Office(*row) for row in cursor.fetchall())
    return user._offices


def offices_from(user, source: str) -> tuple[Office, ...]:
    return tuple(office for office in offices_of(user) if office.source == source)


def forget_offices(user) -> None:
    """Drop what was read, after an office of this user changed."""
    for attr in list(vars(user)):
        if attr == "_offices" or attr.startswith("_offices_"):
            delattr(user, attr)


def is_secretariat(user) -> bool:
    """On the secretariat (or a superuser), signed in and active."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or offices_from(user, "secretariat"))


# Kinds of office a person can be given (create_account, the admin) ---------------------------


@dataclass(frozen=True)
class OfficeKind:
    """A kind of office, registered by the app that keeps it.

    `held_in` names what the office is held in (`city`, `member_state`, `partner`, or None for the
    secretariat); `find` turns what is typed on the command line into that object (LookupError if
    there is none); `appoint` records the office and returns how to tell the person of it (a
    sentence and a link).
    """

    role: str
    held_in: str | None
    appoint: Callable[..., tuple[str, str]]
    find: Callable[[str], object] | None = None
    help: str = ""
    holds: Callable[..., bool] | None = None  # (user=, target=) -> the person holds this office today


OFFICE_KINDS: dict[str, OfficeKind] = {}


def register_office_kind(*kinds: OfficeKind) -> None:
    for kind in kinds:
        OFFICE_KINDS[kind.role] = kind


def _secretariat_appoint(*, user, **_) -> tuple[str, str]:
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return "member of the secretariat", ""


def _secretariat_holds(*, user, **_) -> bool:
    return user.groups.filter(name=SECRETARIAT_GROUP).exists()


register_office_kind(OfficeKind("secretariat", None, _secretariat_appoint, holds=_secretariat_holds))
