"""One warning per outage of a service the portal can work without for a while (Redis, the mail server).

While Redis is away every request would otherwise log a traceback, and each use of it (the list
cache, the cache generations, the roll-up, the rate limit, the task broker, the open data sizes,
an import's progress) would log its own. An `Outage` logs one warning when the service first fails
to answer in this process, and one line when it answers again. Every use of Redis goes through the
one `REDIS` (`REDIS.call(...)`, or `failed` / `answered` around its own `try`), so an outage is one
warning whatever it stops; `MAIL` is the mail server's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


class Outage:
    def __init__(self, what: str, consequence: str, logger: logging.Logger = logger):
        self.what, self.consequence, self.logger = what, consequence, logger
        self.down = False
        self._lock = threading.Lock()
        self._owed: dict[Any, Callable[[], object]] = {}

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if self.down:
                return
            self.down = True
        self.logger.warning("%s is not answering (%s: %s); %s, until it answers again.", self.what,
                            type(error).__name__, error, self.consequence)  # fmt: skip

    def answered(self) -> None:
        if not self.down:  # the usual case: no lock, no log
            return
        with self._lock:
            if not self.down:
                return
            self.down = False
        self.logger.warning("%s answers again.", self.what)

    def settle(self) -> bool:
        """Make what was owed since the outage (a cache generation's renewal); True when nothing is
        owed any more. What reads under a generation asks this first: a page kept before a change
        made while Redis was away must not be served once it answers again."""
        if not self._owed:  # the usual case: nothing to do
            return True
        with self._lock:
            owed = list(self._owed.items())
        for key, operation in owed:
            try:
                operation()
            except Exception as error:
                self.failed(error)
                return False
            with self._lock:
                if self._owed.get(key) is operation:
                    del self._owed[key]
        self.answered()
        return True

    def call(self, operation: Callable[..., Any], *args, default: Any = None, owed: Any = None, **kwargs) -> Any:
        """`operation(*args, **kwargs)`, or `default` if the service does not answer (counted in the
        outage, never raised). With `owed` (a key), a failed operation is owed: `settle()` makes it
        before anything reads what it would have changed."""
        try:
            result = operation(*args, **kwargs)
        except Exception as error:  # redis, kombu and socket errors alike: the service is away
            if owed is not None:
                with self._lock:
                    self._owed[owed] = lambda: operation(*args, **kwargs)
            self.failed(error)
            return default
        if owed is not None and owed in self._owed:  # done since: nothing owed for it any more
            with self._lock:
                self._owed.pop(owed, None)
        self.answered()
        return result


REDIS = Outage(
    "Redis",
    "lists and figures are read from the database, API requests are not counted against the rate "
    "limit, emails and imports wait in PostgreSQL for the sweep, import progress is not shown",
)
