"""Every number a program writes through the API is read by the one parser: the walk goes over the
router's registry, finds each write operation's request serializer as the OpenAPI schema does, and
sends each of its integer and decimal fields the hostile values."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers

from ascn_portal.api import fields
from ascn_portal.api_urls import router

WRITES = {"POST", "PUT", "PATCH"}
HOSTILE = [[1], {"a": 1}, True, False, float("inf"), float("-inf"), float("nan"), "inf", "-inf", "nan", "NaN",
           "Infinity", "1e999", "1e3", 10**30, -(10**30), "1" * 5000, "١٢", "1_000", "0x10"]  # fmt: skip


def _numbers(field, name=""):
    """The number fields under a serializer (nested serializers, lists and dicts included)."""
    if getattr(field, "read_only", False):
        return
    if isinstance(field, serializers.ListSerializer):
        yield from _numbers(field.child, name)
    elif isinstance(field, serializers.Serializer):
        for child_name, child in field.fields.items():
            yield from _numbers(child, f"{name}.{child_name}".strip("."))
    elif isinstance(field, serializers.ListField | serializers.DictField):
        yield from _numbers(field.child, f"{name}[]")
    elif isinstance(field, serializers.IntegerField | serializers.DecimalField | serializers.FloatField):
        yield name, field


def _write_serializers():
    generator = SchemaGenerator(patterns=router.urls)
    generator._initialise_endpoints()
    found = []
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        if method not in WRITES:
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        serializer = view.schema.get_request_serializer()
        if isinstance(serializer, type):
            serializer = serializer()
        found.append((f"{method} {path}", type(view), serializer))
    return found


WRITE_SERIALIZERS = _write_serializers()


def test_the_walk_covers_every_writable_viewset_of_the_router():
    writable = {
        viewset
        for _prefix, viewset, _basename in router.registry
        for route in router.get_routes(viewset)
        if {m.upper() for m in router.get_method_map(viewset, route.mapping)} & WRITES
    }
    assert writable and writable <= {view for _op, view, _serializer in WRITE_SERIALIZERS}


NUMBER_FIELDS = [(f"{operation} {name}", field) for operation, _view, serializer in WRITE_SERIALIZERS
                 if serializer is not None for name, field in _numbers(serializer)]  # fmt: skip


def test_the_walk_finds_the_number_fields_it_must():
    names = {name for name, _field in NUMBER_FIELDS}
    assert any("progress-reports" in n and n.endswith("funding_secured_usd") for n in names)
    assert any("progress-reports" in n and n.endswith("kpi_values[]") for n in names)
    assert any("partnerships" in n and n.endswith("amount_usd") for n in names)


@pytest.mark.parametrize(("name", "field"), NUMBER_FIELDS, ids=[name for name, _f in NUMBER_FIELDS])
def test_every_number_field_of_a_write_refuses_the_hostile_values(name, field):
    assert isinstance(field, fields.IntegerField | fields.DecimalField), f"{name} is not read by the one parser"
    for value in HOSTILE:
        with pytest.raises(serializers.ValidationError):
            field.run_validation(value)
