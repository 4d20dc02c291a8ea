from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """Field errors: each field named with its messages; `detail` for errors of the whole request."""

    detail = serializers.CharField(required=False)

    class Meta:
        ref_name = "FieldErrors"


class AutoSchema(SpectacularAutoSchema):
    """Documents the error answers every operation may give, beside its success."""

    def get_auth(self):
        auth = super().get_auth()
        # Reads are public (scoped by selectors), so signing in is optional for them.
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auth:
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
        if self.method != "GET" or self._is_list_view() or self.get_filter_backends():
            errors["400"] = (FieldErrorsSerializer, "The request is invalid; the body says which field and why.")
        for code, (serializer, description) in errors.items():
            if code not in responses:
                response = self._get_response_for_code(serializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
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
