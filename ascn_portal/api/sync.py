"""Lists a partner's program can keep a mirror of: `updated_since=` and cursor pages.

`?updated_since=<ISO 8601 time>` gives the rows changed at or after that time, and a tombstone
`{"id": 7, "removed": true, "removed_at": ...}` for each row the reader saw that has since left
the list (a project unpublished, an event withdrawn, a row deleted), so the mirror deletes it.
Such a list comes in cursor pages: in id order (`ordering` does not apply), each page's `next`
link carries a signed cursor (the last id given), so a walk is stable while the data changes: no
row comes twice, none is missed (a row changed behind the cursor comes in the next sync).
`?cursor=` alone walks the whole list the same way, and so does a time older than the removals are
kept (`TOMBSTONE_DAYS`): such a walk says `"full": true`, and the mirror keeps only the rows it
gave. Every page of a walk gives `next_updated_since`, the time to ask from next time: the walk's
start less `COMMIT_MARGIN`, so a write that committed late is not lost (a row may then come again
next time; a mirror writes each row by its id).

A resource's rows change when one of `sync_changed` (the row's own `updated_at`, its plan's, ...)
is at or after the time. Its tombstones are written where rows leave lists (`record_removed`),
by the app that owns the rows (a signal or a service), and are kept `TOMBSTONE_DAYS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.fields import DateTimeField
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ascn_portal.visibility import Visibility

from .models import Tombstone

COMMIT_MARGIN = datetime.timedelta(minutes=1)
TOMBSTONE_DAYS = 400
SALT = "ascn.api.sync-cursor"

TOMBSTONE_SCHEMA = {
    "type": "object",
    "description": "A row you saw that has left the list since `updated_since`: delete your copy.",
    "properties": {
        "id": {"type": "integer"},
        "removed": {"type": "boolean", "enum": [True]},
        "removed_at": {"type": "string", "format": "date-time"},
    },
    "required": ["id", "removed", "removed_at"],
    "additionalProperties": False,
}


def record_removed(resource: str, rows: Iterable[tuple[int, Mapping]]) -> None:
    """Rows (id, the values that decided who saw them) that left `resource`'s list just now."""
    now = timezone.now()
    Tombstone.objects.bulk_create(
        [Tombstone(resource=resource, object_id=pk, seen_by=dict(seen_by), removed_at=now) for pk, seen_by in rows]
    )


def expire_tombstones() -> int:
    deleted, _ = Tombstone.objects.filter(
        removed_at__lt=timezone.now() - datetime.timedelta(days=TOMBSTONE_DAYS)
    ).delete()
    return deleted


def sync_requested(request) -> bool:
    return "updated_since" in request.query_params or "cursor" in request.query_params


def _parse_since(raw: str) -> datetime.datetime | None:
    """The time asked from; None where removals are no longer kept that far back (a whole walk)."""
    try:
        moment = parse_datetime(raw.strip()) if raw else None
    except ValueError:  # well formed, out of range (a 25th hour)
        moment = None
    if moment is None:
        raise ValidationError({"updated_since": ["Give a time in ISO 8601, e.g. 2026-06-01T08:00:00Z."]})
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)  # in the reader's time zone, as the API writes times
        except (OverflowError, ValueError):
            raise ValidationError({"updated_since": ["Give a time in ISO 8601, e.g. 2026-06-01T08:00:00Z."]}) from None
    try:  # in UTC: PostgreSQL takes offsets up to 15:59 only, Python up to a day
        moment = moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        # A valid time within a day of the calendar's ends (0001-01-01T00:00+05:00): before any kept
        # removal (a whole walk), or after any change (nothing since).
        if moment.year == datetime.MINYEAR:
            return None
        moment = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    if moment < timezone.now() - datetime.timedelta(days=TOMBSTONE_DAYS):
        return None
    return moment


class SyncWalk:
    """Where a walk is: after which id, changes since when, and where the next sync starts."""

    def __init__(self, resource: str, request):
        params = request.query_params
        self.resource = resource
        raw_cursor = params.get("cursor", "")
        if raw_cursor:
            try:
                state = signing.loads(raw_cursor, salt=SALT)
                assert state["r"] == resource
                self.after = int(state["a"])
                self.since = datetime.datetime.fromisoformat(state["s"]) if state["s"] else None
                self.next_since = datetime.datetime.fromisoformat(state["n"])
            except (signing.BadSignature, AssertionError, KeyError, TypeError, ValueError):
                # As a page number past the end: nothing is there (404), and the answer says why.
                raise NotFound("Invalid cursor: not one this list gave. Start the walk again.") from None
        else:
            self.after = 0
            self.since = _parse_since(params["updated_since"]) if "updated_since" in params else None
            self.next_since = timezone.now() - COMMIT_MARGIN

    def cursor(self, after: int) -> str:
        since = self.since.isoformat() if self.since else ""
        return signing.dumps({"r": self.resource, "a": after, "s": since, "n": self.next_since.isoformat()}, salt=SALT)


def sync_page(view, request, *, rows, visible, changed: tuple[str, ...], visibility: Visibility | None, items):
    """One cursor page of `rows` (the reader's filtered list), with the tombstones the reader is owed.

    `visible` is everything the reader sees now (no filter: a row merely filtered out is not gone);
    `visibility` says who saw a tombstone's row (None: everyone did); `items(rows)` writes a page's rows.
    """
    walk = SyncWalk(view.sync_resource, request)
    size = view.paginator.get_page_size(request)
    view.paginator.get_page_number(request, None)  # not used by a walk, but a bad one is still a 400
    rows = rows.filter(pk__gt=walk.after)
    if walk.since is not None:
        query = Q()
        for path in changed:
            query |= Q(**{f"{path}__gte": walk.since})
        rows = rows.filter(query)
    page_rows = list(rows.order_by("pk")[: size + 1])
    found = [(row["id"] if isinstance(row, dict) else row.pk, "row", row) for row in page_rows]
    if walk.since is not None:
        # A row withdrawn by another connection between the two reads is both a row and a tombstone
        # here: give the row; its tombstone is newer than this walk's start, so the next sync gives it.
        given = {pk for pk, _, _ in found}
        found += [
            (t.object_id, "tombstone", t)
            for t in _tombstones(walk, visible, visibility, size + 1)
            if t.object_id not in given
        ]
    found.sort(key=lambda entry: entry[0])
    page, more = found[:size], len(found) > size
    written = iter(items([row for _, kind, row in page if kind == "row"]))
    to_time = DateTimeField().to_representation
    results = [
        next(written) if kind == "row" else {"id": pk, "removed": True, "removed_at": to_time(row.removed_at)}
        for pk, kind, row in page
    ]
    next_url = None
    if more:
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", walk.cursor(page[-1][0]))
    body = {"next": next_url, "full": walk.since is None, "next_updated_since": to_time(walk.next_since),
            "results": results}  # fmt: skip
    return Response(body)


def _tombstones(walk: SyncWalk, visible, visibility: Visibility | None, limit: int) -> list[Tombstone]:
    """The newest tombstone of each row the reader saw and sees no more, in id order, `limit` at most."""
    candidates = (
        Tombstone.objects.filter(resource=walk.resource, removed_at__gte=walk.since, object_id__gt=walk.after)
        .exclude(object_id__in=visible.values("pk"))
        .order_by("object_id", "-removed_at")
    )
    found, last = [], None
    for tombstone in candidates.iterator(chunk_size=500):
        if tombstone.object_id == last:
            continue
        if visibility is not None and not visibility.admits_values(tombstone.seen_by):
            continue  # a row this reader never saw
        last = tombstone.object_id
        found.append(tombstone)
        if len(found) == limit:
            break
    return found


class SyncedListMixin:
    """A viewset list that answers `updated_since=` and `cursor=` (see this module).

    Set `sync_resource`, `sync_changed` (paths of the times that change a row) and, where not every
    reader saw every row, `sync_visibility()`."""

    sync_resource: str
    sync_changed: tuple[str, ...] = ("updated_at",)

    def sync_visibility(self) -> Visibility | None:
        return None

    def sync_rows(self, queryset):
        """The filtered list as `sync_page` reads it (a list may read plain values)."""
        return queryset

    def sync_items(self, rows) -> list[dict]:
        return self.get_serializer(rows, many=True).data

    def list(self, request, *args, **kwargs):
        if sync_requested(request):
            visible = self.get_queryset()
            return sync_page(
                self, request, rows=self.sync_rows(self.filter_queryset(visible)), visible=visible,
                changed=self.sync_changed, visibility=self.sync_visibility(), items=self.sync_items,
            )  # fmt: skip
        return super().list(request, *args, **kwargs)
