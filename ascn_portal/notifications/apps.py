from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ascn_portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check of the kinds' templates)
