from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ENDORSED = "endorsed", _("Endorsed")
    APPROVED = "approved", _("Approved")


@dataclass(frozen=True)
class Move:
    """One move of the action plan workflow: from which states, to which, and the rule that allows it."""

    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    rule: str
    past: str = ""  # how the timeline tells it: "submitted the plan"
    needs_comment: bool = False


# The workflow is data: only services.action_plan_transition changes a plan's state, and it asks
# the rule named here (ascn_portal/policy.py) whether this person may make this move now.
MOVES: dict[str, Move] = {
    move.action: move
    for move in [
        Move("submit", _("Submit"), (PlanState.DRAFT,), PlanState.SUBMITTED, "action_plans.submit_plan",
             _("submitted the plan")),
        Move("endorse", _("Endorse"), (PlanState.SUBMITTED,), PlanState.ENDORSED, "action_plans.endorse_plan",
             _("endorsed the plan")),
        Move("approve", _("Approve"), (PlanState.ENDORSED,), PlanState.APPROVED, "action_plans.approve_plan",
             _("approved the plan")),
        Move(
            "return", _("Return to draft"), (PlanState.SUBMITTED, PlanState.ENDORSED), PlanState.DRAFT,
            "action_plans.return_plan", _("returned the plan to draft"), needs_comment=True,
        ),
    ]
}  # fmt: skip


class ProjectStage(models.TextChoices):
    """IATI ActivityStatus, so projects exchange with the aid systems partners publish to."""

    PIPELINE = "pipeline", _("Pipeline / identification")
    IMPLEMENTATION = "implementation", _("Implementation")
    FINALISATION = "finalisation", _("Finalisation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


IATI_ACTIVITY_STATUS = {
    ProjectStage.PIPELINE: "1",
    ProjectStage.IMPLEMENTATION: "2",
    ProjectStage.FINALISATION: "3",
    ProjectStage.CLOSED: "4",
    ProjectStage.CANCELLED: "5",
    ProjectStage.SUSPENDED: "6",
}


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
