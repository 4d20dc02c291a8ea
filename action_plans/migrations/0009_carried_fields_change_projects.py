"""A project's list item carries its city's slug, its member state's code and its focus areas' slugs: when one
of them changes, or a focus area is added or taken off, the project is changed for `updated_since`
(`ascn_portal.api.carried`)."""

from django.db import migrations

from ascn_portal.api.carried import NOW, when_changed, when_written

TRIGGERS = [
    when_changed(
        "action_plans_city_carried", "cities_city", ["slug", "member_state_id"],
        f"UPDATE action_plans_priorityproject SET updated_at = {NOW} WHERE catalogue_city_id = NEW.id",
    ),
    when_changed(
        "action_plans_memberstate_carried", "cities_memberstate", ["code"],
        f"UPDATE action_plans_priorityproject SET updated_at = {NOW} WHERE catalogue_member_state_id = NEW.id",
    ),
    when_changed(
        "action_plans_focusarea_carried", "cities_focusarea", ["slug"],
        f"UPDATE action_plans_priorityproject SET updated_at = {NOW} WHERE id IN "
        "(SELECT priorityproject_id FROM action_plans_priorityproject_focus_areas WHERE focusarea_id = NEW.id)",
    ),
    when_written(
        "action_plans_project_focus_areas_carried", "action_plans_priorityproject_focus_areas",
        f"UPDATE action_plans_priorityproject SET updated_at = {NOW} WHERE id = ROW.priorityproject_id",
    ),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("action_plans", "0008_coded_fields_checked"),
        ("cities", "0002_coded_fields_checked"),
    ]

    operations = [migrations.RunSQL(forward, backward) for forward, backward in TRIGGERS]
