from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "action_plans"
    verbose_name = "Action plans"

    def ready(self):
        from . import reminders  # noqa: F401  registers the progress report reminder
        from .catalogue import CATALOGUE

        CATALOGUE.connect()
