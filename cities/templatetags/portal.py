from django import template

register = template.Library()


@register.filter
def pct_step(value, total):
    """Percent of `total`, rounded to a step of 5, for the `w-pct-N` width classes."""
    try:
        share = 100 * float(value) / float(total)
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
    return min(100, max(0, int(5 * round(share / 5))))
