import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField, RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ascn_portal.coded import CodeCheck

from .choices import AppointmentRole, CityKind, CityStatus

iso_alpha2 = RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 code in capitals, e.g. TH."))
iso_alpha3 = RegexValidator(r"^[A-Z]{3}$", _("Use the three-letter ISO 3166 code in capitals, e.g. THA."))


class MemberState(models.Model):
    """An ASEAN Member State, identified by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True, validators=[iso_alpha2])
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True, validators=[iso_alpha3])
    name = models.CharField(_("official name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("member state")

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("member_state_detail", args=[self.code])


class Chairmanship(models.Model):
    """Which member state chairs ASEAN in a year; its National Representative chairs the ASCN."""

    year = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1967), MaxValueValidator(2200)])
    member_state = models.ForeignKey(MemberState, related_name="chairmanships", on_delete=models.PROTECT)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.member_state}"


class FrameworkEntry(models.Model):
    """An entry of the ASEAN Smart Cities Framework, in the framework's own order."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class StrategicOutcome(FrameworkEntry):
    """One of the three strategic outcomes of the ASEAN Smart Cities Framework."""

    class Meta(FrameworkEntry.Meta):
        pass


class FocusArea(FrameworkEntry):
    """One of the six development focus areas of the ASEAN Smart Cities Framework."""

    class Meta(FrameworkEntry.Meta):
        pass


class CityNetwork(models.Model):
    """Another multilateral city network (ICLEI, UCLG, C40, ...) that ASCN cities may belong to."""

    acronym = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    focus = models.CharField(max_length=200, blank=True)
    founded = models.PositiveSmallIntegerField(null=True, blank=True)
    headquarters = models.CharField(max_length=200, blank=True)
    members_worldwide = models.CharField(max_length=200, blank=True)
    members_in_southeast_asia = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["acronym"]

    def __str__(self):
        return self.acronym


class City(models.Model):
    """A member city of the network."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    member_state = models.ForeignKey(MemberState, related_name="cities", on_delete=models.PROTECT)
    latitude = models.DecimalField(
        max_digits=7, decimal_places=4, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        max_digits=7, decimal_places=4, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=CityKind.choices, blank=True)
    joined_year = models.PositiveSmallIntegerField(
        _("year joined"), db_index=True, validators=[MinValueValidator(2018), MaxValueValidator(2200)]
    )
    status = models.CharField(max_length=20, choices=CityStatus.choices, default=CityStatus.ACTIVE)
    summary = models.TextField(blank=True)
    website = models.URLField(blank=True)
    networks = models.ManyToManyField(CityNetwork, through="CityNetworkMembership", related_name="cities", blank=True)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")
        constraints = [
            CodeCheck(field="kind", codes=CityKind, blank=True),
            CodeCheck(field="status", codes=CityStatus),
            models.UniqueConstraint(fields=["member_state", "name"], name="cities_city_unique_name_per_state"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cities:city_detail", kwargs={"slug": self.slug})

    @property
    def is_pilot(self) -> bool:
        return self.joined_year == 2018


class CityNetworkMembership(models.Model):
    """A city's membership of another city network, as the sources name it."""

    city = models.ForeignKey(City, related_name="network_memberships", on_delete=models.CASCADE)
    network = models.ForeignKey(CityNetwork, related_name="memberships", on_delete=models.CASCADE)
    note = models.CharField(max_length=200, blank=True, help_text=_("e.g. seat on UCLG's World Council"))

    class Meta:
        ordering = ["network__acronym"]
        constraints = [
            models.UniqueConstraint(fields=["city", "network"], name="cities_citynetworkmembership_once"),
        ]

    def __str__(self):
        return f"{self.city} in {self.network}"


class DateRange(models.Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class IdRange(models.Func):
    """A key as the one-point range [id, id], so an exclusion constraint can test it with `&&`.

    Range types have GiST support built in; plain equality on an integer inside an exclusion
    constraint would need the btree_gist extension, which not every PostgreSQL offers.
    """

    function = "INT8RANGE"
    output_field = BigIntegerRangeField()

    def __init__(self, field, **extra):
        super().__init__(field, field, RangeBoundary(inclusive_lower=True, inclusive_upper=True), **extra)


TERM = DateRange("starts_on", "ends_on", RangeBoundary(inclusive_upper=True))


class AppointmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)

    def past(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(ends_on__lt=on)


class Appointment(models.Model):
    """A person's term in an office of the network.

    A National Representative serves a member state; a Chief Smart City Officer and the city team
    serve a city. Terms end rather than disappear, so past holders stay on record. The database
    refuses two National Representatives of one member state, or two Chief Smart City Officers of
    one city, whose terms overlap.
    """

    user = models.ForeignKey("accounts.User", related_name="appointments", on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=AppointmentRole.choices)
    member_state = models.ForeignKey(
        MemberState, related_name="appointments", on_delete=models.PROTECT, null=True, blank=True
    )
    city = models.ForeignKey(City, related_name="appointments", on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. Director, Smart City Office"))
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text=_("Last day in office; empty while serving."))

    objects = AppointmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["role", "city"], name="cities_appt_role_city_idx"),
            models.Index(fields=["role", "member_state"], name="cities_appt_role_state_idx"),
        ]
        constraints = [
            CodeCheck(field="role", codes=AppointmentRole),
            models.CheckConstraint(
                condition=(
                    Q(role=AppointmentRole.NATIONAL_REPRESENTATIVE, member_state__isnull=False, city__isnull=True)
                    | Q(
                        role__in=[AppointmentRole.CSCO, AppointmentRole.CITY_TEAM],
                        city__isnull=False,
                        member_state__isnull=True,
                    )
                ),
                name="cities_appointment_office_matches_role",
                violation_error_message=_(
                    "A National Representative serves a member state; a CSCO or city team member serves a city."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cities_appointment_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            ExclusionConstraint(
                name="cities_appointment_one_nr_per_state",
                expressions=[
                    (IdRange("member_state"), RangeOperators.OVERLAPS),
                    (TERM, RangeOperators.OVERLAPS),
                ],
                condition=Q(role=AppointmentRole.NATIONAL_REPRESENTATIVE),
                violation_error_message=_("This member state already has a National Representative for that term."),
            ),
            ExclusionConstraint(
                name="cities_appointment_one_csco_per_city",
                expressions=[
                    (IdRange("city"), RangeOperators.OVERLAPS),
                    (TERM, RangeOperators.OVERLAPS),
                ],
                condition=Q(role=AppointmentRole.CSCO),
                violation_error_message=_("This city already has a Chief Smart City Officer for that term."),
            ),
            ExclusionConstraint(
                name="cities_appointment_one_team_seat_per_person",
                expressions=[
                    (IdRange("user"), RangeOperators.OVERLAPS),
                    (IdRange("city"), RangeOperators.OVERLAPS),
                    (TERM, RangeOperators.OVERLAPS),
                ],
                condition=Q(role=AppointmentRole.CITY_TEAM),
                violation_error_message=_("This person is already on the city's team for that term."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} of {self.office}"

    @property
    def office(self):
        return self.member_state if self.role == AppointmentRole.NATIONAL_REPRESENTATIVE else self.city

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)
