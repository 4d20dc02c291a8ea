from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone

from ascn_portal.filtering import filtered_page

from . import selectors
from .filtersets import CityFilterSet
from .pages import city_page_context

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


def city_list(request):
    cities = selectors.cities_visible_to(request.user)
    found = filtered_page(request, CityFilterSet, cities, ordering=("name",), per_page=50)
    template = "cities/partials/_city_results.html" if request.htmx else "cities/city_list.html"
    return render(request, template, found.context(), status=found.status)


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
    context.update(city_page_context(request, city))  # plans, twinnings: what the apps above add
    return render(request, "cities/city_detail.html", context)
