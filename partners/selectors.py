from django.db.models import Count, Prefetch, Q, QuerySet

from ascn_portal.accounts.offices import is_secretariat
from ascn_portal.visibility import Visibility
from cities.models import City
from cities.offices import roles_of
from cities.pages import city_page_section

from .models import Partner, PartnerContact, PartnershipTransition, ProjectPartnership, Twinning
from .offices import partner_ids_of


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


def twinnings_visible_to(user) -> QuerySet[Twinning]:
    """Twinnings are public facts of the network."""
    return Twinning.objects.select_related("city", "partner").prefetch_related("focus_areas")


def partnerships_visible_to(user) -> QuerySet[ProjectPartnership]:
    """A partner's contacts see its own; a city's officers and NR those on its projects; the secretariat all."""
    partnerships = ProjectPartnership.objects.select_related("project__plan__city", "partner").prefetch_related(
        "consortium", Prefetch("transitions", queryset=PartnershipTransition.objects.select_related("by"))
    )
    return partnerships.filter(partnership_visibility(user).q())


def partnership_visibility(user) -> Visibility:
    """The partner's contacts, the city's officers and its NR; the secretariat sees every partnership."""
    roles = roles_of(user)
    return Visibility.of(
        {"partner_id": partner_ids_of(user)},
        {"project__plan__city_id": roles.officer_of_cities},
        {"project__plan__city__member_state_id": roles.nr_of_states},
        everything=is_secretariat(user),
    )


def partnership_pipeline() -> dict:
    """The secretariat's pipeline: live and closed partnerships by stage, by member state and by partner."""
    base = ProjectPartnership.objects.order_by()
    by_stage = dict(base.values_list("stage").annotate(n=Count("pk")))
    by_state = {}
    for state, stage, n in base.values_list("project__plan__city__member_state__short_name", "stage").annotate(
        n=Count("pk")
    ):
        by_state.setdefault(state, {})[stage] = n
    by_partner = list(
        base.values("partner__name", "partner__slug")
        .annotate(total=Count("pk"), finalised=Count("pk", filter=Q(finalised_on__isnull=False)))
        .order_by("-total", "partner__name")[:50]
    )
    return {"by_stage": by_stage, "by_state": dict(sorted(by_state.items())), "by_partner": by_partner}


def partnerships_finalised(year: int) -> QuerySet[ProjectPartnership]:
    """The finalised list of project partnerships for a year, as reported to the Summit."""
    return (
        ProjectPartnership.objects.filter(finalised_on__year=year)
        .select_related("project__plan__city__member_state", "partner")
        .prefetch_related("consortium")
        .order_by("project__plan__city__member_state__short_name", "project__plan__city__name", "project__title")
    )


@city_page_section
def city_twinnings(request, city) -> dict:
    """A city's page: its twinnings, the active one first, past ones kept."""
    return {"twinnings": twinnings_visible_to(request.user).filter(city=city).order_by("-status", "-starts_on")}


def twinning_board() -> dict:
    """Cities by member state with their active twinning (or none), and partners with their cities:
    three queries whatever the number of cities and partners."""
    active = {t.city_id: t for t in Twinning.objects.filter(status="active").select_related("partner")}
    states, without = {}, []
    for city in City.objects.select_related("member_state").order_by("member_state__short_name", "name"):
        city.active_twinning = active.get(city.pk)
        states.setdefault(city.member_state, []).append(city)
        if city.active_twinning is None:
            without.append(city)
    by_partner = {}
    for twinning in sorted(active.values(), key=lambda t: (t.partner.name, t.city_id)):
        by_partner.setdefault(twinning.partner, []).append(twinning)
    cities = {city.pk: city for cities in states.values() for city in cities}
    for twinnings in by_partner.values():
        for twinning in twinnings:
            twinning.city = cities[twinning.city_id]
    return {"states": states, "without": without, "by_partner": by_partner, "twinned_count": len(active),
            "city_count": len(cities)}  # fmt: skip
