from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ascn_portal.accounts"
    label = "accounts"
    verbose_name = "People"

    def ready(self):
        from . import kinds  # noqa: F401  the notifications about a person's own account
