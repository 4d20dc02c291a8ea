"""An event in a list carries its venue city's slug, its member state's code and its figures (registrations, check-ins): when
one of them changes, the event is changed for `updated_since` (`ascn_portal.api.carried`)."""

from django.db import migrations

from ascn_portal.api.carried import NOW, when_changed, when_written

TRIGGERS = [
    when_changed(
        "events_city_carried", "cities_city", ["slug"],
        f"UPDATE events_event SET updated_at = {NOW} WHERE venue_city_id = NEW.id",
    ),
    when_changed(
        "events_memberstate_carried", "cities_memberstate", ["code"],
        f"UPDATE events_event SET updated_at = {NOW} WHERE member_state_id = NEW.id",
    ),
    when_written(
        "events_registration_carried", "events_registration",
        f"UPDATE events_event SET updated_at = {NOW} WHERE id = ROW.event_id",
    ),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_coded_fields_checked"),
        ("cities", "0002_coded_fields_checked"),
    ]

    operations = [migrations.RunSQL(forward, backward) for forward, backward in TRIGGERS]
