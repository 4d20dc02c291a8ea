from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """A dict's value by a key held in a variable."""
    return mapping.get(key) if mapping else None
