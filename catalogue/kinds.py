"""The notification of new published projects that fit a partner."""

from django.utils.translation import gettext_lazy as _

from ascn_portal.notifications.choices import Frequency
from ascn_portal.notifications.kinds import Kind, register_kind


def _examples() -> dict[str, dict]:
    projects = [
        {"id": 12, "title": "Flood sensors on the Chao Phraya", "city": "Bangkok", "score": 7,
         "reasons": "Finances projects in Thailand; quality environment", "link": "/projects/12/"},
        {"id": 15, "title": "Bus lanes", "city": "Cebu City", "score": 4, "reasons": "Implementation stage",
         "link": "/projects/15/"},
    ]  # fmt: skip
    return {"partner_contacts": {"partner": "Japan", "count": len(projects), "projects": projects}}


register_kind(
    Kind("project.recommended", _("New projects that fit your interests"), default_frequency=Frequency.WEEKLY,
         examples=_examples),
)  # fmt: skip
