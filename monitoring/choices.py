from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CityReportState(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned to the city")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE = (CityReportState.DRAFT, CityReportState.RETURNED)


@dataclass(frozen=True)
class ReportMove:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    rule: str
    kind: str  # the notification
    tells: str  # "secretariat" or "officers"
    done: str
    needs_comment: bool = False


REPORT_MOVES = {
    move.action: move
    for move in [
        ReportMove("submit", _("Submit the city's report"), EDITABLE, CityReportState.SUBMITTED,
                   "monitoring.submit_city_report", "monitoring.submitted", "secretariat",
                   _("The city's report is submitted; the secretariat is told.")),
        ReportMove("return", _("Return to the city"), (CityReportState.SUBMITTED,), CityReportState.RETURNED,
                   "monitoring.review_city_report", "monitoring.returned", "officers",
                   _("The report is returned to the city with your comments."), needs_comment=True),
        ReportMove("accept", _("Accept"), (CityReportState.SUBMITTED,), CityReportState.ACCEPTED,
                   "monitoring.review_city_report", "monitoring.accepted", "officers",
                   _("The report is accepted; the city is told.")),
    ]
}  # fmt: skip
