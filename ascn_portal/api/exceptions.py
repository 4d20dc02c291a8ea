"""JSON errors for every API failure: `{"detail": ...}` or `{"field": ["message"]}`.

The one translation of the domain's errors into API answers (`ascn_portal.errors`): a service's
`ValidationError` is a 400 naming the fields (or `detail` when it names none), `PermissionDenied`
a 403 with its reason, `Conflict` and `StaleVersion` a 409, a protected delete or a database
constraint met by a concurrent write a 409. Views let
them through instead of catching them.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from ascn_portal import errors


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed since you read it; reload and try again."
    default_code = "conflict"


def as_api_error(exc):
    """The DRF exception a domain error stands for (or the exception itself)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"detail": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, errors.Conflict):
        return Conflict(str(exc))
    if isinstance(exc, ProtectedError):
        return Conflict("Other records depend on this one, so it cannot be deleted.")
    if isinstance(exc, IntegrityError):  # a rule of the database met by a write made at the same moment
        return Conflict("This conflicts with a record saved at the same moment; read it again and retry.")
    return exc


def exception_handler(exc, context):
    response = drf_exception_handler(as_api_error(exc), context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": response.data}
    return response
