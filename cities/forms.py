import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AsOfForm(forms.Form):
    """'Who served on this day?': the roster of a city or member state as of a date."""

    as_of = forms.DateField(
        label=_("Who served on"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Any day from the network's founding in 2018 (or before, for older terms)."),
    )

    def clean_as_of(self):
        raw = self.data.get("as_of", "")
        if raw and parse_day(raw) is None:
            raise forms.ValidationError(_("Give a day as YYYY-MM-DD."))
        return self.cleaned_data["as_of"]

    def day(self) -> datetime.date:
        """The day asked for; today when none (or an impossible one) was given."""
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


def parse_day(raw: str) -> datetime.date | None:
    """A calendar day written YYYY-MM-DD, nothing looser; year 0 (valid in RFC 3339) is read as year 1."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        return None
    year, month, day = (int(part) for part in raw.split("-"))
    try:
        return datetime.date(max(year, 1), month, day)
    except ValueError:
        return None
