"""The network's yearly monitoring: a round per year, each city's report in it, and its recorded moves."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ascn_portal.coded import CodeCheck

from .choices import CityReportState


class MonitoringRound(models.Model):
    """A year's monitoring of the priority projects' implementation, opened by the secretariat with a
    deadline; each city reports on the projects of its approved plan running that year."""

    year = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(2018), MaxValueValidator(2100)])
    deadline = models.DateField(help_text=_("The cities' reports are due by the end of this day."))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    opened_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text=_("What the secretariat asks of the cities this year."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("monitoring round")

    def __str__(self):
        return f"Monitoring {self.year}"

    def get_absolute_url(self):
        return reverse("monitoring:round", kwargs={"year": self.year})  # the cities' standing in the round

    @property
    def is_late(self) -> bool:
        return timezone.localdate() > self.deadline


class CityReport(models.Model):
    """A city's report in a round: its projects' progress reports, submitted together and reviewed."""

    round = models.ForeignKey(MonitoringRound, related_name="city_reports", on_delete=models.PROTECT)
    city = models.ForeignKey("cities.City", related_name="monitoring_reports", on_delete=models.PROTECT)
    state = models.CharField(max_length=12, choices=CityReportState.choices, default=CityReportState.DRAFT,
                             db_index=True)  # fmt: skip
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "city__name"]
        constraints = [
            CodeCheck(field="state", codes=CityReportState),
            models.UniqueConstraint(fields=["round", "city"], name="monitoring_cityreport_one_per_round",
                                    violation_error_message=_("This city already has a report in this round.")),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.city} — {self.round}"

    def get_absolute_url(self):
        return reverse("monitoring:city_report", kwargs={"year": self.round.year, "slug": self.city.slug})


class CityReportTransition(models.Model):
    report = models.ForeignKey(CityReport, related_name="transitions", on_delete=models.CASCADE)
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, choices=CityReportState.choices)
    to_state = models.CharField(max_length=12, choices=CityReportState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, max_length=5000)

    class Meta:
        constraints = [
            CodeCheck(field="from_state", codes=CityReportState),
            CodeCheck(field="to_state", codes=CityReportState),
        ]
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_state} -> {self.to_state}"
