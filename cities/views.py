from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone

from ascn_portal.filtering import filtered_page

from . import selectors
from .choices import AppointmentRole
from .filtersets import CityFilterSet
from .forms import AsOfForm
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
    as_of = AsOfForm(request.GET or None)
    on = as_of.day()
    officers = selectors.Roster(on=on, terms=city.officer_terms)
    nrs = selectors.Roster(on=on, terms=city.member_state.nr_terms)
    x, y = map_point(city.latitude, city.longitude)
    context = {
        "city": city,
        "as_of": as_of,
        "on": on,
        "is_today": on == timezone.localdate(),
        "csco": officers.holder(AppointmentRole.CSCO),
        "team": officers.serving(AppointmentRole.CITY_TEAM),
        "other_terms": officers.others(),
        "nr": nrs.holder(AppointmentRole.NATIONAL_REPRESENTATIVE),
        "may_see_contacts": request.user.has_perm("accounts.view_contact_details"),
        "map_x": x,
        "map_y": y,
        "map_viewbox": f"{x - 160} {y - 130} 320 260",  # the city's surroundings
    }
    context.update(city_page_context(request, city))  # plans, twinnings: what the apps above add
    return render(request, "cities/city_detail.html", context, status=400 if as_of.errors else 200)


def member_state_detail(request, code):
    """A member state: its National Representatives past and present, its cities with their CSCO on
    the day asked for, and the years it chaired ASEAN (and so the network)."""
    state = selectors.member_state_get(code=code, user=request.user)
    as_of = AsOfForm(request.GET or None)
    on = as_of.day()
    nrs = selectors.Roster(on=on, terms=state.nr_terms)
    cities = [
        (city, selectors.Roster(on=on, terms=city.csco_terms).holder(AppointmentRole.CSCO)) for city in state.city_list
    ]
    chair_years = [(c.year, selectors.chair_of_year(c.year, state.nr_terms)) for c in state.chair_years]
    context = {
        "state": state,
        "as_of": as_of,
        "on": on,
        "is_today": on == timezone.localdate(),
        "nr": nrs.holder(AppointmentRole.NATIONAL_REPRESENTATIVE),
        "nr_terms": state.nr_terms,
        "cities": cities,
        "chair_years": chair_years,
        "may_see_contacts": request.user.has_perm("accounts.view_contact_details"),
    }
    return render(request, "cities/member_state_detail.html", context, status=400 if as_of.errors else 200)
