"""The notifications of the action plan workflow and of yearly progress."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.kinds import Kind, register_kind


def _moved(tells: tuple[str, ...], by: str, comment: str = "", on_behalf: bool = False):
    """What `services._notify_transition` stores, for those the move tells (`choices.MOVES`)."""

    def examples() -> dict[str, dict]:
        context = {"plan": "Bangkok Smart City Action Plan 2024-2026", "city": "Bangkok", "by": by,
                   "comment": comment, "on_behalf": on_behalf}  # fmt: skip
        return dict.fromkeys(tells, context)

    return examples


def _due() -> dict[str, dict]:
    titles = ["Flood sensors on the Chao Phraya", "Smart traffic lights"]
    return {"city_officers": {"year": 2025, "city": "Bangkok", "projects": titles, "count": len(titles)}}


register_kind(
    Kind("action_plan.submitted", _("Action plans submitted for review"),
         examples=_moved(("nr", "secretariat", "city_officers"), "Busaba Officer")),
    Kind("action_plan.endorsed", _("Action plans endorsed"),
         examples=_moved(("secretariat", "city_officers"), "Niran Representative", on_behalf=True)),
    Kind("action_plan.approved", _("Action plans approved"),
         examples=_moved(("city_officers", "nr"), "Siti Secretariat")),
    Kind("action_plan.returned", _("Action plans returned to draft"),
         examples=_moved(("city_officers",), "Siti Secretariat", comment="Give each project a cost.\nThanks.")),
    Kind("progress_report.due", _("Progress reports due"), examples=_due),
)  # fmt: skip
