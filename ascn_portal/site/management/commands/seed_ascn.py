from django.core.management.base import BaseCommand, CommandError

from cities.services import ReferenceDataError

from ...reference import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the network's reference data (member states, cities, framework, partners, chairs, "
        "city networks) from data/reference/. Idempotent: a second run changes nothing."
    )

    def handle(self, *args, **options):
        try:
            report = reference_data_load()
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {report.changed} rows created or updated."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data already up to date: nothing changed."))
