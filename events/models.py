import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ascn_portal.coded import CodeCheck

from .choices import Audience, EventFormat, EventKind, OutcomeKind, RegistrationStatus


class Event(models.Model):
    """A meeting of the network: a workshop, the annual meeting, a summit, a partnership meeting.

    Times are stored in UTC and shown in the event's own time zone. An event from the record whose
    dates were not kept has a year but no times; an all-day event spans whole days in its time zone.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices, db_index=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("e.g. 8 for the 8th annual meeting"))
    year = models.PositiveSmallIntegerField(
        db_index=True,
        blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2200)],
        help_text=_("Set from the start when there is one."),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    all_day = models.BooleanField(default=False, help_text=_("Whole days in the event's time zone, without times."))
    time_zone = models.CharField(max_length=64, default="Asia/Singapore")
    format = models.CharField(max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True, help_text=_("Building or online platform"))
    place = models.CharField(max_length=200, blank=True, help_text=_("City and country, as it should be shown"))
    venue_city = models.ForeignKey(
        "cities.City", related_name="events", on_delete=models.PROTECT, null=True, blank=True
    )
    member_state = models.ForeignKey(
        "cities.MemberState", related_name="hosted_events", on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("venue member state"),
    )  # fmt: skip
    host = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text=_("Seats; empty for no limit."))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.NETWORK)
    published = models.BooleanField(default=True, help_text=_("Unpublished events are seen by the secretariat only."))
    # What the record says of events held before the portal counted attendance.
    reported_delegates = models.PositiveIntegerField(null=True, blank=True)
    reported_cities = models.PositiveIntegerField(null=True, blank=True)
    reported_member_states = models.PositiveSmallIntegerField(null=True, blank=True)
    # Raised whenever the time or venue changes, so calendar programs replace their copy.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-starts_at", "name"]
        indexes = [models.Index(fields=["published", "starts_at"], name="events_event_published_start")]
        constraints = [
            CodeCheck(field="kind", codes=EventKind),
            CodeCheck(field="format", codes=EventFormat),
            CodeCheck(field="audience", codes=Audience),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gte=models.F("starts_at")),
                name="events_event_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gte=models.F("registration_opens_at")),
                name="events_event_registration_window_in_order",
                violation_error_message=_("Registration cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        event = super().from_db(db, field_names, values)
        event.loaded_published = event.__dict__.get("published")  # see events.sync
        return event

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        super().clean()
        errors = {}
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = _("Choose a time zone such as Asia/Singapore.")
        elif self.starts_at:
            self.year = self.starts_at.astimezone(self.zone).year
        if not self.year:
            errors["year"] = _("Give the year, or the event's dates.")
        if (self.starts_at is None) != (self.ends_at is None):
            errors["ends_at"] = _("Give both the start and the end, or neither.")
        elif self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes < opens:
            errors["registration_closes_at"] = _("Registration cannot close before it opens.")
        if closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = _("Registration must close by the end of the event.")
        if (opens or closes or self.capacity is not None) and not self.starts_at:
            errors["starts_at"] = _("Set the event's dates before opening registration.")
        if errors:
            raise ValidationError(errors)

    def local(self, moment: datetime.datetime | None) -> datetime.datetime | None:
        return moment.astimezone(self.zone) if moment else None

    @property
    def local_start(self):
        return self.local(self.starts_at)

    @property
    def local_end(self):
        return self.local(self.ends_at)

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the event runs, in its time zone (an all-day event ends at midnight after it)."""
        if not self.ends_at:
            return None
        end = self.local_end
        return (end - datetime.timedelta(microseconds=1)).date() if self.all_day else end.date()

    @property
    def when_text(self) -> str:
        """The event's dates as people read them, in its own time zone."""
        if not self.starts_at:
            return f"{self.year}, dates not recorded"
        start, end = self.local_start, self.local_end
        if self.all_day:
            first, last = start.date(), self.last_day
            if first == last:
                return first.strftime("%-d %B %Y")
            if (first.year, first.month) == (last.year, last.month):
                return f"{first.day}–{last.strftime('%-d %B %Y')}"
            return f"{first.strftime('%-d %B')} – {last.strftime('%-d %B %Y')}"
        offset = start.strftime("%z")
        zone = f"{self.time_zone}, UTC{offset[:3]}:{offset[3:]}"
        if start.date() == end.date():
            return f"{start.strftime('%-d %B %Y, %H:%M')}–{end.strftime('%H:%M')} ({zone})"
        return f"{start.strftime('%-d %B %Y %H:%M')} – {end.strftime('%-d %B %Y %H:%M')} ({zone})"

    @property
    def is_past(self) -> bool:
        return bool(self.ends_at and self.ends_at < timezone.now())

    def registration_problem(self, now: datetime.datetime | None = None) -> str:
        """Why nobody may register now, or '' when registration is open."""
        now = now or timezone.now()
        if not self.published:
            return _("This event is not published.")
        if not self.starts_at:
            return _("Registration is not open: the event's dates are not set.")
        if self.registration_opens_at and now < self.registration_opens_at:
            when = self.local(self.registration_opens_at).strftime("%d %b %Y %H:%M")
            return _("Registration opens on %(when)s (%(zone)s).") % {"when": when, "zone": self.time_zone}
        closes = self.registration_closes_at or self.starts_at
        if now > closes:
            when = self.local(closes).strftime("%d %b %Y %H:%M")
            return _("Registration closed on %(when)s (%(zone)s).") % {"when": when, "zone": self.time_zone}
        return ""


class Session(models.Model):
    """One item of an event's agenda."""

    event = models.ForeignKey(Event, related_name="sessions", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(max_length=200)
    speakers = models.CharField(max_length=500, blank=True, help_text=_("Names, separated by commas"))
    room = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["event", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="events_session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A person's seat at an event: confirmed, on the waitlist, or cancelled.

    A delegation lead (a CSCO, an NR, a partner's contact) registers the members of their
    delegation; the body they come for (city, member state, partner) is kept for the figures.
    """

    event = models.ForeignKey(Event, related_name="registrations", on_delete=models.PROTECT)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="registrations", on_delete=models.PROTECT)
    role_title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("e.g. Director, Smart City Office")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="registrations_made", on_delete=models.PROTECT
    )
    city = models.ForeignKey(
        "cities.City", related_name="registrations", on_delete=models.PROTECT, null=True, blank=True
    )
    member_state = models.ForeignKey(
        "cities.MemberState", related_name="registrations", on_delete=models.PROTECT, null=True, blank=True
    )
    partner = models.ForeignKey(
        "partners.Partner", related_name="registrations", on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "created_at", "pk"]  # the waitlist's order
        indexes = [models.Index(fields=["event", "status", "created_at"], name="events_registration_queue")]
        constraints = [
            CodeCheck(field="status", codes=RegistrationStatus),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="events_registration_one_per_person",
                violation_error_message=_("This person is already registered for this event."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="events_registration_checked_in_when_confirmed",
                violation_error_message=_("Only a confirmed registration can be checked in."),
            ),
        ]

    def __str__(self):
        return f"{self.person} at {self.event}"

    @property
    def delegation(self) -> str:
        body = self.city or self.partner or self.member_state
        return str(body) if body else ""


class Outcome(models.Model):
    """A decision recorded at an event, and what it concerns."""

    event = models.ForeignKey(Event, related_name="outcomes", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    strategic_outcomes = models.ManyToManyField("cities.StrategicOutcome", related_name="event_outcomes", blank=True)
    focus_areas = models.ManyToManyField("cities.FocusArea", related_name="event_outcomes", blank=True)
    cities = models.ManyToManyField("cities.City", related_name="event_outcomes", blank=True)
    partners = models.ManyToManyField("partners.Partner", related_name="event_outcomes", blank=True)
    action_plans = models.ManyToManyField("action_plans.ActionPlan", related_name="event_outcomes", blank=True)
    concerns_framework = models.BooleanField(
        default=False, help_text=_("The decision is about the ASEAN Smart Cities Framework itself.")
    )

    class Meta:
        constraints = [
            CodeCheck(field="kind", codes=OutcomeKind),
        ]
        ordering = ["event", "position", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
