"""When a progress report may change, and for which years: apps above register the rules they own
(the monitoring round locks a city's reports while the secretariat reviews them, and says which
year is being reported on), without this app knowing them."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

_LOCKS: list[Callable] = []
_LATEST_YEAR: list[Callable] = []


def register_progress_lock(lock: Callable) -> Callable:
    """`lock(project, year) -> str | None`: the reason a report may not change now, or None. It is
    asked inside the save's transaction, so it may lock the row its answer rests on."""
    _LOCKS.append(lock)
    return lock


def progress_lock_reason(project, year: int) -> str | None:
    for lock in _LOCKS:
        reason = lock(project, year)
        if reason:
            return reason
    return None


def register_latest_progress_year(rule: Callable) -> Callable:
    """`rule() -> int | None`: the latest year reports may be filed for (the current round's), or
    None when it has no say."""
    _LATEST_YEAR.append(rule)
    return rule


def latest_progress_year() -> int:
    """The latest year a progress report may be filed for: the one a registered rule names (the
    current monitoring round's year), else this year."""
    for rule in _LATEST_YEAR:
        year = rule()
        if year is not None:
            return year
    return timezone.localdate().year
