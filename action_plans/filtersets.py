import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascn_portal.filtering import FilterSet, IntegerFilter
from cities.models import City, FocusArea, MemberState

from .choices import PlanState, ProjectStage, SupportType
from .models import ActionPlan, PriorityProject


class ActionPlanFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    member_state = django_filters.ModelChoiceFilter(
        field_name="city__member_state", queryset=MemberState.objects.all(), to_field_name="code"
    )
    city = django_filters.ModelChoiceFilter(queryset=City.objects.all(), to_field_name="slug")
    state = django_filters.ChoiceFilter(choices=PlanState.choices)
    focus_area = django_filters.ModelChoiceFilter(
        field_name="focus_areas", queryset=FocusArea.objects.all(), to_field_name="slug"
    )
    period = IntegerFilter(method="filter_period", label=_("Covers year"))

    class Meta:
        model = ActionPlan
        fields = ["q", "member_state", "city", "state", "focus_area", "period"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(vision__icontains=value) | Q(city__name__icontains=value))

    def filter_period(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class PriorityProjectFilterSet(FilterSet):
    """Filters for the project catalogue, shared by /projects/ and /api/v1/projects/."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    member_state = django_filters.ModelChoiceFilter(
        field_name="plan__city__member_state", queryset=MemberState.objects.all(), to_field_name="code",
        label=_("Member state"),
    )  # fmt: skip
    city = django_filters.ModelChoiceFilter(
        field_name="plan__city", queryset=City.objects.all(), to_field_name="slug", label=_("City")
    )
    focus_area = django_filters.ModelChoiceFilter(
        field_name="focus_areas", queryset=FocusArea.objects.all(), to_field_name="slug", label=_("Focus area")
    )
    stage = django_filters.ChoiceFilter(choices=ProjectStage.choices)
    support = django_filters.ChoiceFilter(
        choices=SupportType.choices, method="filter_support", label=_("Support sought")
    )
    min_cost = django_filters.NumberFilter(field_name="estimated_cost_usd", lookup_expr="gte", min_value=0)
    max_cost = django_filters.NumberFilter(field_name="estimated_cost_usd", lookup_expr="lte", min_value=0)

    class Meta:
        model = PriorityProject
        fields = ["q", "member_state", "city", "focus_area", "stage", "support", "min_cost", "max_cost"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(description__icontains=value)
            | Q(plan__city__name__icontains=value)
        )  # fmt: skip

    def filter_support(self, queryset, name, value):
        return queryset.filter(support_sought__contains=[value])
