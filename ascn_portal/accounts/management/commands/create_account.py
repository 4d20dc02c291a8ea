import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cities.models import City, MemberState
from partners.models import Partner

from ...services import ROLES, account_create, user_invite


class Command(BaseCommand):
    help = (
        "Create a person and their office. Without --password-stdin, email them an invitation "
        "with a one-time link to set their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--member-state", metavar="CODE", help="ISO code of the member state (role nr)")
        parser.add_argument("--city", metavar="SLUG", help="the city (roles csco and city_team)")
        parser.add_argument("--partner", metavar="SLUG", help="the partner (role partner)")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--title", default="", help="title in the office, e.g. 'Director, Smart City Office'")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args, **options):
        role = options["role"]
        member_state = self._get(MemberState, "code", (options["member_state"] or "").upper(), "--member-state")
        city = self._get(City, "slug", options["city"], "--city")
        partner = self._get(Partner, "slug", options["partner"], "--partner")
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("No password on standard input.")
        try:
            user = account_create(
                email=options["email"],
                role=role,
                full_name=options["name"],
                password=password,
                member_state=member_state,
                city=city,
                partner=partner,
                title=options["title"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{user.email}: {role} account ready."))
        if password is None and not user.has_usable_password():
            user_invite(user=user)
            self.stdout.write(f"Invitation queued for {user.email}; it is emailed by the Celery worker.")

    def _get(self, model, field, value, option):
        if not value:
            return None
        try:
            return model.objects.get(**{field: value})
        except model.DoesNotExist:
            raise CommandError(f"{option}: no {model._meta.verbose_name} {value!r}.") from None
