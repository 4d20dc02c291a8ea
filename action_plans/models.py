from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ascn_portal.coded import CodeCheck

from .choices import PlanState, ProgressStatus, ProjectStage, SupportType

USD = {"max_digits": 16, "decimal_places": 2}


class ActionPlan(models.Model):
    """A city's Smart City Action Plan (SCAP) for a period, and where it stands in review."""

    city = models.ForeignKey("cities.City", related_name="action_plans", on_delete=models.PROTECT)
    period_start = models.PositiveSmallIntegerField(validators=[MinValueValidator(2018), MaxValueValidator(2100)])
    period_end = models.PositiveSmallIntegerField(validators=[MinValueValidator(2018), MaxValueValidator(2100)])
    title = models.CharField(max_length=200)
    vision = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    objectives = models.TextField(blank=True)
    focus_areas = models.ManyToManyField("cities.FocusArea", related_name="action_plans", blank=True)
    strategic_outcomes = models.ManyToManyField("cities.StrategicOutcome", related_name="action_plans", blank=True)
    state = models.CharField(max_length=12, choices=PlanState.choices, default=PlanState.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Raised by every save; a stale save is refused."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(m2m_fields=[focus_areas, strategic_outcomes])

    class Meta:
        ordering = ["city__name", "-period_start"]
        constraints = [
            CodeCheck(field="state", codes=PlanState),
            models.UniqueConstraint(
                fields=["city", "period_start"],
                name="action_plans_actionplan_one_per_city_and_period",
                violation_error_message=_("This city already has an action plan for that period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="action_plans_actionplan_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.city}: {self.title} ({self.period_start}-{self.period_end})"

    @classmethod
    def from_db(cls, db, field_names, values):
        plan = super().from_db(db, field_names, values)
        plan.loaded_state = plan.__dict__.get("state")  # what a save changes it from (action_plans.sync)
        return plan


class PriorityProject(models.Model):
    """A priority project of an action plan, which partners may support once the plan is approved."""

    plan = models.ForeignKey(ActionPlan, related_name="projects", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    focus_areas = models.ManyToManyField("cities.FocusArea", related_name="projects", blank=True)
    stage = models.CharField(max_length=20, choices=ProjectStage.choices, default=ProjectStage.PIPELINE, db_index=True)
    location = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    estimated_cost_usd = models.DecimalField(
        _("estimated cost (USD)"), **USD, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    funding_secured_usd = models.DecimalField(
        _("funding secured (USD)"), **USD, default=Decimal(0), validators=[MinValueValidator(Decimal(0))]
    )
    support_sought = ArrayField(models.CharField(max_length=30, choices=SupportType.choices), default=list, blank=True)
    open_to_partners = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # The catalogue's facts, kept by the database itself (triggers of migration 0007, on this table, on
    # plans and on cities), whatever writes the rows: whether the project is published (its plan approved
    # and it open to partners), and its city's name, city and member state, so the published list is
    # filtered and ordered by one partial index, without joins. Read them; never write them.
    published = models.BooleanField(default=False, editable=False)
    city_name = models.CharField(max_length=200, default="", editable=False)
    catalogue_city = models.ForeignKey(
        "cities.City", related_name="+", on_delete=models.DO_NOTHING, db_constraint=False, null=True, editable=False
    )
    catalogue_member_state = models.ForeignKey(
        "cities.MemberState", related_name="+", on_delete=models.DO_NOTHING, db_constraint=False, null=True,
        editable=False,
    )  # fmt: skip

    history = HistoricalRecords(
        m2m_fields=[focus_areas], excluded_fields=["published", "city_name", "catalogue_city", "catalogue_member_state"]
    )

    class Meta:
        ordering = ["plan", "position", "pk"]
        indexes = [
            models.Index(fields=["estimated_cost_usd"], name="action_proj_cost_idx"),
            # The published list in its order, whole or by member state or city (migration 0007).
            models.Index(fields=["city_name", "position", "id"], condition=Q(published=True),
                         name="action_proj_catalogue"),
            models.Index(fields=["catalogue_member_state", "city_name", "position", "id"], condition=Q(published=True),
                         name="action_proj_catalogue_state"),
            models.Index(fields=["catalogue_city", "position", "id"], condition=Q(published=True),
                         name="action_proj_catalogue_city"),
        ]  # fmt: skip
        constraints = [
            CodeCheck(field="stage", codes=ProjectStage),
            CodeCheck(field="support_sought", codes=SupportType, many=True),
            models.CheckConstraint(
                condition=Q(estimated_cost_usd__isnull=True) | Q(estimated_cost_usd__gte=0),
                name="action_plans_priorityproject_cost_not_negative",
                violation_error_message=_("The estimated cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(funding_secured_usd__gte=0),
                name="action_plans_priorityproject_funding_not_negative",
                violation_error_message=_("Funding secured cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost_usd__isnull=True) | Q(funding_secured_usd__lte=F("estimated_cost_usd")),
                name="action_plans_priorityproject_funding_within_cost",
                violation_error_message=_("Funding secured cannot exceed the estimated cost."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="action_plans_priorityproject_dates_in_order",
                violation_error_message=_("The project cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        project = super().from_db(db, field_names, values)
        project.loaded_open = project.__dict__.get("open_to_partners")  # see action_plans.sync
        return project

    @property
    def funding_gap_usd(self) -> Decimal | None:
        """Derived, never stored: what is still to be found."""
        if self.estimated_cost_usd is None:
            return None
        return self.estimated_cost_usd - self.funding_secured_usd


class ProjectKPI(models.Model):
    """A key performance indicator of a project: what is measured, from where, to where."""

    project = models.ForeignKey(PriorityProject, related_name="kpis", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, blank=True)
    baseline = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = "KPI"

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name


class ProgressReport(models.Model):
    """A project's progress in one year, filed by the city."""

    project = models.ForeignKey(PriorityProject, related_name="progress_reports", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2018), MaxValueValidator(2100)])
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    narrative = models.TextField(blank=True)
    kpi_values = models.JSONField(default=dict, blank=True, help_text=_("KPI id to the value reached."))
    funding_secured_usd = models.DecimalField(
        _("funding secured to date (USD)"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    filed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Raised by every save; a stale save is refused."))
    # The project's KPIs judged against this report's percent complete, kept with it on every save
    # (an approved plan's KPIs do not change) so that the roll-up sums them instead of judging again.
    kpis_on_track = models.PositiveSmallIntegerField(default=0, editable=False)
    kpis_off_track = models.PositiveSmallIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-year"]
        constraints = [
            CodeCheck(field="status", codes=ProgressStatus),
            models.UniqueConstraint(
                fields=["project", "year"],
                name="action_plans_progressreport_one_per_year",
                violation_error_message=_("This project already has a progress report for that year."),
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="action_plans_progressreport_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(funding_secured_usd__isnull=True) | Q(funding_secured_usd__gte=0),
                name="action_plans_progressreport_funding_not_negative",
                violation_error_message=_("Funding cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["year", "project"], name="action_progress_year_idx")]

    def __str__(self):
        return f"{self.project} {self.year}: {self.percent_complete}%"

    def save(self, *args, **kwargs):
        from .checks import kpi_on_track

        judged = [kpi_on_track(kpi, (self.kpi_values or {}).get(str(kpi.pk)), self.percent_complete)
                  for kpi in self.project.kpis.all()]  # fmt: skip
        self.kpis_on_track = sum(1 for j in judged if j is True)
        self.kpis_off_track = sum(1 for j in judged if j is False)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "kpis_on_track", "kpis_off_track"}
        super().save(*args, **kwargs)


class ProgressEvidence(models.Model):
    """A document that shows a progress report's claims: a photo report, an audit, minutes."""

    report = models.ForeignKey(ProgressReport, related_name="evidence", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="progress/%Y/%m/")
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "uploaded_at"]
        verbose_name_plural = "progress evidence"

    def __str__(self):
        return self.title


class PlanTransition(models.Model):
    """A recorded move of the workflow: who moved the plan, when, from where to where, and why."""

    plan = models.ForeignKey(ActionPlan, related_name="transitions", on_delete=models.CASCADE)
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, choices=PlanState.choices)
    to_state = models.CharField(max_length=12, choices=PlanState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    on_behalf_of_member_state = models.BooleanField(
        default=False, help_text=_("The secretariat endorsed for a member state without a serving NR.")
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            CodeCheck(field="from_state", codes=PlanState),
            CodeCheck(field="to_state", codes=PlanState),
        ]
        ordering = ["plan", "at", "pk"]

    def __str__(self):
        return f"{self.plan}: {self.from_state} -> {self.to_state}"

    @property
    def told(self) -> str:
        from .choices import MOVES

        move = MOVES.get(self.action)
        return str(move.past) if move else f"moved the plan to {self.get_to_state_display().lower()}"


class ReviewComment(models.Model):
    """A comment on a plan by someone following it (its officers, its NR, the secretariat)."""

    plan = models.ForeignKey(ActionPlan, related_name="comments", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "created_at"]

    def __str__(self):
        return f"{self.author} on {self.plan}"


class Attachment(models.Model):
    """A document attached to a plan (a full SCAP, a feasibility study), checked by its content."""

    plan = models.ForeignKey(ActionPlan, related_name="attachments", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="plans/%Y/%m/")
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "uploaded_at"]

    def __str__(self):
        return self.title
