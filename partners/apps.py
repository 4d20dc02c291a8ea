from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from . import reminders  # noqa: F401  registers the hourly announcement of new projects
