"""The monitoring round's notifications, with the contexts `services.round_open` and
`services.city_report_move` store (the examples every kind gives, see
`ascn_portal.notifications.kinds`)."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind


def _opened() -> dict[str, dict]:
    # round_open tells the officers of each city with projects running that year.
    return {
        "city_officers": {
            "year": 2025,
            "city": "Bangkok",
            "deadline": "31 March 2026",
            "note": "Be brief & add photos.\nThanks.",
        }
    }


def _moved(tells: str, comment: str):
    # city_report_move tells the secretariat of a submission, the city's officers of a decision.
    def examples() -> dict[str, dict]:
        return {tells: {"year": 2025, "city": "Bangkok", "by": "Siti Secretariat", "comment": comment}}

    return examples


register_kind(
    Kind("monitoring.opened", _("Monitoring rounds opened"), examples=_opened),
    Kind("monitoring.submitted", _("Cities' monitoring reports submitted"), examples=_moved("secretariat", "")),
    Kind("monitoring.returned", _("Monitoring reports returned for changes"),
         examples=_moved("city_officers", "Add P2's 2025 funding & its source.")),
    Kind("monitoring.accepted", _("Monitoring reports accepted"), examples=_moved("city_officers", "")),
)  # fmt: skip
