"""The partners a person speaks for today, as one of their contacts.

Read with the person's other offices in one statement (`ascn_portal.accounts.offices`).
"""

from __future__ import annotations

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


def _contacts_select() -> str:
    from .models import PartnerContact

    return (
        f"SELECT 'contact'::text, partner_id::bigint, NULL::bigint FROM {quote_table(PartnerContact)} "
        f"WHERE user_id = %(user)s AND {TERM_SQL}"
    )


register_office_source("partner_contact", _contacts_select)


def partner_ids_of(user) -> frozenset[int]:
    return frozenset(office.first_id for office in offices_from(user, "partner_contact"))


def _contacts():
    from django.contrib.auth import get_user_model

    from .models import PartnerContact

    return get_user_model().objects.filter(pk__in=PartnerContact.objects.active().values("user_id"))


register_audience(Audience.PARTNER_CONTACTS, _contacts)


def _appoint(*, user, target, title, starts_on) -> tuple[str, str]:
    from django.urls import reverse

    from .models import PartnerContact

    contact = PartnerContact(user=user, partner=target, title=title, starts_on=starts_on)
    contact.full_clean()
    contact.save()
    return f"contact of {target}", reverse("partner_list")


def _find(slug: str):
    model = apps.get_model("partners", "Partner")
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist:
        raise LookupError(slug) from None


def _holds(*, user, target) -> bool:
    from .models import PartnerContact

    return PartnerContact.objects.active().filter(user=user, partner=target).exists()


register_office_kind(OfficeKind("partner", "partner", _appoint, _find, "the partner's slug", _holds))
