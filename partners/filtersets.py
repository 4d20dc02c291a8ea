import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascn_portal.filtering import FilterSet, IntegerFilter
from cities.models import FocusArea, MemberState

from .choices import PartnerKind, PartnershipStage, SupportType, TwinningStatus
from .models import Partner, ProjectPartnership, Twinning


class PartnerFilterSet(FilterSet):
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


class TwinningFilterSet(FilterSet):
    city = django_filters.CharFilter(field_name="city__slug", max_length=50)
    partner = django_filters.CharFilter(field_name="partner__slug", max_length=50)
    status = django_filters.ChoiceFilter(choices=TwinningStatus.choices)

    class Meta:
        model = Twinning
        fields = ["city", "partner", "status"]


class PartnershipFilterSet(FilterSet):
    stage = django_filters.ChoiceFilter(choices=PartnershipStage.choices)
    partner = django_filters.CharFilter(field_name="partner__slug", max_length=50)
    city = django_filters.CharFilter(field_name="project__plan__city__slug", max_length=50)
    project = IntegerFilter(field_name="project_id")

    class Meta:
        model = ProjectPartnership
        fields = ["stage", "partner", "city", "project"]
