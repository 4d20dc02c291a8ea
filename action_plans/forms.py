from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ascn_portal.forms import StyledFormMixin
from cities.models import FocusArea, StrategicOutcome

from .choices import SupportType
from .models import ActionPlan, PriorityProject, ProjectKPI


class ActionPlanForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"data-plan-version": ""}))
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=FocusArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    strategic_outcomes = forms.ModelMultipleChoiceField(
        queryset=StrategicOutcome.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ActionPlan
        fields = ["title", "period_start", "period_end", "vision", "challenges", "objectives",
                  "focus_areas", "strategic_outcomes"]  # fmt: skip
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in ["vision", "challenges", "objectives"]}
        help_texts = {
            "vision": _("Where the city wants to be at the end of the period, in a few sentences."),
            "challenges": _("The main problems the plan answers."),
        }


class NewActionPlanForm(StyledFormMixin, forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        queryset=ActionPlan.objects.none(), required=False, label=_("Start from an earlier plan"),
        empty_label=_("No, start empty"),
    )  # fmt: skip

    class Meta:
        model = ActionPlan
        fields = ["title", "period_start", "period_end"]

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        self.fields["copy_from"].queryset = city.action_plans.order_by("-period_start")


class PriorityProjectForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"data-plan-version": ""}))
    focus_areas = forms.ModelMultipleChoiceField(
        queryset=FocusArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    support_sought = forms.MultipleChoiceField(
        choices=SupportType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PriorityProject
        fields = ["title", "summary", "description", "stage", "location", "starts_on", "ends_on",
                  "estimated_cost_usd", "funding_secured_usd", "support_sought", "open_to_partners",
                  "focus_areas"]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "estimated_cost_usd": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            "funding_secured_usd": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan

    def clean(self):
        """Funding above cost is said at both fields, which are marked invalid, not only at the top."""
        data = super().clean()
        cost, secured = data.get("estimated_cost_usd"), data.get("funding_secured_usd")
        if cost is not None and secured is not None and 0 <= cost < secured:
            message = _("Funding secured cannot exceed the estimated cost.")
            self.add_error("funding_secured_usd", message)
            self.add_error("estimated_cost_usd", _("Below the funding secured."))
            self.add_error(None, message)
        return data


class CommentForm(StyledFormMixin, forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class TransitionForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"data-plan-version": ""}))
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AttachmentForm(StyledFormMixin, forms.Form):
    errors_id = "document-errors"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_document_%s")  # beside the plan's form: its own ids (no two id_title)
        super().__init__(*args, **kwargs)
        most = filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        self.fields["file"].help_text = _("PDF or office document, at most %(most)s.") % {"most": most}

    title = forms.CharField(max_length=200, required=False, help_text=_("Leave empty to use the file's name."))
    file = forms.FileField(help_text=_("PDF or office document, at most 20 MB."))


class KPIForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectKPI
        fields = ["name", "unit", "baseline", "target"]
        labels = {"name": _("Indicator")}


KPIFormSet = forms.inlineformset_factory(
    PriorityProject, ProjectKPI, form=KPIForm, extra=2, can_delete=True, max_num=20, validate_max=True
)
