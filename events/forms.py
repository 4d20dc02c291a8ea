from django import forms
from django.utils.translation import gettext_lazy as _

from ascn_portal.forms import StyledFormMixin

from .services import MAX_DELEGATION


class DelegationForm(StyledFormMixin, forms.Form):
    errors_id = "delegation-errors"
    delegation = forms.ChoiceField(label=_("Delegation of"))

    def __init__(self, *args, delegations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].choices = [(d.key, d.label) for d in delegations]


class DelegateForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


DelegateFormSet = forms.formset_factory(
    DelegateForm, extra=3, min_num=1, validate_min=True, max_num=MAX_DELEGATION, validate_max=True
)


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a delegate"), required=False, max_length=100)
