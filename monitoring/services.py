"""Writes of the monitoring round: the secretariat opens a year's round; a city's CSCO submits the
city's report as a whole; the secretariat returns it with comments or accepts it. Every move is
recorded and told, in the same transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ascn_portal.accounts.models import User
from ascn_portal.accounts.offices import secretariat_members
from ascn_portal.errors import Conflict
from ascn_portal.notifications.services import notify
from cities.models import City
from cities.selectors import officers_of_city

from .choices import REPORT_MOVES
from .models import CityReport, CityReportTransition, MonitoringRound
from .selectors import city_round, projects_in_round


def _require(user: User, rule: str, obj=None) -> None:
    if not user.has_perm(rule, obj):
        raise PermissionDenied


def round_open(*, year: int, deadline: datetime.date, by: User, note: str = "") -> MonitoringRound:
    """Open a year's round; the officers of every city with projects running that year are told."""
    _require(by, "monitoring.open_round")
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "The deadline has passed already; give a day from today on."})
    round_ = MonitoringRound(year=year, deadline=deadline, opened_by=by, note=note.strip())
    round_.full_clean(validate_unique=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                round_.save()
        except IntegrityError as error:
            raise Conflict(f"The {year} round is open already.") from error
        cities = City.objects.filter(pk__in=projects_in_round(year).values("plan__city_id"))
        for city in cities:
            notify(recipients=officers_of_city(city), kind="monitoring.opened",
                   context={"year": year, "city": city.name, "deadline": f"{deadline:%d %B %Y}", "note": round_.note},
                   link=round_.get_absolute_url())  # fmt: skip
    return round_


def city_report_move(*, round_: MonitoringRound, city: City, action: str, by: User, comment: str = "",
                     version: int | None = None) -> CityReport:  # fmt: skip
    """Submit, return or accept a city's report. Submitting runs the check: a blocking problem (a
    project without its report, a percent that fell without a word why, funding above cost) stops it."""
    move = REPORT_MOVES.get(action)
    if move is None:
        raise ValidationError({"action": f"Choose one of: {', '.join(REPORT_MOVES)}."})
    comment = comment.strip()
    with transaction.atomic():
        # The city's row first: a progress save of the city waits for this move, or this move for it
        # (monitoring.locks), so no report changes after the check below passed.
        list(City.objects.select_for_update().filter(pk=city.pk).values_list("pk", flat=True))
        report, _created = CityReport.objects.get_or_create(round=round_, city=city)
        report = CityReport.objects.select_for_update().select_related("round", "city").get(pk=report.pk)
        _require(by, move.rule, report)
        if report.state not in move.sources:
            raise Conflict(f"A report that is “{report.get_state_display().lower()}” cannot be moved so.")
        if version is not None and version != report.version:
            raise Conflict("This report moved since you opened the page; reload it.")
        if move.needs_comment and not comment:
            raise ValidationError({"comment": "Say what the city should change."})
        if action == "submit":
            stopping = city_round(round_, city).blocking
            if stopping:
                raise ValidationError([p.message for p in stopping])
        before = report.state
        report.state, report.version = move.target, report.version + 1
        now = timezone.now()
        if action == "submit":
            report.submitted_at = now
        else:
            report.decided_at = now
        report._history_user = by
        report.save()
        CityReportTransition.objects.create(report=report, action=action, from_state=before, to_state=move.target,
                                            by=by, comment=comment)  # fmt: skip
        recipients = secretariat_members() if move.tells == "secretariat" else officers_of_city(city)
        notify(recipients=recipients.exclude(pk=by.pk), kind=move.kind,
               context={"year": round_.year, "city": city.name, "by": by.full_name, "comment": comment},
               link=report.get_absolute_url())  # fmt: skip
    return report
