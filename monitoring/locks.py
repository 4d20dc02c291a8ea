"""A city's progress reports for a round's year are frozen while the secretariat reviews them, and
once accepted; reports are filed for years up to the current round's."""

from django.utils.translation import gettext as _

from action_plans.progress import register_latest_progress_year, register_progress_lock

from .choices import EDITABLE


@register_progress_lock
def under_review(project, year: int) -> str | None:
    from cities.models import City

    from .models import CityReport

    # Called in the save's transaction: the city's row is the lock a move of its report takes first,
    # so a save waits for a submission under way and then sees it (the report may not exist before).
    list(City.objects.select_for_update().filter(pk=project.plan.city_id).values_list("pk", flat=True))
    state = (
        CityReport.objects.filter(round__year=year, city_id=project.plan.city_id)
        .values_list("state", flat=True)
        .first()
    )
    if state is None or state in EDITABLE:
        return None
    if state == "accepted":
        return _("The city's monitoring report for %(year)s is accepted; its progress reports no longer change.") % {
            "year": year
        }
    return _(
        "The city's monitoring report for %(year)s is with the secretariat; it can change once they return it."
    ) % {"year": year}


@register_latest_progress_year
def current_round_year() -> int | None:
    """Reports are filed for the current round's year at the latest."""
    from .selectors import current_round

    round_ = current_round()
    return round_.year if round_ else None
