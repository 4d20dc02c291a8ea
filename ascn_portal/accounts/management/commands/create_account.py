import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...offices import OFFICE_KINDS
from ...services import account_create, roles, user_invite


class Command(BaseCommand):
    help = (
        "Create a person and their office. Without --password-stdin, email them an invitation "
        "with a one-time link to set their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=roles())
        # One option per kind of place an office is held in (--member-state, --city, --partner).
        held_in = {}
        for kind in OFFICE_KINDS.values():
            if kind.held_in:
                held_in.setdefault(kind.held_in, []).append(kind)
        for name, kinds in held_in.items():
            help_text = f"{kinds[0].help} (role {', '.join(k.role for k in kinds)})"
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="CODE_OR_SLUG", help=help_text)
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--title", default="", help="title in the office, e.g. 'Director, Smart City Office'")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args, **options):
        role = options["role"]
        kind = OFFICE_KINDS[role]
        held_in = {}
        if kind.held_in and options.get(kind.held_in):
            value = options[kind.held_in]
            try:
                held_in[kind.held_in] = kind.find(value)
            except LookupError:
                option = f"--{kind.held_in.replace('_', '-')}"
                raise CommandError(f"{option}: no {kind.held_in.replace('_', ' ')} {value!r}.") from None
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
                title=options["title"],
                **held_in,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if user.already_held:
            where = f" of {held_in[kind.held_in]}" if kind.held_in else ""
            self.stdout.write(self.style.WARNING(f"{user.email} already holds this office ({role}{where}): "
                                                 "nothing changed."))  # fmt: skip
            return
        self.stdout.write(self.style.SUCCESS(f"{user.email}: {role} account ready."))
        if password is None and not user.has_usable_password():
            user_invite(user=user)
            self.stdout.write(f"Invitation queued for {user.email}; it is emailed by the Celery worker.")
