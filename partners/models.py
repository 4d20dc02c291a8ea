import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from action_plans.choices import ProjectStage
from ascn_portal.coded import CodeCheck

from .choices import (
    DEFAULT_ORGANISATION_TYPE,
    LIVE_STAGES,
    OrganisationType,
    PartnerKind,
    PartnershipStage,
    SupportType,
    TwinningStatus,
)


class Partner(models.Model):
    """An external partner of ASEAN, a company, a bank or another body that supports cities."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=30, choices=PartnerKind.choices, db_index=True)
    organisation_type = models.CharField(
        _("IATI organisation type"), max_length=3, choices=OrganisationType.choices, blank=True
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 code in capitals, e.g. JP."))],
        help_text=_("ISO 3166 code; empty for bodies of several countries, such as the European Union."),
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    focus_areas = models.ManyToManyField("cities.FocusArea", related_name="interested_partners", blank=True)
    member_states = models.ManyToManyField(
        "cities.MemberState",
        related_name="interested_partners",
        blank=True,
        help_text=_("Member states the partner works in or wants to."),
    )
    support_types = ArrayField(models.CharField(max_length=30, choices=SupportType.choices), default=list, blank=True)
    stages = ArrayField(
        models.CharField(max_length=20, choices=ProjectStage.choices), default=list, blank=True,
        help_text=_("Project stages the partner comes in at."),
    )  # fmt: skip
    ticket_min_usd = models.DecimalField(
        _("smallest ticket (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    ticket_max_usd = models.DecimalField(
        _("largest ticket (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["name"]
        constraints = [
            CodeCheck(field="kind", codes=PartnerKind),
            CodeCheck(field="organisation_type", codes=OrganisationType, blank=True),
            CodeCheck(field="support_types", codes=SupportType, many=True),
            CodeCheck(field="stages", codes=ProjectStage, many=True),
            models.CheckConstraint(
                condition=Q(ticket_min_usd__isnull=True)
                | Q(ticket_max_usd__isnull=True)
                | Q(ticket_min_usd__lte=models.F("ticket_max_usd")),
                name="partners_partner_ticket_range",
                violation_error_message=_("The smallest ticket cannot exceed the largest."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.organisation_type and self.kind:
            self.organisation_type = DEFAULT_ORGANISATION_TYPE.get(self.kind, OrganisationType.OTHER)
        super().save(*args, **kwargs)


class PartnerContactQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class PartnerContact(models.Model):
    """A person who speaks for a partner in the network, for a term."""

    user = models.ForeignKey("accounts.User", related_name="partner_contacts", on_delete=models.PROTECT)
    partner = models.ForeignKey(Partner, related_name="contacts", on_delete=models.PROTECT)
    title = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text=_("Last day as contact; empty while serving."))

    objects = PartnerContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partners_partnercontact_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.user} for {self.partner}"

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Twinning(models.Model):
    """A city paired with an external partner. At most one active twinning per city; past ones are kept."""

    city = models.ForeignKey("cities.City", related_name="twinnings", on_delete=models.PROTECT)
    partner = models.ForeignKey(Partner, related_name="twinnings", on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=TwinningStatus.choices, default=TwinningStatus.ACTIVE)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    focus_areas = models.ManyToManyField("cities.FocusArea", related_name="twinnings", blank=True)
    memorandum_reference = models.CharField(max_length=100, blank=True, help_text=_("e.g. the MOU's number"))
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name", "-starts_on"]
        constraints = [
            CodeCheck(field="status", codes=TwinningStatus),
            models.UniqueConstraint(
                fields=["city"], condition=Q(status="active"), name="partners_twinning_one_active_per_city",
                violation_error_message=_("This city already has an active twinning; end it first."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partners_twinning_ends_after_start",
                violation_error_message=_("A twinning cannot end before it starts."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.city} – {self.partner}"


class ProjectPartnership(models.Model):
    """A partner's engagement with a published project, from expression of interest to completion."""

    project = models.ForeignKey("action_plans.PriorityProject", related_name="partnerships", on_delete=models.PROTECT)
    partner = models.ForeignKey(Partner, related_name="partnerships", on_delete=models.PROTECT)
    stage = models.CharField(
        max_length=20, choices=PartnershipStage.choices, default=PartnershipStage.INTEREST, db_index=True
    )
    support_type = models.CharField(max_length=30, choices=SupportType.choices)
    amount_usd = models.DecimalField(
        _("amount (USD)"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    message = models.TextField(blank=True, max_length=5000)
    created_by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    finalised_on = models.DateField(null=True, blank=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["partner", "stage"], name="partners_partnership_partner")]
        constraints = [
            CodeCheck(field="stage", codes=PartnershipStage),
            CodeCheck(field="support_type", codes=SupportType),
            models.UniqueConstraint(
                fields=["project", "partner"], condition=Q(stage__in=LIVE_STAGES),
                name="partners_projectpartnership_one_live_per_partner",
                violation_error_message=_("This partner already has a live partnership on this project."),
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gte=0),
                name="partners_projectpartnership_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.partner} on {self.project}"


class ConsortiumMember(models.Model):
    """A company in the consortium a partner assembles for a partnership; one of them leads."""

    partnership = models.ForeignKey(ProjectPartnership, related_name="consortium", on_delete=models.CASCADE)
    company = models.CharField(max_length=200)
    country = models.CharField(
        max_length=2, validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 code, e.g. JP."))]
    )
    is_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["partnership", "-is_lead", "company"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(is_lead=True), name="partners_consortiummember_one_lead",
                violation_error_message=_("A consortium has one lead."),
            ),
            models.UniqueConstraint(
                fields=["partnership", "company"], name="partners_consortiummember_company_once",
                violation_error_message=_("This company is already in the consortium."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.company} ({self.country})"


class PartnershipTransition(models.Model):
    """One recorded move of a partnership: who, when, from and to which stage, and why."""

    partnership = models.ForeignKey(ProjectPartnership, related_name="transitions", on_delete=models.CASCADE)
    action = models.CharField(max_length=20)
    from_stage = models.CharField(max_length=20, choices=PartnershipStage.choices)
    to_stage = models.CharField(max_length=20, choices=PartnershipStage.choices)
    by = models.ForeignKey("accounts.User", related_name="+", on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, max_length=5000)

    class Meta:
        constraints = [
            CodeCheck(field="from_stage", codes=PartnershipStage),
            CodeCheck(field="to_stage", codes=PartnershipStage),
        ]
        ordering = ["partnership", "at", "pk"]

    def __str__(self):
        return f"{self.partnership}: {self.from_stage} -> {self.to_stage}"
