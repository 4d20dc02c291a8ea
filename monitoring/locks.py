"""A city's progress reports for a round's year are frozen while the secretariat reviews them, and
once accepted."""

from action_plans.progress import register_progress_lock

from .choices import EDITABLE


@register_progress_lock
def under_review(project, year: int) -> str | None:
    from .models import CityReport

    state = (
        CityReport.objects.filter(round__year=year, city_id=project.plan.city_id)
        .values_list("state", flat=True)
        .first()
    )
    if state is None or state in EDITABLE:
        return None
    if state == "accepted":
        return f"The city's monitoring report for {year} is accepted; its progress reports no longer change."
    return f"The city's monitoring report for {year} is with the secretariat; it can change once they return it."
