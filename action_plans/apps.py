from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "action_plans"
    verbose_name = "Action plans"

    def ready(self):
        # The plan workflow's notifications, the progress report reminder, the plans on a city's page.
        from . import kinds, reminders, selectors, sync  # noqa: F401  (sync: projects leaving lists)
        from .catalogue import CATALOGUE

        CATALOGUE.connect()
