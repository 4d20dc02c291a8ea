from django.apps import AppConfig

from ascn_portal.personal_data import register_public_texts


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

        # What the public reads: checked for emails and phones when saved in the admin.
        register_public_texts("events.Event", "name", "description", "venue", "place", "host")
        register_public_texts("events.Session", "title", "room")
        register_public_texts("events.Outcome", "text")
