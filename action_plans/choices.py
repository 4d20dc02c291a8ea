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
    """One move of the action plan workflow: from which states, to which, the rule that allows it,
    who is told, and what the person who makes it reads."""

    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    rule: str
    past: str  # how the timeline tells it: "submitted the plan"
    kind: str  # the notification sent
    tells: tuple[str, ...]  # who hears of it (besides the mover): names of `services.RECIPIENTS`
    done: str  # said to the mover afterwards
    refused: str  # said when the plan is in a state the move does not start from ({state}: that state)
    needs_comment: bool = False


# The workflow is data: only services.action_plan_transition changes a plan's state, and it asks
# the rule named here (ascn_portal/policy.py) whether this person may make this move now.
MOVES: dict[str, Move] = {
    move.action: move
    for move in [
        Move("submit", _("Submit"), (PlanState.DRAFT,), PlanState.SUBMITTED, "action_plans.submit_plan",
             _("submitted the plan"), "action_plan.submitted", ("nrs_or_secretariat", "officers"),
             _("The plan is submitted for review."), _("A plan that is {state} cannot be submitted.")),
        Move("endorse", _("Endorse"), (PlanState.SUBMITTED,), PlanState.ENDORSED, "action_plans.endorse_plan",
             _("endorsed the plan"), "action_plan.endorsed", ("secretariat", "officers"),
             _("The plan is endorsed and goes to the secretariat."), _("A plan that is {state} cannot be endorsed.")),
        Move("approve", _("Approve"), (PlanState.ENDORSED,), PlanState.APPROVED, "action_plans.approve_plan",
             _("approved the plan"), "action_plan.approved", ("officers", "nrs"),
             _("The plan is approved; its projects open to partners are published."),
             _("A plan that is {state} cannot be approved.")),
        Move(
            "return", _("Return to draft"), (PlanState.SUBMITTED, PlanState.ENDORSED), PlanState.DRAFT,
            "action_plans.return_plan", _("returned the plan to draft"), "action_plan.returned", ("officers",),
            _("The plan is returned to the city as a draft, with your comments."),
            _("A plan that is {state} cannot be returned to draft."), needs_comment=True,
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


class SupportType(models.TextChoices):
    """What a project seeks and what a partner offers."""

    FINANCING = "financing", _("Financing")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    FEASIBILITY_STUDY = "feasibility_study", _("Feasibility study")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    TECHNOLOGY = "technology", _("Technology")


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
