import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascn_portal.filtering import FilterSet, IntegerFilter
from cities.models import City, FocusArea, MemberState

from .choices import PlanState, ProgressStatus, ProjectStage, SupportType
from .models import ActionPlan, PriorityProject, ProgressReport

MAX_USD = 999_999_999_999


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
    # By the city and member state the database keeps on each project (PriorityProject.catalogue_*): no join.
    member_state = django_filters.ModelChoiceFilter(
        field_name="catalogue_member_state", queryset=MemberState.objects.all(), to_field_name="code",
        label=_("Member state"),
    )  # fmt: skip
    city = django_filters.ModelChoiceFilter(
        field_name="catalogue_city", queryset=City.objects.all(), to_field_name="slug", label=_("City")
    )
    focus_area = django_filters.ModelChoiceFilter(
        field_name="focus_areas", queryset=FocusArea.objects.all(), to_field_name="slug", label=_("Focus area")
    )
    stage = django_filters.ChoiceFilter(choices=ProjectStage.choices)
    support = django_filters.ChoiceFilter(
        choices=SupportType.choices, method="filter_support", label=_("Support sought")
    )
    # USD, from 0 to the largest cost a project can record (14 digits, 2 after the point).
    min_cost = django_filters.NumberFilter(field_name="estimated_cost_usd", lookup_expr="gte", min_value=0,
                                           max_value=MAX_USD)  # fmt: skip
    max_cost = django_filters.NumberFilter(field_name="estimated_cost_usd", lookup_expr="lte", min_value=0,
                                           max_value=MAX_USD)  # fmt: skip

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


class ProgressReportFilterSet(FilterSet):
    member_state = django_filters.ModelChoiceFilter(
        field_name="project__plan__city__member_state", queryset=MemberState.objects.all(), to_field_name="code"
    )
    city = django_filters.ModelChoiceFilter(field_name="project__plan__city", queryset=City.objects.all(),
                                            to_field_name="slug")  # fmt: skip
    project = IntegerFilter(field_name="project_id", label=_("Project id"))
    year = IntegerFilter(field_name="year")
    status = django_filters.ChoiceFilter(choices=ProgressStatus.choices)

    class Meta:
        model = ProgressReport
        fields = ["member_state", "city", "project", "year", "status"]
