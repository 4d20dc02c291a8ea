from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from action_plans.choices import ProgressStatus
from ascn_portal.forms import StyledFormMixin
from ascn_portal.numbers import DecimalField, IntegerField


class RoundForm(StyledFormMixin, forms.Form):
    year = IntegerField(min_value=2018, max_value=2100)
    deadline = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"])
    note = forms.CharField(label=_("What you ask of the cities"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["deadline"].initial = today.replace(month=12, day=31)


class ProjectReportForm(StyledFormMixin, forms.Form):
    """A project's report in a round: status, percent, KPI values beside their baseline and target,
    narrative, funding secured to date and evidence."""

    status = forms.ChoiceField(choices=ProgressStatus.choices)
    percent_complete = IntegerField(label=_("Percent complete"), min_value=0, max_value=100)
    funding_secured_usd = DecimalField(label=_("Funding secured to date (USD)"), min_value=0, max_digits=16,
                                             decimal_places=2, required=False)  # fmt: skip
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000,
        help_text=_("What was done this year, what held it back; say why if the percent fell."),
    )  # fmt: skip
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False,
                               help_text=_("A PDF or office document: a site report, minutes, an audit."))  # fmt: skip
    evidence_title = forms.CharField(label=_("Title of the evidence"), max_length=200, required=False)
    version = IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(project.kpis.all())
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"] = DecimalField(
                label=f"{kpi.name} ({kpi.unit})" if kpi.unit else kpi.name, required=False, max_digits=16,
                decimal_places=4,
                help_text=_("Baseline %(baseline)s, target %(target)s") % {
                    "baseline": kpi.baseline if kpi.baseline is not None else "not set",
                    "target": kpi.target if kpi.target is not None else "not set"},
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") is None:
            # A hidden field: said above the form, where the person reads it.
            self.add_error(None, _("This form lacks the version of the report it was opened on; reload the page."))
        return cleaned

    def kpi_values(self) -> dict:
        return {str(k.pk): str(self.cleaned_data[f"kpi_{k.pk}"]) for k in self.kpis
                if self.cleaned_data.get(f"kpi_{k.pk}") is not None}  # fmt: skip


class CommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(label=_("Comments for the city"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
