"""Pages of a list answered from Redis for as long as nothing they show has changed.

Partners' systems poll the project catalogue; most of their requests ask again what was asked a
minute ago, of data that changes a few times a day. A `Generation` is a token in Redis that is
replaced when a transaction that wrote one of its models commits (signals on save, delete and
many-to-many changes; writes that bypass signals call `changed()` themselves). A cached page
carries the token it was computed under and is used only while that token is current, so a
change is seen by the next request. Entries also expire after `API_LIST_CACHE_SECONDS`, a
bound on what a missed signal could leave behind.

What a page shows may depend on the reader: the key holds the reader's scope (who sees what, as
the caller says), the full query, the time zone and language (times and labels), and the host
(the links).
"""

import hashlib
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from ascn_portal.outages import REDIS

logger = logging.getLogger(__name__)
REDIS_AWAY = REDIS  # one warning per outage, whichever use of Redis meets it first


class Generation:
    def __init__(self, name: str, models: tuple[str, ...]):
        self.name = name
        self.models = models
        self.key = f"generation:{name}"

    def connect(self) -> None:
        """Watch the models, and their many-to-many relations (called once, from an app's `ready`)."""
        for label in self.models:
            model = apps.get_model(label)
            uid = f"generation:{self.name}:{label}"
            post_save.connect(self._on_write, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(self._on_write, sender=model, dispatch_uid=f"{uid}:delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    self._on_write, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
                )

    def _on_write(self, sender, **kwargs) -> None:
        if kwargs.get("raw"):  # fixtures being loaded: `changed()` is called once at the end
            return
        self.changed()

    def changed(self) -> None:
        """A new token once the current transaction commits (at once outside one); once per transaction."""
        connection = transaction.get_connection()
        if connection.in_atomic_block and any(func == self._renew for _, func, _ in connection.run_on_commit):
            return  # a transaction deleting a thousand projects renews the token once
        transaction.on_commit(self._renew, robust=True)

    def _renew(self) -> None:
        # After commit, so a failure cannot undo the write: with Redis away the renewal is owed and
        # made when Redis answers again (pages kept meanwhile also expire by themselves).
        REDIS.call(cache.set, self.key, uuid.uuid4().hex, None, owed=self.key)

    def current(self) -> str:
        token = cache.get(self.key)
        if token is None:  # Redis was emptied: start a new generation, whoever sets it first
            cache.add(self.key, uuid.uuid4().hex, None)
            token = cache.get(self.key)
        return token


# Pages past this one, and searches by free text, are not kept: what a client can make the cache
# hold is bounded by the lists' real filters, not by what it can type.
MAX_CACHED_PAGE = 20


def page_key(request, scope: str, query: list[tuple[str, str]]) -> str:
    """The key of a page: who sees it, and the query as validated and normalised (`query`), never
    the raw query string, whose unknown parameters would make keys without end."""
    parts = [
        scope, request.path, repr(query), timezone.get_current_timezone_name(),
        translation.get_language() or "", request.build_absolute_uri("/"),
    ]  # fmt: skip
    return "api-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_page(request, *, generation: Generation, scope: str | None, build, query=None):
    """The page `build()` makes, from the cache while `generation` is current.

    `scope` names everyone who would see the same page; `None` means this reader's page is their
    own (drafts of their plans, say) and is neither read from nor written to the cache. `query` is
    the request's filters, ordering and page as validated and normalised by the view; None (a free
    text search, a far page) means the page is not kept.
    """
    seconds = settings.API_LIST_CACHE_SECONDS
    if scope is None or seconds <= 0 or query is None:
        return build()
    key = page_key(request, scope, query)
    if not REDIS.settle():  # a generation's renewal still owed: the kept pages may be stale
        return build()
    try:
        found = cache.get_many([generation.key, key])  # one round trip
        token = found.get(generation.key) or generation.current()
    except Exception as error:  # Redis not answering: answer from the database
        REDIS_AWAY.failed(error)
        return build()
    REDIS_AWAY.answered()
    entry = found.get(key)
    if entry is not None and entry[0] == token:
        return entry[1]
    data = build()
    try:
        cache.set(key, (token, data), seconds)
    except Exception as error:
        REDIS_AWAY.failed(error)
    return data


def cached_value(generation: Generation, parts: tuple, build, seconds: int):
    """`build()`, kept in Redis while `generation` is current (at most `seconds`; 0: not kept). For
    what a list derives from the whole of its data: its count, a partner's ranking. Redis away: built."""
    if seconds <= 0:
        return build()
    key = "api-value:" + hashlib.sha256(repr((generation.name, *parts)).encode()).hexdigest()
    if not REDIS.settle():
        return build()
    try:
        found = cache.get_many([generation.key, key])
        token = found.get(generation.key) or generation.current()
    except Exception as error:
        REDIS_AWAY.failed(error)
        return build()
    REDIS_AWAY.answered()
    entry = found.get(key)
    if entry is not None and entry[0] == token:
        return entry[1]
    value = build()
    try:
        cache.set(key, (token, value), seconds)
    except Exception as error:
        REDIS_AWAY.failed(error)
    return value
