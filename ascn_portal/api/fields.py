"""Serializer fields that take exactly what the schema says they take."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ascn_portal import numbers


class DecimalField(serializers.DecimalField):
    """DRF's DecimalField read through the portal's one number parser (`ascn_portal.numbers`): lists,
    objects, booleans, `inf`, `nan`, exponents and numbers beyond the digits are a 400 naming the field."""

    def to_internal_value(self, data):
        if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            number = numbers.to_decimal(data, max_digits=self.max_digits, decimal_places=self.decimal_places)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return self.quantize(number)


class IntegerField(serializers.IntegerField):
    """DRF's IntegerField read through the portal's one number parser: no booleans, no `1e3`, no
    `3.5`, nothing beyond PostgreSQL's bigint even when the field names no bounds."""

    def to_internal_value(self, data):
        try:
            return numbers.to_integer(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class AmountField(DecimalField):
    """An amount of money as a string of digits with at most two decimals, e.g. "1500000.00".

    DRF's own DecimalField also takes " 5", "5.", ".5", "1e3" and JSON numbers, which its schema
    does not say; this one takes what it documents and refuses the rest with a clear message.
    """

    def __init__(self, *, max_digits=16, decimal_places=2, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        whole = max_digits - decimal_places
        self.pattern = rf"^\d{{1,{whole}}}(\.\d{{1,{decimal_places}}})?$"

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(self.pattern, data):
            raise serializers.ValidationError(
                f"Give an amount in USD as a string of digits with at most {self.decimal_places} decimals, "
                f'e.g. "1500000.00".'
            )
        return super().to_internal_value(data)


# The schema of the default amount (16 digits, 2 of them decimals), as `pattern` above builds it.
extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^\d{1,14}(\.\d{1,2})?$"})(AmountField)


ASCII_SPACE = " \t\n\r\f\v"


# At least one character that is not a space; none NUL (refused by CharField).
@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "pattern": "^[^\\u0000]*[^ \\t\\n\\r\\f\\v\\u0000][^\\u0000]*$",
    }
)
class NameField(serializers.CharField):
    """A name (a company, a person): text with at least one character that is not a space, a tab or
    a line break. Only those are trimmed, so the server and its schema agree on what is blank."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip(ASCII_SPACE)
        if not value:
            raise serializers.ValidationError("Give a name.")
        return value
