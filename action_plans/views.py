import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from ascn_portal.errors import Conflict, StaleVersion
from ascn_portal.forms import add_service_errors
from cities.models import City

from . import selectors, services
from .checks import plan_problems
from .choices import MOVES
from .forms import (
    ActionPlanForm,
    AttachmentForm,
    CommentForm,
    KPIFormSet,
    NewActionPlanForm,
    PriorityProjectForm,
    TransitionForm,
)
from .models import ActionPlan, Attachment, PriorityProject

# Plans --------------------------------------------------------------------------------------


def _plan_for(user, pk) -> ActionPlan:
    return get_object_or_404(selectors.action_plans_visible_to(user), pk=pk)


def _draft_for(user, pk) -> ActionPlan:
    """A plan the user may edit: 404 if hidden from them, 403 if they may see but not edit it."""
    plan = _plan_for(user, pk)
    if not user.has_perm("action_plans.edit_plan", plan):
        raise PermissionDenied
    return plan


def plan_detail(request, pk):
    plan = _plan_for(request.user, pk)
    timeline = sorted(
        [("move", t.at, t) for t in plan.transitions.select_related("by")]
        + [("comment", c.created_at, c) for c in plan.comments.select_related("author")],
        key=lambda item: item[1],
    )
    moves = [move for move in MOVES.values() if plan.state in move.sources and request.user.has_perm(move.rule, plan)]
    context = {
        "plan": plan,
        "projects": plan.projects.prefetch_related("focus_areas", "kpis"),
        "timeline": timeline,
        "moves": moves,
        "may_edit": request.user.has_perm("action_plans.edit_plan", plan),
        "may_comment": request.user.has_perm("action_plans.comment_plan", plan),
        "comment_form": CommentForm(),
        # Before submitting: what is missing or inconsistent, for whoever may submit or edit it.
        "problems": plan_problems(plan) if any(m.action == "submit" for m in moves) else [],
    }
    return render(request, "action_plans/plan_detail.html", context)


@login_required
def plan_create(request, slug):
    city = get_object_or_404(City, slug=slug)
    if not request.user.has_perm("action_plans.create_plan", city):
        raise PermissionDenied
    form = NewActionPlanForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.action_plan_create(
                city=city, by=request.user, title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"], period_end=form.cleaned_data["period_end"],
                copy_from=form.cleaned_data["copy_from"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The plan is started. Add its vision and priority projects.")
            return redirect("action_plans:plan_edit", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "action_plans/plan_create.html", {"form": form, "city": city}, status=status)


@login_required
def plan_edit(request, pk):
    plan = _draft_for(request.user, pk)
    status = 200
    form = ActionPlanForm(request.POST or None, instance=plan, initial={"version": plan.version})
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.PLAN_FIELDS}
            try:
                services.action_plan_update(
                    plan=ActionPlan.objects.get(pk=plan.pk), by=request.user, version=form.cleaned_data["version"],
                    focus_areas=form.cleaned_data["focus_areas"],
                    strategic_outcomes=form.cleaned_data["strategic_outcomes"], **data,
                )  # fmt: skip
            except StaleVersion as stale:
                form.add_error(None, _stale_message(stale.current))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, "Draft saved.")
                return redirect("action_plans:plan_edit", pk=plan.pk)
        else:
            status = 400
    context = {
        "plan": plan,
        "form": form,
        "projects": plan.projects.prefetch_related("focus_areas"),
        "attachment_form": AttachmentForm(),
        "may_submit": request.user.has_perm("action_plans.submit_plan", plan),
    }
    return render(request, "action_plans/plan_edit.html", context, status=status)


@login_required
@require_POST
def validate(request, pk, what):
    """Check a plan or project form as the officer types; answer each field's messages, save nothing."""
    plan = _draft_for(request.user, pk)
    if what == "plan":
        form = ActionPlanForm(request.POST, instance=ActionPlan.objects.get(pk=plan.pk))
    elif what == "project":
        prefix = request.GET.get("prefix", "")
        form = PriorityProjectForm(request.POST, plan=plan, prefix=prefix if INLINE_PREFIX.match(prefix) else None)
        if form.prefix:
            form.errors_id = f"{form.prefix}-errors"
    else:
        raise Http404
    form.is_valid()  # runs the model's own checks too (funding within cost, dates in order)
    form.errors.pop("version", None)
    return render(request, "partials/_live_errors.html", {"form": form})


@login_required
@require_POST
def attachment_upload(request, pk):
    plan = _draft_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(plan=plan, by=request.user, title=form.cleaned_data["title"],
                                    upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error.messages)
    if form.errors:
        context = {"plan": plan, "form": ActionPlanForm(instance=plan, initial={"version": plan.version}),
                   "projects": plan.projects.all(), "attachment_form": form,
                   "may_submit": request.user.has_perm("action_plans.submit_plan", plan)}  # fmt: skip
        return render(request, "action_plans/plan_edit.html", context, status=400)
    messages.success(request, "Document attached.")
    return redirect("action_plans:plan_edit", pk=plan.pk)


def attachment_download(request, pk, attachment_pk):
    plan = _plan_for(request.user, pk)  # a hidden plan's documents are hidden too
    attachment = get_object_or_404(Attachment, pk=attachment_pk, plan=plan)
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, content_type=attachment.content_type,
                        filename=f"{slugify(attachment.title) or 'document'}.{extension}")  # fmt: skip


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    plan = _plan_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, plan=plan)
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, f"“{attachment.title}” removed.")
    return redirect("action_plans:plan_edit", pk=plan.pk)


def _stale_message(current: ActionPlan) -> str:
    when = timezone.localtime(current.updated_at).strftime("%d %b %Y %H:%M")
    return (
        f"Someone else saved this plan at {when} since you opened it, so your save was not applied. "
        f"Their title is “{current.title}”. Your text is still in the form: copy what you need, "
        "reload the page, and save again."
    )


def _plan_saved(response, plan: ActionPlan):
    """Tell the plan editor the plan's new version, so its other forms stay current after a save in place."""
    return trigger_client_event(response, "planVersion", {"version": plan.version})


INLINE_PREFIX = re.compile(r"^project-(\d+|new)$")


@login_required
def project_edit(request, pk, project_pk=None):
    """A project's form: its own page, or opened in place on the plan editor (htmx)."""
    plan = _draft_for(request.user, pk)
    project = get_object_or_404(PriorityProject, pk=project_pk, plan=plan) if project_pk else None
    inline = bool(request.htmx)
    prefix = f"project-{project.pk if project else 'new'}" if inline else None
    # Opened in place, the form carries the version the editor page was loaded with, not today's:
    # a change made elsewhere since then must be refused, not folded in without the officer seeing it.
    version = request.GET.get("version", "")
    initial = {"version": int(version) if version.isdigit() else plan.version}
    form = PriorityProjectForm(request.POST or None, instance=project, plan=plan, initial=initial, prefix=prefix)
    kpis = KPIFormSet(
        request.POST or None, instance=project or PriorityProject(plan=plan),
        prefix=f"{prefix}-kpis" if prefix else "kpis",
    )  # fmt: skip
    if inline:
        form.errors_id = f"{prefix}-errors"
        form.fields["title"].widget.attrs["autofocus"] = True
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and kpis.is_valid():
            fields = {f: form.cleaned_data[f] for f in form.Meta.fields if f != "focus_areas"}
            try:
                with transaction.atomic():
                    saved = services.project_save(
                        plan=plan, by=request.user, version=form.cleaned_data["version"], project=project,
                        focus_areas=form.cleaned_data["focus_areas"], **fields,
                    )  # fmt: skip
                    kpis.instance = saved
                    kpis.save()
            except StaleVersion as stale:
                form.add_error(None, _stale_message(stale.current))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not inline:
                    messages.success(request, "Project saved.")
                    return redirect("action_plans:plan_edit", pk=plan.pk)
                template = "action_plans/_project_row.html" if project else "action_plans/_project_added.html"
                response = render(request, template, {"plan": plan, "project": saved, "focus": True})
                return _plan_saved(response, plan)
    context = {"plan": plan, "form": form, "project": project, "kpis": kpis}
    if inline:
        context["action"] = request.path
        return render(request, "action_plans/_project_inline_form.html", context, status=status)
    return render(request, "action_plans/project_form.html", context, status=status)


@login_required
def project_row(request, pk, project_pk):
    """A project's read-only row on the plan editor (what an edit in place closes back to)."""
    plan = _draft_for(request.user, pk)
    project = get_object_or_404(PriorityProject, pk=project_pk, plan=plan)
    return render(request, "action_plans/_project_row.html", {"plan": plan, "project": project, "focus": True})


@login_required
@require_POST
def project_delete(request, pk, project_pk):
    plan = _plan_for(request.user, pk)
    project = get_object_or_404(PriorityProject, pk=project_pk, plan=plan)
    try:
        services.project_delete(project=project, by=request.user, version=int(request.POST.get("version", 0)))
    except StaleVersion as stale:
        if request.htmx:
            context = {"plan": plan, "project": project, "error": _stale_message(stale.current)}
            return render(request, "action_plans/_project_row.html", context, status=409)
        messages.error(request, _stale_message(stale.current))
    else:
        if request.htmx:
            return _plan_saved(HttpResponse(), project.plan)  # the plan whose version the delete raised
        messages.success(request, f"“{project.title}” removed.")
    return redirect("action_plans:plan_edit", pk=plan.pk)


@login_required
@require_POST
def plan_move(request, pk, action):
    plan = _plan_for(request.user, pk)
    if action not in MOVES:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete; please try again.")
        return redirect("action_plans:plan_detail", pk=plan.pk)
    try:
        services.action_plan_transition(
            plan=plan, action=action, by=request.user, comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )  # fmt: skip
    except StaleVersion as stale:
        messages.error(request, _stale_message(stale.current))
    except Conflict as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(MOVES[action].done))
    return redirect("action_plans:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_comment(request, pk):
    plan = _plan_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.action_plan_comment(plan=plan, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Comment added.")
    else:
        messages.error(request, "Write a comment first.")
    return redirect("action_plans:plan_detail", pk=plan.pk)
