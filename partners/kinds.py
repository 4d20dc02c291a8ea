"""The notifications about partnerships on projects."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind

PARTNERSHIP = {"partner": "Japan", "project": "Flood & drainage sensors", "city": "Bangkok",
               "stage": "Interest expressed", "support": "Financing"}  # fmt: skip


def _interest() -> dict[str, dict]:
    context = {**PARTNERSHIP, "by": "Kenji Contact", "message": "We could finance the sensors.\nCan we talk?"}
    return dict.fromkeys(("city_officers", "secretariat"), context)


def _moved() -> dict[str, dict]:
    by_city = {**PARTNERSHIP, "stage": "In discussion", "by": "Busaba Officer", "did": "started discussing",
               "comment": "Let us meet in March."}  # fmt: skip
    withdrawn = {**PARTNERSHIP, "stage": "Withdrawn", "by": "Kenji Contact", "did": "withdrew", "comment": ""}
    return {"partner_contacts": by_city, "city_officers": withdrawn, "secretariat": withdrawn}


def _twinning(on: str):
    def examples() -> dict[str, dict]:
        return dict.fromkeys(("city_officers", "partner_contacts"), {"city": "Bangkok", "partner": "Japan", "on": on})

    return examples


register_kind(
    Kind("partnership.interest", _("Partners interested in a project"), examples=_interest),
    Kind("partnership.moved", _("Partnerships moving on"), examples=_moved),
    Kind("twinning.started", _("Twinnings started"), examples=_twinning("2025-02-01")),
    Kind("twinning.ended", _("Twinnings ended"), examples=_twinning("2026-01-31")),
)
