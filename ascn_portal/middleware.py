"""What every request passes: addresses with control characters refused, conflicts answered as 409,
the API's errors in JSON."""

import logging
import re

from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import render

from ascn_portal import errors

logger = logging.getLogger(__name__)


class ConflictMiddleware:
    """A unique or exclusion constraint met by a concurrent write, or a domain `Conflict` a page did
    not handle, is a 409 that says so, never a 500. (The API answers these itself.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, errors.Conflict):
            message = str(exception)
        elif isinstance(exception, IntegrityError):
            logger.info("A write met a database constraint at %s: %s", request.path, exception)
            message = "What you sent conflicts with a record saved at the same moment."
        else:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=409)
        return render(request, "409.html", {"message": message}, status=409)


class ApiErrorsAsJsonMiddleware:
    """Under /api/, what Django answers itself (a path that matches no route, with debug on or off)
    is JSON like the rest of the API, never an HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return JsonResponse({"detail": "Not found."}, status=404)
        return response


# C0 controls (NUL to US) and DEL, raw or percent-encoded in the path (the path is decoded by then).
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


class ControlCharactersMiddleware:
    """No address holds a control character: a path with one (`/member-states/%00/`) is a 404
    everywhere, before any view, converter or query reads it (PostgreSQL refuses NUL in text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path_info) or CONTROL_CHARACTERS.search(request.path):
            raise Http404("No page has a control character in its address.")
        return self.get_response(request)
