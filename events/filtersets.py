import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascn_portal.filtering import FilterSet, IntegerFilter
from cities.models import MemberState

from .choices import EventKind
from .models import Event


class EventFilterSet(FilterSet):
    """Filters for the event list, shared by /events/ and /api/v1/events/."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, empty_label=_("All kinds"))
    year = IntegerFilter(label=_("Year"))
    member_state = django_filters.ModelChoiceFilter(
        queryset=MemberState.objects.all(), to_field_name="code", label=_("Venue member state"),
        empty_label=_("All member states"),
    )  # fmt: skip
    when = django_filters.ChoiceFilter(
        method="by_time", label=_("When"), empty_label=_("Upcoming and past"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
    )  # fmt: skip

    class Meta:
        model = Event
        fields = ["q", "kind", "year", "member_state", "when"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(place__icontains=value) | Q(description__icontains=value))

    def by_time(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now)
        return queryset.filter(Q(ends_at__lt=now) | Q(ends_at__isnull=True))
