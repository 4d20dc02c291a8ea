from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = "Network"

    def ready(self):
        from . import (
            offices,  # noqa: F401  registers where appointments are read from
            resources,  # noqa: F401  the directory's spreadsheets
        )
