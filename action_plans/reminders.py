"""Reminders of yearly progress reports, run daily by Celery beat (notifications.run_reminders)."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from ascn_portal.notifications.reminders import once, reminder
from ascn_portal.notifications.services import notify
from cities.selectors import officers_of_city as city_officers

from .selectors import projects_due_a_report

REMIND_IN_MONTHS = (10, 11, 12)  # reports for a year are due by 31 December


@reminder("daily")
def remind_progress_reports_due(today=None) -> int:
    """Once a month from October, tell each city's officers which reports of the year are missing."""
    today = today or timezone.localdate()
    if today.month not in REMIND_IN_MONTHS:
        return 0
    by_city = defaultdict(list)
    for project in projects_due_a_report(today.year):
        by_city[project.plan.city].append(project.title)
    sent = 0
    for city, titles in by_city.items():
        with transaction.atomic():
            if not once(f"progress-report-due:{city.pk}:{today.year}-{today.month:02d}"):
                continue
            notify(
                recipients=city_officers(city), kind="progress_report.due",
                context={"year": today.year, "city": city.name, "projects": titles, "count": len(titles)},
                link="/dashboard/",
            )  # fmt: skip
            sent += 1
    return sent
