from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        # Where partner contacts are read from, the partnership notifications, twinnings on a city's page.
        from . import kinds, offices, resources, selectors, sync  # noqa: F401
