import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import DEFAULT_ORGANISATION_TYPE, OrganisationType, PartnerKind, SupportType


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
