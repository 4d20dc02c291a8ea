"""A list page's SQL, compiled once per process for each shape of request and then only executed.

Building a values query with its joins and array subqueries costs Django more than PostgreSQL
takes to answer it from an index (about a millisecond against a few tenths). A list whose filters,
ordering and page were normalised into a key (the key the list's kept count already uses) keeps
`(sql, params)` for that key; the next request with the same key executes the statement as it is and
reads the rows as the query would have given them (the values queries kept here use fields the
PostgreSQL driver returns as Django would: text, numbers, decimals, dates, aware times, arrays).

Only what was computed from the key alone is kept (never a reader's own drafts: callers pass no
key for those), at most `SIZE` shapes per process, the least recently used dropped first; a
deployment restarts the processes, so a changed schema never meets an old statement.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections

SIZE = 512
_kept: OrderedDict[tuple, tuple[str, tuple]] = OrderedDict()
_lock = Lock()


def _statement(key: tuple, queryset) -> tuple[str, tuple]:
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = queryset.query.get_compiler(using=queryset.db).as_sql()
    with _lock:
        _kept[key] = found
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return found


def rows(queryset, key: tuple | None) -> list[dict]:
    """The rows of a sliced values queryset, as `list(queryset)` gives them; compiled once per `key`."""
    if key is None:
        return list(queryset)
    try:
        statement = _statement(key, queryset)
    except EmptyResultSet:  # a filter nothing can meet (`none()`): Django answers without asking
        return []
    return _execute(statement, queryset.db)


def _execute(statement: tuple[str, tuple], using: str) -> list[dict]:
    sql, params = statement
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class Compiled:
    """A values queryset whose slices are read through `rows` under `key` (None: as usual). Given as a
    function, the queryset is built only when its statement is not kept yet."""

    def __init__(self, queryset, key: tuple | None, using: str = "default"):
        self._queryset, self.key, self.db = queryset, key, using

    @property
    def queryset(self):
        if callable(self._queryset):
            self._queryset = self._queryset()
        return self._queryset

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: slice) -> list[dict]:
        if self.key is None:
            return list(self.queryset[index])
        key = (*self.key, index.start, index.stop)
        with _lock:
            found = _kept.get(key)
        if found is None:
            return rows(self.queryset[index], key)
        return _execute(found, self.db)
