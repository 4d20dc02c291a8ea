"""Who sees which records, written once and read two ways: as a query filter and as a check of one object.

A record type's selector builds a `Visibility` for the person; `q()` scopes its lists and the
policy's predicate asks `admits(obj)` of one record, so a page, the API and a rule never disagree.
A visibility is a list of clauses, any of which admits a record; a clause is a set of
conditions (field path -> allowed values) that must all hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q

Clause = Mapping[str, Iterable]


def _value(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class Visibility:
    everything: bool = False
    clauses: tuple[tuple[tuple[str, frozenset], ...], ...] = ()

    @classmethod
    def of(cls, *clauses: Clause, everything: bool = False) -> Visibility:
        frozen = tuple(
            tuple((path, frozenset(values)) for path, values in clause.items())
            for clause in clauses
            if all(values for values in clause.values())  # a condition nobody meets drops its clause
        )
        return cls(everything=everything, clauses=frozen)

    def q(self) -> Q:
        if self.everything:
            return Q()
        if not self.clauses:
            return Q(pk__in=[])
        query = Q()
        for clause in self.clauses:
            part = Q(*(Q(**{f"{path}__in": sorted(values)}) for path, values in clause))
            query = part if not query else query | part
        return query

    def admits_values(self, values: Mapping[str, object]) -> bool:
        """As `admits`, of a record's values kept by path (a row that is gone, say)."""
        if self.everything:
            return True
        return any(all(values.get(path) in allowed for path, allowed in clause) for clause in self.clauses)

    def admits(self, obj) -> bool:
        if obj is None:
            return False
        if self.everything:
            return True
        return any(all(_value(obj, path) in values for path, values in clause) for clause in self.clauses)
