from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from ...models import User


class Command(BaseCommand):
    help = "Create an API token for a person and print it once. Only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--days", type=int, default=90, help="days until the token expires (default 90)")

    def handle(self, *args, **options):
        if not 1 <= options["days"] <= 3650:
            raise CommandError("--days must be between 1 and 3650.")
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account with the email {options['email']!r}.")
        if not user.has_perm("accounts.hold_api_token"):
            raise CommandError(f"{user.email} is not an active account.")
        instance, token = AuthToken.objects.create(user=user, expiry=timedelta(days=options["days"]))
        self.stderr.write(
            f"Token for {user.email}, expires {instance.expiry:%Y-%m-%d %H:%M %Z}. It is shown only this once:"
        )
        self.stdout.write(token)
