from django.apps import AppConfig

from ascn_portal.personal_data import register_public_texts


class ActionPlansConfig(AppConfig):
    name = "action_plans"
    verbose_name = "Action plans"

    def ready(self):
        # The plan workflow's notifications, the progress report reminder, the plans on a city's page.
        from . import kinds, reminders, selectors, sync  # noqa: F401  (sync: projects leaving lists)
        from .catalogue import CATALOGUE

        CATALOGUE.connect()
        # What the public reads: checked for emails and phones before submission, masked in open data.
        register_public_texts("action_plans.ActionPlan", "title", "vision", "challenges", "objectives")
        register_public_texts("action_plans.PriorityProject", "title", "summary", "description", "location")
        register_public_texts("action_plans.ProjectKPI", "name", "unit")
