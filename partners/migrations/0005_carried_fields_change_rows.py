"""A twinning carries its city's and partner's slugs and its focus areas'; a partnership its project's
title, its city's slug, its partner's slug, its consortium and its moves (with the mover's name): when
one of them changes, the row is changed for `updated_since` (`ascn_portal.api.carried`)."""

from django.db import migrations

from ascn_portal.api.carried import NOW, when_changed, when_written

PARTNERSHIPS_OF_CITY = "project_id IN (SELECT id FROM action_plans_priorityproject WHERE catalogue_city_id = NEW.id)"

TRIGGERS = [
    when_changed(
        "partners_city_carried", "cities_city", ["slug"],
        f"UPDATE partners_twinning SET updated_at = {NOW} WHERE city_id = NEW.id; "
        f"UPDATE partners_projectpartnership SET updated_at = {NOW} WHERE {PARTNERSHIPS_OF_CITY}",
    ),
    when_changed(
        "partners_partner_carried", "partners_partner", ["slug"],
        f"UPDATE partners_twinning SET updated_at = {NOW} WHERE partner_id = NEW.id; "
        f"UPDATE partners_projectpartnership SET updated_at = {NOW} WHERE partner_id = NEW.id",
    ),
    when_changed(
        "partners_focusarea_carried", "cities_focusarea", ["slug"],
        f"UPDATE partners_twinning SET updated_at = {NOW} WHERE id IN "
        "(SELECT twinning_id FROM partners_twinning_focus_areas WHERE focusarea_id = NEW.id)",
    ),
    when_written(
        "partners_twinning_focus_areas_carried", "partners_twinning_focus_areas",
        f"UPDATE partners_twinning SET updated_at = {NOW} WHERE id = ROW.twinning_id",
    ),
    when_changed(
        "partners_project_carried", "action_plans_priorityproject", ["title", "catalogue_city_id"],
        f"UPDATE partners_projectpartnership SET updated_at = {NOW} WHERE project_id = NEW.id",
    ),
    when_written(
        "partners_consortium_carried", "partners_consortiummember",
        f"UPDATE partners_projectpartnership SET updated_at = {NOW} WHERE id = ROW.partnership_id",
    ),
    when_written(
        "partners_transition_carried", "partners_partnershiptransition",
        f"UPDATE partners_projectpartnership SET updated_at = {NOW} WHERE id = ROW.partnership_id",
    ),
    when_changed(
        "partners_mover_carried", "accounts_user", ["full_name"],
        f"UPDATE partners_projectpartnership SET updated_at = {NOW} WHERE id IN "
        "(SELECT partnership_id FROM partners_partnershiptransition WHERE by_id = NEW.id)",
    ),
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_coded_fields_checked"),
        ("action_plans", "0009_carried_fields_change_projects"),
        ("accounts", "0002_api_token_info"),
    ]

    operations = [migrations.RunSQL(forward, backward) for forward, backward in TRIGGERS]
