from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ascn_portal.api"
    label = "api"
    verbose_name = "API"
