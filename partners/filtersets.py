import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import FocusArea, MemberState

from .choices import PartnerKind, SupportType
from .models import Partner


class PartnerFilterSet(django_filters.FilterSet):
    """Filters for the partner list, shared by /partners/ and /api/v1/partners/."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, empty_label=_("All kinds"))
    country = django_filters.CharFilter(
        field_name="country", label=_("Country (ISO code)"), max_length=2, method="filter_country"
    )
    focus_area = django_filters.ModelChoiceFilter(
        field_name="focus_areas", queryset=FocusArea.objects.all(), to_field_name="slug", label=_("Focus area")
    )
    member_state = django_filters.ModelChoiceFilter(
        field_name="member_states", queryset=MemberState.objects.all(), to_field_name="code", label=_("Member state")
    )
    support_type = django_filters.ChoiceFilter(
        choices=SupportType.choices, method="filter_support_type", label=_("Support offered")
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "country", "focus_area", "member_state", "support_type"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_support_type(self, queryset, name, value):
        return queryset.filter(support_types__contains=[value])
