from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The published-project catalogue: it stands above plans and partners, which know nothing of it."""

    name = "catalogue"
    verbose_name = "Project catalogue"

    def ready(self):
        from . import kinds, reminders  # noqa: F401  the new-projects notification and its hourly producer
