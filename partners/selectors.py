from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Partner, PartnerContact


def partners_visible_to(user) -> QuerySet[Partner]:
    """Active partners are public; the secretariat also sees retired ones."""
    partners = Partner.objects.prefetch_related(
        "focus_areas",
        "member_states",
        Prefetch(
            "contacts",
            queryset=PartnerContact.objects.active().select_related("user").order_by("user__full_name"),
            to_attr="current_contacts",
        ),
    )
    if not user.has_perm("partners.view_partner"):
        partners = partners.filter(is_active=True)
    return partners


def partner_get(*, slug: str, user) -> Partner:
    return get_object_or_404(partners_visible_to(user), slug=slug)
