"""What can be imported and exported: each app registers its resources (django-import-export), by key."""

from __future__ import annotations

_RESOURCES: dict[str, type] = {}


def register(key: str):
    """`@register("cities.city")` on a resource class."""

    def add(resource_class):
        _RESOURCES[key] = resource_class
        resource_class.key = key
        return resource_class

    return add


def resource_for(key: str):
    try:
        return _RESOURCES[key]
    except KeyError:
        raise LookupError(f"No spreadsheet resource {key!r}") from None
