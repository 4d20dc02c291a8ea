from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from . import (  # noqa: F401  the event notifications and the reminders before events
            kinds,
            reminders,
            resources,  # noqa: F401  registrations and attendance as spreadsheets
            sync,  # events leaving the list, for mirrors
        )
