from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ascn_portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"
