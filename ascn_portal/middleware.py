"""The last line for writes that meet a database rule at the same moment as another write."""

import logging

from django.db import IntegrityError
from django.http import JsonResponse
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
