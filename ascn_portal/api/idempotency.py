"""Safe retries of writes: a POST sent again with the same `Idempotency-Key` returns the first result.

The key's row is inserted in the same transaction as the write it guards. A retry that arrives while
the first is still running waits on the row's unique index, then finds the stored answer. A key
reused for a different request is refused (422), so a client bug cannot replay the wrong answer.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
KEEP = datetime.timedelta(hours=24)


def _fingerprint(request) -> str:
    return hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(handler):
    """Wrap a viewset write: with the header, run it once per key and replay its answer."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 255:
            raise ValidationError({HEADER: ["Use a key of at most 255 characters, such as a UUID."]})
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(user=request.user, key=key, method=request.method,
                                                               path=request.path, fingerprint=fingerprint)  # fmt: skip
                except IntegrityError:
                    return _replay(request, key, fingerprint)
                response = handler(view, request, *args, **kwargs)
                if response.status_code >= 500:
                    raise _Undo(response)
                record.status_code, record.body = response.status_code, response.data
                record.save(update_fields=["status_code", "body"])
        except _Undo as undo:
            return undo.response
        return response

    return wrapper


def _replay(request, key: str, fingerprint: str) -> Response:
    record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if record is None or record.status_code is None:
        return Response({"detail": "A request with this Idempotency-Key is still running; retry shortly."},
                        status=status.HTTP_409_CONFLICT)  # fmt: skip
    if (record.method, record.path, record.fingerprint) != (request.method, request.path, fingerprint):
        return Response({"detail": "This Idempotency-Key was used for a different request; use a new key."},
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY)  # fmt: skip
    replay = Response(record.body, status=record.status_code)
    replay["Idempotent-Replayed"] = "true"
    return replay


class _Undo(Exception):
    def __init__(self, response):
        self.response = response


def idempotency_keys_expire() -> int:
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted
