"""`/health/`: can the portal reach its database, Redis and a Celery worker?"""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from redis import Redis

from .celery import app as celery_app


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis():
    client = Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _worker():
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=0)  # a broker that is down fails now, not after retries
        # The first reply is enough: do not wait out the timeout for more workers.
        replies = celery_app.control.ping(timeout=settings.HEALTH_CHECK_WORKER_TIMEOUT, connection=connection, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"{len(replies)} worker(s)"


CHECKS = {"database": _database, "redis": _redis, "worker": _worker}


@never_cache
def health(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail = check()
            results[name] = {"status": "ok", "detail": detail}
        except Exception as error:  # any failure of a dependency is the answer, not a 500
            healthy = False
            results[name] = {"status": "error", "detail": f"{type(error).__name__}: {error}"[:300]}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    failed = [name for name, result in results.items() if result["status"] != "ok"]
    body = {"status": "ok" if healthy else "error", "failed": failed, "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
