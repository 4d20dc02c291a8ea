"""Request bodies with limits: at most `DJANGO_API_MAX_BODY_BYTES` (413) and nested at most
`MAX_DEPTH` deep (400), so no body makes a worker recurse or hold megabytes."""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def _check_size(parser_context) -> None:
    request = (parser_context or {}).get("request")
    length = request.META.get("CONTENT_LENGTH") if request is not None else None
    limit = settings.API_MAX_BODY_BYTES
    if length and str(length).isdigit() and int(length) > limit:
        raise BodyTooLarge(f"The request body is {int(length):,} bytes; at most {limit:,} are accepted.")


def _depth(value) -> int:
    """How deep lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check_size(parser_context)
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge(f"The request body is over {limit:,} bytes.")
        try:
            data = json.loads(raw.decode(settings.DEFAULT_CHARSET) or "null")
        except RecursionError:
            raise exceptions.ParseError(f"The JSON is nested too deep (at most {MAX_DEPTH} levels).") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"The body is not valid JSON: {error}") from None
        if _depth(data) > MAX_DEPTH:
            raise exceptions.ParseError(f"The JSON is nested too deep (at most {MAX_DEPTH} levels).")
        return data
