"""When a progress report may change: apps above register locks (the monitoring round locks a city's
reports while the secretariat reviews them), without this app knowing them."""

from __future__ import annotations

from collections.abc import Callable

_LOCKS: list[Callable] = []


def register_progress_lock(lock: Callable) -> Callable:
    """`lock(project, year) -> str | None`: the reason a report may not change now, or None."""
    _LOCKS.append(lock)
    return lock


def progress_lock_reason(project, year: int) -> str | None:
    for lock in _LOCKS:
        reason = lock(project, year)
        if reason:
            return reason
    return None
