"""The notifications about events: seats, reminders and changes."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind

register_kind(
    Kind("event.registered", _("Event registrations")),
    Kind("event.promoted", _("A seat freed for you at an event")),
    Kind("event.reminder", _("Reminders before events")),
    Kind("event.changed", _("Changes of time or venue of events")),
)
