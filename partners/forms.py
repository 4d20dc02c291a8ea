from django import forms
from django.utils.translation import gettext_lazy as _

from ascn_portal.forms import StyledFormMixin

from .choices import SupportType


class InterestForm(StyledFormMixin, forms.Form):
    support_type = forms.ChoiceField(label=_("Support you offer"), choices=SupportType.choices)
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=16, decimal_places=2, min_value=0,
                                    required=False, help_text=_("Leave empty if not known yet."))  # fmt: skip
    message = forms.CharField(label=_("Message to the city"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000, required=False)  # fmt: skip
