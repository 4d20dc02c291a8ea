"""The one reading of a number sent to the portal: a JSON value, a form field or a spreadsheet cell.

`to_decimal()` and `to_integer()` give a finite `Decimal` or `int` within the field's bounds, or raise
`ValidationError` with a sentence a person can act on. They take an `int`, a finite `float` (what
JSON and spreadsheet cells give), a finite `Decimal` or a string of ASCII digits with an optional
sign and decimal point; with `grouping` also digits in groups of three separated by commas or spaces
("1,500,000.00", "1 500 000"), as a person types them in a form. Everything else is refused:
booleans, lists, objects, `inf`, `nan`, exponents (`1e999`), digits of other scripts, underscores, and
numbers beyond the field's digits or the database's 64-bit integers.

`DecimalField` and `IntegerField` below are the form fields that read with them. Callers name the
field: the API's fields answer `{"field": ["message"]}`, forms show the message
beside the field, the offline template names the sheet and cell.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.translation import gettext_lazy as _

BIGINT_MAX = 2**63 - 1  # PostgreSQL's bigint: no integer column holds more

_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# Thousands in groups of three, one separator throughout: "1,500,000.50", "1 500 000".
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?P<sep>[, \u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\.[0-9]*)?", re.ASCII)
_LONGEST = 60  # characters: no number a field takes is longer, and a longer one is not read at all

NOT_A_NUMBER = _("Enter a number.")
NOT_A_WHOLE_NUMBER = _("Enter a whole number.")


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _from_text(value: str, *, grouping: bool, whole: bool) -> Decimal:
    text = value.strip()
    if grouping and _GROUPED.fullmatch(text):
        text = re.sub(r"[, \u00a0\u202f]", "", text)
    if len(text) > _LONGEST or not _PLAIN.fullmatch(text):
        raise _refuse(NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER, "invalid")
    return Decimal(text)


def _as_decimal(value, *, grouping: bool, whole: bool) -> Decimal:
    # bool is an int in Python; True is not a number anyone means to send.
    if isinstance(value, bool) or value is None:
        raise _refuse(NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER, "invalid")
    if isinstance(value, int):
        if abs(value) > BIGINT_MAX:
            raise _refuse(_("This number is too large."), "max_value")
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse(NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER, "invalid")
        return Decimal(repr(value))  # 0.1 is "0.1", not its binary expansion
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _refuse(NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER, "invalid")
        if value.adjusted() > _LONGEST:
            raise _refuse(_("This number is too large."), "max_value")
        return value
    if isinstance(value, str):
        return _from_text(value, grouping=grouping, whole=whole)
    raise _refuse(NOT_A_WHOLE_NUMBER if whole else NOT_A_NUMBER, "invalid")  # lists, objects, bytes, ...


def _bounds(number, min_value, max_value) -> None:
    if min_value is not None and number < min_value:
        raise _refuse(_("Enter a number of at least %(limit)s."), "min_value", limit=min_value)
    if max_value is not None and number > max_value:
        raise _refuse(_("Enter a number of at most %(limit)s."), "max_value", limit=max_value)


def to_decimal(value, *, max_digits: int | None = 16, decimal_places: int | None = 2, min_value=None,
               max_value=None, grouping: bool = False) -> Decimal:  # fmt: skip
    """A finite Decimal of at most `max_digits` digits, `decimal_places` of them after the point."""
    number = _as_decimal(value, grouping=grouping, whole=False)
    _sign, digits, exponent = number.normalize().as_tuple()  # "5.000" has no more places than "5"
    places, whole_digits = max(0, -exponent), max(0, len(digits) + exponent)
    if decimal_places is not None and places > decimal_places:
        raise _refuse(_("Enter a number with at most %(places)s digits after the point."), "max_decimal_places",
                      places=decimal_places)  # fmt: skip
    if max_digits is not None and whole_digits > max_digits - (decimal_places or 0):
        raise _refuse(_("Enter a number of at most %(digits)s digits before the point."), "max_whole_digits",
                      digits=max_digits - (decimal_places or 0))  # fmt: skip
    _bounds(number, min_value, max_value)
    exponent = number.as_tuple().exponent
    if exponent > 0:  # 1E+6 from a float's repr: written out
        number = Decimal(int(number))
    elif decimal_places is not None and -exponent > decimal_places:  # "5.000" for two places: 5.00
        number = number.quantize(Decimal(1).scaleb(-decimal_places))
    return number


def to_integer(value, *, min_value: int | None = -BIGINT_MAX, max_value: int | None = BIGINT_MAX,
               grouping: bool = False) -> int:  # fmt: skip
    """An int within the bounds (PostgreSQL's bigint when none are given). A float or decimal that is
    a whole number (3.0, from a spreadsheet cell) is taken; 3.5 is not."""
    number = _as_decimal(value, grouping=grouping, whole=True)
    if number != number.to_integral_value():
        raise _refuse(NOT_A_WHOLE_NUMBER, "invalid")
    if abs(number) > BIGINT_MAX:
        raise _refuse(_("This number is too large."), "max_value")
    number = int(number)
    _bounds(number, min_value if min_value is not None else -BIGINT_MAX,
            max_value if max_value is not None else BIGINT_MAX)  # fmt: skip
    return number


# Form fields --------------------------------------------------------------------------------


class DecimalField(forms.DecimalField):
    """A form's decimal read by the parser: "1,500,000.50" and "1 500 000" as people type them;
    `inf`, `nan`, `1e999` and digits beyond the field refused beside the field."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]  # the parser's

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return to_decimal(value, max_digits=self.max_digits, decimal_places=self.decimal_places, grouping=True)
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid") from None

    def validate(self, value):
        forms.Field.validate(self, value)  # finiteness is the parser's


class IntegerField(forms.IntegerField):
    """A form's whole number read by the parser ("1,000" as people type it)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return to_integer(value, grouping=True)
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid") from None
