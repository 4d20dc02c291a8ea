"""One warning per outage of a service the portal can work without for a while (Redis, the mail server).

While Redis is away every request would otherwise log a traceback. An `Outage` logs one warning
when the service first fails to answer in this process, and one line when it answers again.
"""

from __future__ import annotations

import logging
import threading


class Outage:
    def __init__(self, what: str, consequence: str, logger: logging.Logger):
        self.what, self.consequence, self.logger = what, consequence, logger
        self.down = False
        self._lock = threading.Lock()

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
