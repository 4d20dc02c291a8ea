"""Run a permission table: (person, rule, object) -> allowed?"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ascn_portal.accounts.offices import forget_offices as forget_roles


def check_matrix(request, rows: Iterable[tuple[str, str, Callable[[], Any] | None, bool]]) -> None:
    """Each row names a person fixture, a rule, a function giving the object, and the answer.

    Every failure is collected, so one run shows the whole table's disagreements.
    """
    failures = []
    for person, rule, get_object, expected in rows:
        user = request.getfixturevalue(person) if person != "anonymous" else _anonymous()
        forget_roles(user)
        obj = get_object() if get_object else None
        answer = user.has_perm(rule, obj)
        if answer != expected:
            failures.append(f"{person} {rule} {obj!r}: expected {expected}, got {answer}")
    assert not failures, "\n".join(failures)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
