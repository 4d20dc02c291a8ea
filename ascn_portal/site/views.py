"""The pages that bring every app together: the home page and each person's dashboard."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from action_plans import selectors as plans
from action_plans.choices import PlanState
from ascn_portal.accounts.offices import is_secretariat
from cities import selectors as directory
from cities.models import City
from cities.offices import roles_of
from cities.views import map_point, map_viewbox
from monitoring.selectors import city_round, current_round, round_overview
from partners.choices import OPEN_STAGES
from partners.models import Partner
from partners.selectors import partnerships_visible_to
from partners.services import partners_of


def home(request):
    cities = list(City.objects.select_related("member_state").order_by("name"))
    for city in cities:
        city.map_x, city.map_y = map_point(city.latitude, city.longitude)
    states = list(directory.member_states_visible_to(request.user).order_by("-city_count", "short_name"))
    chairmanship, chair = directory.ascn_chair(timezone.localdate().year)
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
    return render(request, "site/home.html", context)


@login_required
def dashboard(request):
    """What waits for this person: their cities' drafts (returned ones marked), plans to review,
    progress reports due and partnerships under way."""
    user = request.user
    roles = roles_of(user)
    visible = plans.action_plans_visible_to(user).prefetch_related(None)  # titles and states only
    own = visible.filter(city_id__in=roles.officer_of_cities)
    year = timezone.localdate().year
    to_endorse = [p for p in visible.filter(state=PlanState.SUBMITTED) if user.has_perm("action_plans.endorse_plan", p)]
    context = {
        "drafts": own.filter(state=PlanState.DRAFT),
        "returned": own.filter(state=PlanState.DRAFT, transitions__action="return").distinct(),
        "in_review": own.filter(state__in=[PlanState.SUBMITTED, PlanState.ENDORSED]),
        "to_endorse": to_endorse,
        "to_approve": visible.filter(state=PlanState.ENDORSED) if is_secretariat(user) else visible.none(),
        "reports_due": plans.projects_due_a_report(year).filter(plan__city_id__in=roles.csco_of_cities),
        "report_year": year,
        "cities": City.objects.filter(pk__in=roles.officer_of_cities).order_by("name"),
        "partnerships": partnerships_visible_to(user).filter(stage__in=OPEN_STAGES).prefetch_related(None)[:20],
        "speaking_for": partners_of(user).first(),
        **_monitoring(user, roles),
    }
    return render(request, "site/dashboard.html", context)


def _monitoring(user, roles) -> dict:
    """The current round: for a city's officers, their city's reports still to file; for the
    secretariat, the cities whose report waits for review or is late."""
    round_ = current_round()
    if round_ is None:
        return {"round": None}
    standings = [s for s in round_overview(round_) if s.city.pk in roles.officer_of_cities or is_secretariat(user)]
    mine = [s for s in standings if s.city.pk in roles.officer_of_cities]
    to_review = [s for s in standings if s.state == "submitted"] if is_secretariat(user) else []
    late = [s for s in standings if s.late] if is_secretariat(user) else []
    due = []
    if mine:
        for standing in mine:
            found = city_round(round_, standing.city)
            due += [(standing.city, project) for project, this, _prev, _p in found.rows if this is None]
    return {"round": round_, "round_mine": mine, "round_due": due, "round_to_review": to_review, "round_late": late}
