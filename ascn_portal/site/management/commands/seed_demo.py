from django.core.management.base import BaseCommand, CommandError

from ...demo import demo_clear, demo_seed


class Command(BaseCommand):
    help = (
        "Generate synthetic demo data (marked [Demo], partners demo-*, people @demo.invalid): published "
        "projects over every city, partners with contacts and interests, partnerships at every stage. "
        "A second run replaces the first; --clear removes it all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=1000, help="published projects (default 1000)")
        parser.add_argument("--partners", type=int, help="partners (default: projects / 5)")
        parser.add_argument("--partnerships", type=int, help="partnerships (default: 2 x projects)")
        parser.add_argument("--clear", action="store_true", help="remove the demo data and stop")

    def handle(self, *args, **options):
        if options["clear"]:
            self.stdout.write(f"Demo data removed: {demo_clear()}")
            return
        if not 1 <= options["projects"] <= 200_000:
            raise CommandError("--projects must be between 1 and 200000.")
        made = demo_seed(projects=options["projects"], partners=options["partners"],
                         partnerships=options["partnerships"])  # fmt: skip
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {made['projects']} projects in {made['plans']} plans, {made['partners']} partners "
            f"with contacts, {made['partnerships']} partnerships."
        ))  # fmt: skip
