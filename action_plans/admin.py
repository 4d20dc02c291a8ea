from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from ascn_portal.admin import AuditedAdmin, PolicyAdmin

from . import services
from .models import ActionPlan, PlanTransition, PriorityProject, ProgressReport, ProjectKPI, ReviewComment


class ReviewActionForm(ActionForm):
    comment = forms.CharField(required=False, label=_("Comment (needed to return a plan)"))


class PriorityProjectInline(admin.TabularInline):
    model = PriorityProject
    fields = ["title", "stage", "estimated_cost_usd", "funding_secured_usd", "open_to_partners"]
    extra = 0
    show_change_link = True


class PlanTransitionInline(admin.TabularInline):
    model = PlanTransition
    fields = ["at", "action", "from_state", "to_state", "by", "on_behalf_of_member_state", "comment"]
    extra = 0


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    fields = ["created_at", "author", "body"]
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedAdmin):
    """The secretariat reviews here: it approves or returns plans; it edits none (only cities edit drafts)."""

    list_display = ["title", "city", "member_state", "period_start", "period_end", "state", "updated_at"]
    list_filter = ["state", "city__member_state", "period_start"]
    list_select_related = ["city__member_state"]
    search_fields = ["title", "city__name", "vision"]
    inlines = [PriorityProjectInline, PlanTransitionInline, ReviewCommentInline]
    action_form = ReviewActionForm
    actions = ["approve", "return_to_draft"]

    @admin.display(ordering="city__member_state__short_name")
    def member_state(self, plan):
        return plan.city.member_state

    def _move(self, request, queryset, action, comment=""):
        done = 0
        for plan in queryset.select_related("city"):
            try:
                services.action_plan_transition(plan=plan, action=action, by=request.user, comment=comment)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{plan}: {text}", messages.ERROR)
        if done:
            self.message_user(
                request, _("%(count)d plan(s): %(action)s done.") % {"count": done, "action": action}, messages.SUCCESS
            )

    @admin.action(description=_("Approve the selected endorsed plans"))
    def approve(self, request, queryset):
        self._move(request, queryset, "approve")

    @admin.action(description=_("Return the selected plans to draft (with the comment)"))
    def return_to_draft(self, request, queryset):
        self._move(request, queryset, "return", request.POST.get("comment", ""))


@admin.register(PriorityProject)
class PriorityProjectAdmin(AuditedAdmin):
    list_display = ["title", "plan", "stage", "estimated_cost_usd", "funding_secured_usd", "open_to_partners"]
    list_filter = ["stage", "open_to_partners", "plan__state", "plan__city__member_state", "focus_areas"]
    list_select_related = ["plan__city"]
    search_fields = ["title", "summary", "plan__city__name"]


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdmin):
    """Read here; written only through the one service (the round's lock, the version, the year,
    funding, the author), by the city's CSCO on the round's form, the API or the offline template.
    Not even a superuser edits, adds, deletes or reverts one here."""

    list_display = ["project", "year", "percent_complete", "status", "filed_by", "filed_at"]
    list_filter = ["year", "status"]
    list_select_related = ["project", "filed_by"]
    search_fields = ["project__title", "project__plan__city__name", "filed_by__email", "filed_by__full_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanTransition)
class PlanTransitionAdmin(PolicyAdmin):
    search_fields = ["plan__title", "plan__city__name", "by__email", "by__full_name", "comment"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(PolicyAdmin):
    search_fields = ["plan__title", "plan__city__name", "author__email", "author__full_name", "body"]


@admin.register(ProjectKPI)
class ProjectKPIAdmin(PolicyAdmin):
    search_fields = ["name", "project__title", "project__plan__city__name"]
