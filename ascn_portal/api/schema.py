import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db import DatabaseError, transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from .pagination import SyncPagination


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """Field errors: each field named with its messages; `detail` for errors of the whole request."""

    detail = serializers.CharField(required=False)

    class Meta:
        ref_name = "FieldErrors"


def _values_of(choice_filter) -> list[str] | None:
    """The values a record-naming filter takes, read from the database; None where there is no
    database yet (a system check before `migrate`): the schema then says "a string"."""
    queryset = choice_filter.extra.get("queryset")
    queryset = queryset(None) if callable(queryset) else queryset
    field = choice_filter.extra.get("to_field_name") or "pk"
    try:
        with transaction.atomic():  # a failed read must not break the request's transaction
            return sorted({str(value) for value in queryset.values_list(field, flat=True)})
    except DatabaseError:
        return None


# A character a text field stores: not NUL. (Lone surrogates are refused too, but schema validators
# that compile patterns as Unicode scalar values cannot name them.)
STORABLE = "[^\\u0000]"


def _paging_note(paginator) -> str:
    """What a reader of a paginated list must know about pages while the data changes."""
    note = (
        "Numbered pages (`page=`) are each read when asked: while rows are added, changed or removed between "
        "two requests, a row may come twice or be skipped."
    )
    if isinstance(paginator, SyncPagination):
        note += (
            " To keep a copy of this list, walk it with `cursor=` (or `updated_since=`): cursor pages are in id "
            "order and give each row once, none skipped, while the data changes."
        )
    return note


CHALLENGE = {
    "schema": {"type": "string"},
    "required": True,
    "description": "How to sign in: `Token` (send `Authorization: Token <key>`).",
}


class AutoSchema(SpectacularAutoSchema):
    """Documents the error answers every operation may give, beside its success, and the filters
    exactly as the server takes them."""

    def _get_filter_parameters(self):
        """A filter naming a record (`member_state=TH`, `city=bangkok`) takes the values that exist:
        documented as an enum read from the database (reference data), not as any string. A whole
        number filter is an integer, not any number."""
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset is not None else {}
        for parameter in parameters:
            found = filters.get(parameter["name"])
            if isinstance(found, django_filters.ModelChoiceFilter) and not found.extra.get("null_label"):
                values = _values_of(found)
                if values is not None:
                    parameter["schema"] = {"type": "string", "enum": ["", *values]}  # empty: no filter
            elif isinstance(found, django_filters.ChoiceFilter) and "enum" in parameter.get("schema", {}):
                choices = [value for value in parameter["schema"]["enum"] if value != ""]
                parameter["schema"] = {**parameter["schema"], "enum": ["", *choices]}  # empty: no filter
            elif isinstance(found, django_filters.NumberFilter):
                whole = issubclass(found.field_class, forms.IntegerField) and not issubclass(
                    found.field_class, forms.DecimalField
                )
                schema = {"type": "integer" if whole else "number"}
                if found.extra.get("min_value") is not None:
                    schema["minimum"] = found.extra["min_value"]
                if found.extra.get("max_value") is not None:
                    schema["maximum"] = found.extra["max_value"]
                parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}  # empty: no filter
            elif isinstance(found, django_filters.CharFilter):
                # Text without NUL characters (refused: PostgreSQL cannot store them), of a bounded length.
                schema = {**parameter.get("schema", {"type": "string"}), "pattern": "^[^\\u0000]*$"}
                if found.extra.get("max_length"):
                    schema["maxLength"] = found.extra["max_length"]
                parameter["schema"] = schema
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """Text a client sends is refused with a NUL (DRF's CharField validators;
        PostgreSQL cannot store them): the request schema says so, where the field states no pattern."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        plain = schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema)
        plain = plain and not any(isinstance(v, RegexValidator) for v in field.validators)  # its own pattern
        if direction == "request" and isinstance(field, serializers.CharField) and plain:
            schema["pattern"] = f"^{STORABLE}*$"
        return schema

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        paginator = self._get_paginator()
        if operation is not None and self.method == "GET" and self._is_list_view() and paginator is not None:
            operation["description"] = "\n\n".join(
                part for part in (operation.get("description", ""), _paging_note(paginator)) if part
            )
        return operation

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:  # `format=` (empty) is the default format, as DRF answers it
            parameter["schema"]["enum"] = ["", *parameter["schema"]["enum"]]
        return parameters

    def get_auth(self):
        auth = super().get_auth()
        # Reads are public (scoped by selectors), so signing in is optional for them, unless the
        # operation asks for a signed-in person (then an anonymous call is a 401).
        required = any(issubclass(p, IsAuthenticated) for p in getattr(self.view, "permission_classes", []))
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auth and not required:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {
            "401": (ErrorSerializer, "Not signed in, or the token is invalid or expired."),
            "403": (ErrorSerializer, "Signed in, but not allowed to do this."),
            "404": (ErrorSerializer, "Not found, or not visible to you."),
            "429": (ErrorSerializer, "Too many requests; retry after the time in Retry-After."),
        }
        declared_query = any(getattr(p, "location", None) == "query" for p in self.get_override_parameters())
        if self.method != "GET" or self._is_list_view() or self.get_filter_backends() or declared_query:
            errors["400"] = (FieldErrorsSerializer, "The request is invalid; the body says which field and why.")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors["409"] = (ErrorSerializer, "The record changed since you read it, or what you ask does not "
                             "apply to its current state, or a write made at the same moment took its place; "
                             "nothing was written.")  # fmt: skip
            errors["413"] = (ErrorSerializer, "The body is larger than the portal accepts.")
        for code, (serializer, description) in errors.items():
            if code not in responses:
                response = self._get_response_for_code(serializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        # A 401 always says how to sign in: the first authentication class (knox) gives the challenge.
        responses["401"].setdefault("headers", {})["WWW-Authenticate"] = CHALLENGE
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    """How programs sign in: `Authorization: Token <key>` (keys from the API tokens page or create_api_token)."""

    target_class = "ascn_portal.api.authentication.TrackedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`. Create keys on /accounts/tokens/; they expire and can be revoked.",
        }
