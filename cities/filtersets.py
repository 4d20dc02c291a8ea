import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascn_portal.filtering import FilterSet, IntegerFilter

from .choices import CityKind, CityStatus
from .models import City, CityNetwork, MemberState


class CityFilterSet(FilterSet):
    """Filters for the city list, shared by /cities/ and /api/v1/cities/."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    member_state = django_filters.ModelChoiceFilter(
        queryset=MemberState.objects.all(),
        to_field_name="code",
        label=_("Member state"),
        empty_label=_("All member states"),
    )
    joined_year = IntegerFilter(label=_("Year joined"))
    kind = django_filters.ChoiceFilter(choices=CityKind.choices)
    status = django_filters.ChoiceFilter(choices=CityStatus.choices)
    network = django_filters.ModelChoiceFilter(
        field_name="networks", queryset=CityNetwork.objects.all(), to_field_name="slug", label=_("City network")
    )

    class Meta:
        model = City
        fields = ["q", "member_state", "joined_year", "kind", "status", "network"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(member_state__short_name__icontains=value) | Q(slug__icontains=value)
        )
