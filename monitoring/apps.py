from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring and reports"

    def ready(self):
        # The round's notifications, and the lock on a city's progress reports while they are reviewed.
        from . import kinds, locks  # noqa: F401
        from .rollup import FIGURES

        FIGURES.connect()
