"""Writes on action plans: drafts with optimistic locking, the review workflow, progress reports.

Every function asks the policy, validates fully, writes in one transaction and notifies through
the outbox in that same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ascn_portal.accounts.models import User
from ascn_portal.accounts.offices import secretariat_members
from ascn_portal.errors import Conflict, StaleVersion
from ascn_portal.notifications.services import notify
from ascn_portal.numbers import to_decimal, to_integer
from cities.models import City
from cities.offices import roles_of
from cities.selectors import national_representatives_of, officers_of_city

from .attachments import validate_attachment
from .catalogue import CATALOGUE
from .checks import blocking, plan_problems
from .choices import MOVES
from .models import (
    ActionPlan,
    Attachment,
    PlanTransition,
    PriorityProject,
    ProgressEvidence,
    ProgressReport,
    ReviewComment,
)
from .progress import latest_progress_year, progress_lock_reason
from .sync import plan_state_changed

PLAN_FIELDS = ["title", "vision", "challenges", "objectives", "period_start", "period_end"]
PROJECT_FIELDS = [
    "title", "summary", "description", "stage", "location", "starts_on", "ends_on",
    "estimated_cost_usd", "funding_secured_usd", "support_sought", "open_to_partners", "position",
]  # fmt: skip


def _require(user: User, rule: str, obj) -> None:
    if not user.has_perm(rule, obj):
        raise PermissionDenied(f"You may not do this ({rule}).")


def _number(parse, field: str, value, **bounds):
    """A number a caller passes, read by the one parser; refused naming the field."""
    try:
        return parse(value, **bounds)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _bump_version(plan: ActionPlan, expected_version: int | None) -> None:
    """Raise the version; refuse when the caller's copy is stale (optimistic locking)."""
    query = ActionPlan.objects.filter(pk=plan.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if not query.update(version=F("version") + 1):
        raise StaleVersion(ActionPlan.objects.get(pk=plan.pk), sent=expected_version)
    CATALOGUE.changed()  # `update()` sends no signal
    plan.version = (expected_version or plan.version) + 1


# Drafts -------------------------------------------------------------------------------------


def action_plan_create(
    *, city: City, by: User, title: str, period_start: int, period_end: int, copy_from: ActionPlan | None = None
) -> ActionPlan:
    """Start a plan for a period, empty or as a copy of an earlier plan of the same city."""
    _require(by, "action_plans.create_plan", city)
    if copy_from is not None and (copy_from.city_id != city.pk or not by.has_perm("action_plans.view_plan", copy_from)):
        raise PermissionDenied("You may only copy a plan of your own city.")
    with transaction.atomic():
        plan = ActionPlan(city=city, title=title, period_start=period_start, period_end=period_end, created_by=by)
        if copy_from is not None:
            for field in ["vision", "challenges", "objectives"]:
                setattr(plan, field, getattr(copy_from, field))
        plan.full_clean()
        plan.save()
        if copy_from is not None:
            plan.focus_areas.set(copy_from.focus_areas.all())
            plan.strategic_outcomes.set(copy_from.strategic_outcomes.all())
            for project in copy_from.projects.prefetch_related("focus_areas", "kpis"):
                copy = PriorityProject(plan=plan, **{f: getattr(project, f) for f in PROJECT_FIELDS})
                copy.save()
                copy.focus_areas.set(project.focus_areas.all())
                for kpi in project.kpis.all():
                    copy.kpis.create(name=kpi.name, unit=kpi.unit, baseline=kpi.baseline, target=kpi.target)
            for document in copy_from.attachments.all():  # each its own copy: removing one keeps the other
                with document.file.open("rb") as original:
                    duplicate = Attachment(plan=plan, title=document.title, content_type=document.content_type,
                                           size=document.size, uploaded_by=by)  # fmt: skip
                    duplicate.file.save(document.file.name.rsplit("/", 1)[-1], File(original), save=True)
    return plan


def action_plan_update(
    *, plan: ActionPlan, by: User, version: int, focus_areas=None, strategic_outcomes=None, **changes
) -> ActionPlan:
    """Save a draft from a form; a stale `version` raises StaleVersion and writes nothing."""
    _require(by, "action_plans.edit_plan", plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    with transaction.atomic():
        for field, value in changes.items():
            setattr(plan, field, value)
        plan.full_clean()
        _bump_version(plan, version)
        plan._history_user = by  # the change history names who made it, outside a request too
        plan.save(update_fields=[*changes, "version", "updated_at"])
        if focus_areas is not None:
            plan.focus_areas.set(focus_areas)
        if strategic_outcomes is not None:
            plan.strategic_outcomes.set(strategic_outcomes)
    return plan


def project_save(
    *, plan: ActionPlan, by: User, version: int, project: PriorityProject | None = None, focus_areas=None, **fields
) -> PriorityProject:
    """Add or change a project of a draft plan; the plan's version guards against stale pages."""
    _require(by, "action_plans.edit_plan", plan)
    if project is not None and project.plan_id != plan.pk:
        raise PermissionDenied("This project belongs to another plan.")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here."))
    with transaction.atomic():
        project = project or PriorityProject(plan=plan)
        for field, value in fields.items():
            setattr(project, field, value)
        project.full_clean()
        _bump_version(plan, version)
        project._history_user = by
        project.save()
        if focus_areas is not None:
            project.focus_areas.set(focus_areas)
    return project


def project_delete(*, project: PriorityProject, by: User, version: int) -> None:
    _require(by, "action_plans.edit_plan", project.plan)
    with transaction.atomic():
        _bump_version(project.plan, version)
        project.delete()


def attachment_add(*, plan: ActionPlan, by: User, title: str, upload) -> Attachment:
    """Attach a document to a draft; refused unless it is a PDF or office document within the limit."""
    _require(by, "action_plans.edit_plan", plan)
    content_type = validate_attachment(upload)
    attachment = Attachment(plan=plan, title=title.strip() or upload.name, file=upload, content_type=content_type,
                            size=upload.size, uploaded_by=by)  # fmt: skip
    attachment.full_clean()
    attachment.save()
    return attachment


def attachment_remove(*, attachment: Attachment, by: User) -> None:
    _require(by, "action_plans.edit_plan", attachment.plan)
    attachment.file.delete(save=False)
    attachment.delete()


# Workflow -----------------------------------------------------------------------------------


def action_plan_transition(
    *, plan: ActionPlan, action: str, by: User, comment: str = "", version: int | None = None
) -> PlanTransition:
    """Move a plan through its workflow, record who, when and why, and tell the next actor."""
    move = MOVES.get(action)
    if move is None:
        raise ValidationError({"action": f"Unknown action {action!r}."})
    comment = comment.strip()
    with transaction.atomic():
        plan = ActionPlan.objects.select_for_update(of=("self",)).select_related("city").get(pk=plan.pk)
        if plan.state not in move.sources:
            raise Conflict(str(move.refused).format(state=plan.get_state_display().lower()))
        _require(by, move.rule, plan)
        if move.needs_comment and not comment:
            raise ValidationError({"comment": "Say what the city should change."})
        if action == "submit":
            stopping = blocking(plan_problems(plan))
            if stopping:
                raise ValidationError([p.message for p in stopping])
        # Endorsed by someone who is not the member state's NR: the secretariat, on its behalf.
        on_behalf = action == "endorse" and plan.city.member_state_id not in roles_of(by).nr_of_states
        from_state = plan.state
        _bump_version(plan, version)
        ActionPlan.objects.filter(pk=plan.pk).update(state=move.target, updated_at=timezone.now())
        plan.state = move.target
        plan_state_changed(plan, from_state)  # projects it hides now leave their readers' lists
        transition = PlanTransition.objects.create(
            plan=plan, action=action, from_state=from_state, to_state=move.target, by=by,
            on_behalf_of_member_state=on_behalf, comment=comment,
        )  # fmt: skip
        _notify_transition(plan, transition)
    return transition


def _nrs_or_secretariat(city: City):
    """The city's NR; where the member state has none serving, the secretariat endorses on its behalf."""
    nrs = national_representatives_of(city)
    return nrs if nrs.exists() else secretariat_members()


# Who a move tells (`Move.tells` names them): each a function of the plan's city.
RECIPIENTS = {
    "officers": officers_of_city,
    "nrs": national_representatives_of,
    "secretariat": lambda city: secretariat_members(),
    "nrs_or_secretariat": _nrs_or_secretariat,
}


def _notify_transition(plan: ActionPlan, transition: PlanTransition) -> None:
    """Tell the next actor, and the city how its plan moves, as the move declares."""
    city = plan.city
    move = MOVES[transition.action]
    recipients = User.objects.none()
    for name in move.tells:
        recipients = recipients | RECIPIENTS[name](city)
    notify(
        recipients=recipients.exclude(pk=transition.by_id),
        kind=move.kind,
        context={
            "plan": str(plan),
            "city": city.name,
            "by": transition.by.full_name,
            "comment": transition.comment,
            "on_behalf": transition.on_behalf_of_member_state,
        },
        link=reverse("action_plans:plan_detail", kwargs={"pk": plan.pk}),
    )


def action_plan_comment(*, plan: ActionPlan, by: User, body: str) -> ReviewComment:
    _require(by, "action_plans.comment_plan", plan)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a comment first."})
    return ReviewComment.objects.create(plan=plan, author=by, body=body)


# Progress -----------------------------------------------------------------------------------


def progress_report_save(
    *, project: PriorityProject, by: User, year: int, percent_complete: int, status: str, narrative: str = "",
    kpi_values: dict | None = None, funding_secured_usd=None, version: int | None, evidence=None,
    evidence_title: str = "",
) -> ProgressReport:  # fmt: skip
    """File or correct a project's report for a year (one per year): the one write of a progress
    report, whatever the page, API call or file it comes from.

    The year lies in the plan's period and not after the latest year open for reports (the current
    monitoring round's); the version is the one the writer read (0 for a new report), so a save from a
    stale page is refused; funding secured is not above the project's cost; a lock registered by a
    higher app (the round under review) refuses any change with its reason; the history names `by`."""
    _require(by, "action_plans.file_progress", project)
    if version is None:
        raise ValidationError({"version": _("Send the version of the report you read (0 for a new one).")})
    plan = project.plan
    if not plan.period_start <= year <= plan.period_end:
        raise ValidationError({"year": _("%(year)s is outside the plan's period (%(start)s-%(end)s).") % {
            "year": year, "start": plan.period_start, "end": plan.period_end}})  # fmt: skip
    latest = latest_progress_year()
    if year > latest:
        raise ValidationError({"year": _("Reports for %(year)s are not open yet: the latest year reported on is "
                                         "%(latest)s.") % {"year": year, "latest": latest}})  # fmt: skip
    percent_complete = _number(to_integer, "percent_complete", percent_complete, min_value=0, max_value=100)
    if funding_secured_usd is not None:
        funding_secured_usd = _number(to_decimal, "funding_secured_usd", funding_secured_usd, min_value=0)
    known = {str(pk) for pk in project.kpis.values_list("pk", flat=True)}
    kpi_values = {str(k): str(_number(to_decimal, "kpi_values", v, decimal_places=4))
                  for k, v in (kpi_values or {}).items() if v not in (None, "")}  # fmt: skip
    if set(kpi_values) - known:
        raise ValidationError({"kpi_values": _("Report values only for this project's KPIs.")})
    cost = project.estimated_cost_usd
    if funding_secured_usd is not None and cost is not None and funding_secured_usd > cost:
        raise ValidationError(
            {"funding_secured_usd": _("This is above the project's cost (%(cost)s USD).") % {"cost": f"{cost:,.0f}"}}
        )
    with transaction.atomic():
        # Inside the transaction: a lock's rule waits for a move of the city's report under way (a
        # submission), so a save never lands after the report it belongs to was submitted.
        reason = progress_lock_reason(project, year)
        if reason:
            raise Conflict(reason)
        report = ProgressReport.objects.select_for_update().filter(project=project, year=year).first()
        if report is None:
            if version != 0:
                raise Conflict(_("The report you edited was removed meanwhile; reload the page."))
            report = ProgressReport(project=project, year=year, filed_by=by)
        else:
            if version != report.version:
                raise StaleVersion(report, sent=version)
            report.version += 1
        report.percent_complete, report.status, report.narrative = percent_complete, status, narrative.strip()
        report.kpi_values, report.funding_secured_usd = kpi_values, funding_secured_usd
        report.full_clean(validate_unique=False)
        report._history_user = by
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as error:  # the same report filed twice at once
            raise Conflict(_("This project's report for that year was filed at the same moment; reload it.")) from error
        if evidence is not None:
            content_type = validate_attachment(evidence)
            ProgressEvidence.objects.create(report=report, title=(evidence_title or evidence.name)[:200],
                                            file=File(evidence, name=evidence.name), content_type=content_type,
                                            size=evidence.size, uploaded_by=by)  # fmt: skip
    return report
