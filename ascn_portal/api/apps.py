from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ascn_portal.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from rest_framework import serializers

        from . import schema  # noqa: F401  registers the token scheme for the OpenAPI document
        from .fields import DecimalField, IntegerField

        # Every ModelSerializer's numbers are read by the one parser (`ascn_portal.numbers`), as the
        # fields serializers declare themselves (`ascn_portal.api.fields`) are.

        mapping = serializers.ModelSerializer.serializer_field_mapping
        for model_field, field in list(mapping.items()):
            if field is serializers.IntegerField:
                mapping[model_field] = IntegerField
            elif field is serializers.DecimalField:
                mapping[model_field] = DecimalField
