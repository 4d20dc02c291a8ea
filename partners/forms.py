import re

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


class ConsortiumRowForm(StyledFormMixin, forms.Form):
    """One company of the consortium a partner assembles for a partnership."""

    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False,
                              widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}))  # fmt: skip
    is_lead = forms.BooleanField(label=_("Leads"), required=False)

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Use the two-letter ISO 3166 code, e.g. JP."))
        return country

    def clean(self):
        cleaned = super().clean()
        company, country = cleaned.get("company", "").strip(), cleaned.get("country", "")
        if company and not country and "country" not in self.errors:
            self.add_error("country", _("Give the company's country."))
        if not company and (country or cleaned.get("is_lead")):
            self.add_error("company", _("Name the company, or clear this row."))
        return cleaned


class BaseConsortiumFormSet(forms.BaseFormSet):
    def members(self) -> list[dict]:
        return [
            {"company": f.cleaned_data["company"].strip(), "country": f.cleaned_data["country"],
             "is_lead": f.cleaned_data["is_lead"]}
            for f in self.forms
            if f.cleaned_data.get("company", "").strip()
        ]  # fmt: skip


ConsortiumFormSet = forms.formset_factory(
    ConsortiumRowForm, formset=BaseConsortiumFormSet, extra=4, max_num=20, validate_max=True, absolute_max=20
)


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
