"""The API's rate limit: one allowance per client, counted in Redis at a constant cost per request.

DRF's own throttles keep each client's timestamps in a list, read and written whole on every
request, so a request costs more the more requests the rate allows (a program allowed 600 a
minute makes every request unpickle and pickle up to 600 floats, twice: once per throttle class).
This one keeps two counters per client, this window's and the last one's, and estimates the
sliding window from them: the last window's count weighted by how much of it still overlaps,
plus this window's. One round trip to Redis, whatever the rate.
"""

import contextlib
import logging
import math

import redis
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ascn_portal.client_address import client_address
from ascn_portal.outages import REDIS

logger = logging.getLogger(__name__)
REDIS_AWAY = REDIS  # one warning per outage, whichever use of Redis meets it first

# One client per location: the cache's Redis, wherever the settings point it.
_clients: dict[str, redis.Redis] = {}


def _redis() -> redis.Redis:
    location = settings.CACHES["default"]["LOCATION"]
    client = _clients.get(location)
    if client is None:
        client = _clients[location] = redis.Redis.from_url(location, socket_connect_timeout=1, socket_timeout=1)
    return client


class RateThrottle(SimpleRateThrottle):
    """`anon` for clients not signed in (by address), `user` for accounts; rates from DEFAULT_THROTTLE_RATES.

    A refused request does not count against the allowance. If Redis does not answer, requests
    are let through (and logged): the limit protects the service, it must not stop it.
    """

    def __init__(self):  # the scope is chosen per request, not per class
        self.wait_seconds = None

    def allow_request(self, request, view):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            scope, ident = "user", str(user.pk)
        else:
            scope, ident = "anon", client_address(request)  # X-Forwarded-For only from trusted proxies
        rate = self.THROTTLE_RATES.get(scope)
        if rate is None:
            return True
        allowed, duration = self.parse_rate(rate)
        now = self.timer()
        window = int(now // duration)
        key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:throttle:{scope}:{ident}:"
        try:
            pipe = _redis().pipeline()
            pipe.incr(f"{key}{window}")
            pipe.expire(f"{key}{window}", duration * 2)
            pipe.get(f"{key}{window - 1}")
            current, _, before = pipe.execute()
        except redis.RedisError as error:
            REDIS_AWAY.failed(error)
            return True
        REDIS_AWAY.answered()
        before = int(before or 0)
        elapsed = now - window * duration
        if before * (1 - elapsed / duration) + current <= allowed:
            return True
        with contextlib.suppress(redis.RedisError):
            _redis().decr(f"{key}{window}")  # a refused request is not counted
        self.wait_seconds = self._wait(allowed, duration, elapsed, current - 1, before)
        return False

    @staticmethod
    def _wait(allowed, duration, elapsed, current, before) -> int:
        """Seconds until one more request fits: the last window's weight decays, this one ends."""
        if current >= allowed or before == 0:
            return max(1, math.ceil(duration - elapsed))
        # before * (1 - t / duration) + current + 1 <= allowed, solved for t, from now
        fits_at = duration * (1 - (allowed - current - 1) / before)
        return max(1, math.ceil(fits_at - elapsed))

    def wait(self):
        return self.wait_seconds
