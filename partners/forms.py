from django import forms
from django.utils.translation import gettext_lazy as _

from action_plans.choices import ProjectStage
from ascn_portal.forms import StyledFormMixin

from .choices import SupportType
from .models import Partner


class InterestForm(StyledFormMixin, forms.Form):
    support_type = forms.ChoiceField(label=_("Support you offer"), choices=SupportType.choices)
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=16, decimal_places=2, min_value=0,
                                    required=False, help_text=_("Leave empty if not known yet."))  # fmt: skip
    message = forms.CharField(label=_("Message to the city"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000, required=False)  # fmt: skip


class PartnerProfileForm(StyledFormMixin, forms.ModelForm):
    """What a partner's contacts keep themselves: the public description and the interests that
    matchmaking reads."""

    stages = forms.MultipleChoiceField(
        label=_("Project stages you come in at"), choices=ProjectStage.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    support_types = forms.MultipleChoiceField(
        label=_("Support you offer"), choices=SupportType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Partner
        fields = ["description", "website", "focus_areas", "member_states", "stages", "support_types",
                  "ticket_min_usd", "ticket_max_usd"]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "focus_areas": forms.CheckboxSelectMultiple,
            "member_states": forms.CheckboxSelectMultiple,
            "ticket_min_usd": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            "ticket_max_usd": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }
