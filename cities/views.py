from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from action_plans.selectors import action_plans_visible_to
from partners.models import Partner

from . import selectors
from .filtersets import CityFilterSet
from .models import City

# The home map: an equirectangular view of the ASEAN region, drawn by the portal itself.
MAP_BOUNDS = {"west": Decimal(92), "east": Decimal(128), "north": Decimal(24), "south": Decimal(-11)}
MAP_SCALE = 20  # SVG units per degree


def map_point(latitude: Decimal, longitude: Decimal) -> tuple[int, int]:
    x = (longitude - MAP_BOUNDS["west"]) * MAP_SCALE
    y = (MAP_BOUNDS["north"] - latitude) * MAP_SCALE
    return int(round(x)), int(round(y))


def map_viewbox() -> str:
    width = (MAP_BOUNDS["east"] - MAP_BOUNDS["west"]) * MAP_SCALE
    height = (MAP_BOUNDS["north"] - MAP_BOUNDS["south"]) * MAP_SCALE
    return f"0 0 {int(width)} {int(height)}"


def home(request):
    cities = list(City.objects.select_related("member_state").order_by("name"))
    for city in cities:
        city.map_x, city.map_y = map_point(city.latitude, city.longitude)
    states = list(selectors.member_states_visible_to(request.user).order_by("-city_count", "short_name"))
    chairmanship, chair = selectors.ascn_chair(timezone.localdate().year)
    partner_counts = Partner.objects.filter(is_active=True).aggregate(
        total=Count("id"),
        external=Count("id", filter=Q(kind__in=["dialogue", "sectoral_dialogue", "development"])),
    )
    context = {
        "cities": cities,
        "city_count": len(cities),
        "pilot_count": sum(1 for city in cities if city.is_pilot),
        "states": states,
        "state_count": len([s for s in states if s.city_count]),
        "max_state_count": max((s.city_count for s in states), default=1) or 1,
        "partner_counts": partner_counts,
        "chairmanship": chairmanship,
        "chair": chair,
        "map_viewbox": map_viewbox(),
    }
    return render(request, "cities/home.html", context)


def city_list(request):
    filterset = CityFilterSet(request.GET, queryset=selectors.cities_visible_to(request.user))
    valid = filterset.is_valid()
    cities = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(cities.order_by("name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "cities/partials/_city_results.html" if request.htmx else "cities/city_list.html"
    return render(
        request,
        template,
        {"filterset": filterset, "page": page, "query": query.urlencode()},
        status=200 if valid else 400,
    )


def city_detail(request, slug):
    city = selectors.city_get(slug=slug, user=request.user)
    today = timezone.localdate()
    terms = city.officer_terms
    x, y = map_point(city.latitude, city.longitude)
    context = {
        "city": city,
        "csco": next((t for t in terms if t.role == "csco" and t.is_active(today)), None),
        "team": [t for t in terms if t.role == "city_team" and t.is_active(today)],
        "past_terms": [t for t in terms if t.ends_on and t.ends_on < today],
        "nr": city.member_state.current_nrs[0] if city.member_state.current_nrs else None,
        "may_see_contacts": request.user.has_perm("accounts.view_contact_details"),
        "map_x": x,
        "map_y": y,
        "map_viewbox": f"{x - 160} {y - 130} 320 260",  # the city's surroundings
    }
    context["plans"] = action_plans_visible_to(request.user).filter(city=city).prefetch_related("projects")
    context["may_start_plan"] = request.user.has_perm("action_plans.create_plan", city)
    return render(request, "cities/city_detail.html", context)
