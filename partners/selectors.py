from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ascn_portal.policy import is_secretariat, roles_of

from .models import Partner, PartnerContact, PartnershipTransition, ProjectPartnership, Twinning


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
        Prefetch(
            "twinnings",
            queryset=Twinning.objects.filter(status="active").select_related("city").order_by("city__name"),
            to_attr="active_twinnings",
        ),
    )
    if not user.has_perm("partners.view_partner"):
        partners = partners.filter(is_active=True)
    return partners


def partner_get(*, slug: str, user) -> Partner:
    return get_object_or_404(partners_visible_to(user), slug=slug)


def twinnings_visible_to(user) -> QuerySet[Twinning]:
    """Twinnings are public facts of the network."""
    return Twinning.objects.select_related("city", "partner").prefetch_related("focus_areas")


def partnerships_visible_to(user) -> QuerySet[ProjectPartnership]:
    """A partner's contacts see its own; a city's officers and NR those on its projects; the secretariat all."""
    partnerships = ProjectPartnership.objects.select_related("project__plan__city", "partner").prefetch_related(
        "consortium", Prefetch("transitions", queryset=PartnershipTransition.objects.select_related("by"))
    )
    if is_secretariat(user):
        return partnerships
    roles = roles_of(user)
    return partnerships.filter(
        Q(partner_id__in=roles.contact_of_partners)
        | Q(project__plan__city_id__in=roles.officer_of_cities)
        | Q(project__plan__city__member_state_id__in=roles.nr_of_states)
    )
