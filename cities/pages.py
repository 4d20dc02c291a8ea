"""What other apps add to a city's page.

The directory stands below every other app, so its city page cannot ask them: each app that
has something to show there registers a section (`city_page_section`), a function of the request
and the city returning template context. They run in the order the apps are installed.
"""

from __future__ import annotations

from collections.abc import Callable

CITY_PAGE_SECTIONS: list[Callable] = []


def city_page_section(section: Callable) -> Callable:
    if section not in CITY_PAGE_SECTIONS:
        CITY_PAGE_SECTIONS.append(section)
    return section


def city_page_context(request, city) -> dict:
    context = {}
    for section in CITY_PAGE_SECTIONS:
        context.update(section(request, city))
    return context
