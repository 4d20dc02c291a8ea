from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ascn_portal.accounts"
    label = "accounts"
    verbose_name = "People"

    def ready(self):
        from ascn_portal import policy  # noqa: F401  registers the portal's rules
