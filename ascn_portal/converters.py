"""Path converters that refuse, with a 404, what no record can be: an id or a year out of range.

Django's `int` converter takes any number of digits, and a 21-digit id or year reached PostgreSQL
as a value out of range (a 500). `<id:pk>` takes 1 to 18 digits (bigint), `<year:year>` four.
"""

from django.urls import register_converter
from django.urls.converters import IntConverter

ID_PATTERN = "[0-9]{1,18}"


class IdConverter(IntConverter):
    regex = ID_PATTERN


class YearConverter(IntConverter):
    regex = "[0-9]{4}"


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
