from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from ascn_portal.accounts.admin import UserAdmin
from ascn_portal.admin import AuditedAdmin, TermStatusFilter
from ascn_portal.errors import Conflict
from ascn_portal.spreadsheets.admin import SpreadsheetAdmin

from . import services
from .choices import PARTNERSHIP_MOVES
from .models import ConsortiumMember, Partner, PartnerContact, PartnershipTransition, ProjectPartnership, Twinning
from .resources import PartnerContactResource, PartnerResource


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0
    fields = ["user", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(SpreadsheetAdmin, AuditedAdmin):
    spreadsheet_resource = PartnerResource
    list_display = ["name", "kind", "country", "organisation_type", "is_active"]
    list_filter = ["kind", "is_active", "organisation_type", "focus_areas", "member_states"]
    search_fields = ["name", "slug", "description", "country"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["focus_areas", "member_states"]
    inlines = [PartnerContactInline]


@admin.register(PartnerContact)
class PartnerContactAdmin(SpreadsheetAdmin, AuditedAdmin):
    spreadsheet_resource = PartnerContactResource
    list_display = ["user", "partner", "title", "starts_on", "ends_on"]
    list_filter = [TermStatusFilter, "partner__kind", "partner"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__full_name", "user__email", "partner__name", "title"]
    autocomplete_fields = ["user", "partner"]


class UserPartnerContactInline(admin.TabularInline):
    """The partners a person speaks for, on the person's page in the admin."""

    model = PartnerContact
    extra = 0
    fields = ["partner", "title", "starts_on", "ends_on"]
    autocomplete_fields = ["partner"]


UserAdmin.inlines = [*UserAdmin.inlines, UserPartnerContactInline]


@admin.register(Twinning)
class TwinningAdmin(AuditedAdmin):
    """The twinning programme: the secretariat proposes, starts and ends twinnings here. Starting or
    ending one tells the city's officers and the partner's contacts (through the same service as
    everywhere); at most one active twinning per city, past ones kept with their dates."""

    list_display = ["city", "partner", "status", "starts_on", "ends_on", "memorandum_reference"]
    list_filter = ["status", "city__member_state", "partner__kind"]
    list_select_related = ["city", "partner"]
    search_fields = ["city__name", "partner__name", "memorandum_reference", "notes"]
    autocomplete_fields = ["city", "partner"]
    filter_horizontal = ["focus_areas"]
    fields = ["city", "partner", "status", "starts_on", "ends_on", "focus_areas", "memorandum_reference", "notes"]
    actions = ["start", "end"]

    def save_model(self, request, obj, form, change):
        pass  # saved with its focus areas in save_related, through the service

    def save_related(self, request, form, formsets, change):
        services.twinning_save(twinning=form.instance, by=request.user, focus_areas=form.cleaned_data["focus_areas"])

    def _move(self, request, queryset, move, done):
        moved = 0
        for twinning in queryset.select_related("city", "partner"):
            try:
                move(twinning=twinning, by=request.user)
            except (ValidationError, Conflict) as error:
                self.message_user(request, f"{twinning}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                                  messages.ERROR)  # fmt: skip
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} twinning(s) {done}; the cities and partners are told.")

    @admin.action(description=_("Start the selected twinnings (today)"))
    def start(self, request, queryset):
        self._move(request, queryset.exclude(status="active"), services.twinning_start, "started")

    @admin.action(description=_("End the selected twinnings (today)"))
    def end(self, request, queryset):
        self._move(request, queryset.filter(status="active"), services.twinning_end, "ended")


class ConsortiumMemberForm(forms.ModelForm):
    class Meta:
        model = ConsortiumMember
        fields = ["company", "country", "is_lead"]

    def validate_unique(self):
        """The consortium as a whole is checked by the formset (one lead, each company once), so a
        lead can move from one row to another in one save."""


class ConsortiumFormSet(forms.BaseInlineFormSet):
    def members(self) -> list[dict]:
        return [
            {k: form.cleaned_data[k] for k in ("company", "country", "is_lead")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            services.consortium_check(self.members())
        except ValidationError as error:
            raise ValidationError(error.message_dict["consortium"]) from error


class ConsortiumInline(admin.TabularInline):
    model = ConsortiumMember
    form = ConsortiumMemberForm
    formset = ConsortiumFormSet
    extra = 0
    verbose_name_plural = _("consortium (one company leads)")


class TransitionInline(admin.TabularInline):
    """The partnership's recorded moves: who, when, from and to which stage, and why."""

    model = PartnershipTransition
    extra = 0
    fields = ["at", "action", "from_stage", "to_stage", "by", "comment"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("moves, as recorded")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


def _move_action(move):
    def action(modeladmin, request, queryset):
        modeladmin.move(request, queryset, move)

    action.__name__ = f"move_{move.action}"
    action.short_description = move.label
    return action


@admin.register(ProjectPartnership)
class ProjectPartnershipAdmin(AuditedAdmin):
    """Partnerships, corrected by the secretariat: terms and consortium through `partnership_correct`
    (recorded with who); the stage only through the moves in the action menu, recorded and told to
    the other side exactly as on the project's page."""

    list_display = ["partner", "project", "city", "stage", "support_type", "amount_usd", "finalised_on", "updated_at"]
    list_filter = ["stage", "support_type", "partner__kind", "project__plan__city__member_state", "finalised_on"]
    list_select_related = ["partner", "project__plan__city"]
    search_fields = ["partner__name", "project__title", "project__plan__city__name", "consortium__company"]
    date_hierarchy = "updated_at"
    fields = ["project", "partner", "stage", "finalised_on", "support_type", "amount_usd", "message", "created_by",
              "created_at"]  # fmt: skip
    readonly_fields = ["project", "partner", "stage", "finalised_on", "created_by", "created_at"]
    inlines = [ConsortiumInline, TransitionInline]
    actions = [_move_action(m) for m in PARTNERSHIP_MOVES.values() if m.rule == "partners.advance_partnership"]

    def has_add_permission(self, request):
        return False  # a partnership begins as a partner's expression of interest

    @admin.display(ordering="project__plan__city__name", description=_("city"))
    def city(self, partnership):
        return partnership.project.plan.city

    def save_model(self, request, obj, form, change):
        pass  # saved with its consortium in save_related, through the service

    def save_related(self, request, form, formsets, change):
        consortium = next((f for f in formsets if isinstance(f, ConsortiumFormSet)), None)
        for formset in formsets:  # what the admin's change message reads; the service saves
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        services.partnership_correct(
            partnership=form.instance,
            by=request.user,
            consortium=consortium.members() if consortium is not None else None,
            **{name: form.cleaned_data[name] for name in services.CORRECTABLE},
        )

    def move(self, request, queryset, move):
        moved = 0
        for partnership in queryset:
            try:
                services.partnership_move(partnership=partnership, action=move.action, by=request.user,
                                          comment="Recorded by the secretariat in the administration.")  # fmt: skip
            except (ValidationError, Conflict, PermissionDenied) as error:
                self.message_user(request, f"{partnership}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                                  messages.ERROR)  # fmt: skip
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} partnership(s): {move.label}. {move.done}")
