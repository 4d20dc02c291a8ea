"""The published projects as IATI 2.03 activities, and the network as an IATI organisation.

Each activity is built as a small element tree and written out before the next is read, so a file of
any length is served in constant memory. What goes where (docs/open-data.md gives the whole mapping):

- reporting organisation: the network's secretariat (`IATI_ORGANISATION_REF`, type 40 Multilateral);
- participating organisations: the city as Implementing (4, type 11 Local Government); each partner
  whose partnership is finalised, implementing or completed as Funding (1) when it brings financing,
  Extending (3) when it brings technical assistance, a feasibility study, capacity building or technology;
- activity status from the project's stage (the stages are the ActivityStatus codelist); a project that
  was published and has been withdrawn since (`WITHDRAWN_KEPT`) stays as Cancelled (5);
- activity dates: the planned start and end, or the first day of the plan's period when none is given;
  the actual start (2) and end (4) from the project's history: the day it first reached implementation,
  and the day it last reached finalisation or closure;
- the recipient country (the city's member state, 100%) and one location at the city's point;
- sectors (vocabulary 1, DAC 5-digit) from the focus areas, shared equally (`FOCUS_AREA_SECTORS`);
- the defaults aid tools classify by (flow, finance, aid and tied-status types), from the kind of support
  its committed partnerships give or, before any, the kind it seeks (`SUPPORT_DEFAULTS`);
- budgets: the estimated cost, spread pro rata by days over the project's years (IATI asks for
  periods of a year at most), original and indicative;
- transactions: each finalised partnership with an amount as an Incoming Commitment (11) from the
  partner to the city on the day it was finalised; the funding secured beyond those as an Incoming
  Commitment from the city's other sources, on the day the project was last changed.

Every day that says when something happened (transaction and value dates, actual dates) is a day that
has begun for a reader in UTC: the portal keeps its days in Singapore's calendar, eight hours ahead, so
a day it recorded in the evening (UTC) would otherwise be tomorrow for most validators (`utc_day`).
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import DateTimeField, Exists, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from action_plans.choices import IATI_ACTIVITY_STATUS, PlanState, ProjectStage, SupportType
from action_plans.models import PriorityProject
from action_plans.selectors import PUBLISHED_Q, projects_published
from action_plans.sync import RESOURCE as PROJECTS_RESOURCE
from ascn_portal.api.models import Tombstone
from ascn_portal.api.sync import TOMBSTONE_DAYS
from ascn_portal.exports import xml_text
from ascn_portal.personal_data import mask_personal_data
from partners.choices import PartnershipStage
from partners.models import ProjectPartnership

VERSION = "2.03"
LANGUAGE = "en"
CURRENCY = "USD"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
CENT = Decimal("0.01")
XML_TYPE = "application/xml"  # the type the files are served as, and their document-links declare
HTML_TYPE = "text/html"

# The framework's focus areas as OECD DAC 5-digit purpose codes (IATI Sector, vocabulary 1): the code
# whose description is closest to the focus area's scope in the ASEAN Smart Cities Framework.
FOCUS_AREA_SECTORS = {
    "civic-and-social": "15150",  # Democratic participation and civil society
    "health-and-well-being": "12110",  # Health policy and administrative management
    "safety-and-security": "74020",  # Multi-hazard response preparedness
    "quality-environment": "41010",  # Environmental policy and administrative management
    "built-infrastructure": "43030",  # Urban development and management
    "industry-and-innovation": "25010",  # Business policy and administration
}
URBAN_DEVELOPMENT = "43030"  # a project without focus area: Urban development and management

# OrganisationRole
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
LOCAL_GOVERNMENT, MULTILATERAL = "11", "40"
INCOMING_COMMITMENT = "11"  # TransactionType
COMMITTED = (PartnershipStage.FINALISED, PartnershipStage.IMPLEMENTING, PartnershipStage.COMPLETED)
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
CANCELLED = IATI_ACTIVITY_STATUS[ProjectStage.CANCELLED]
STARTED = (ProjectStage.IMPLEMENTATION, ProjectStage.FINALISATION, ProjectStage.CLOSED)
ENDED = (ProjectStage.FINALISATION, ProjectStage.CLOSED)  # physical activity complete (3), closed (4)

# A published project that leaves the catalogue (closed to partners, its plan returned or withdrawn) stays
# in the activities file as Cancelled this long: more than a year, so a reader that refreshes once a
# yearly cycle still sees it end rather than vanish. Its tombstone, the record that it was published,
# lives 30 days longer (`TOMBSTONE_DAYS`), so the file's Last-Modified can say when it left
# (`withdrawals_expired_at`); the file's ETag also counts its activities, which stays right after that.
WITHDRAWN_KEPT = datetime.timedelta(days=TOMBSTONE_DAYS - 30)

# The defaults aid tools classify an activity by: (FlowType, FinanceType, AidType, TiedStatus), for the
# kind of support it gets. The first kind in this order that its committed partnerships give (or, before
# any, that it seeks) decides. Partners here are ASEAN's dialogue and development partners and
# development banks: Official Development Assistance (10), given to the city without conditions on where
# it buys (5 Untied), as a grant (110) since the portal records no loan terms. Money, equipment and
# studies that prepare an investment are project-type interventions (C01: the DAC counts feasibility
# studies there); know-how and training apart from such a project are other technical assistance (D02).
# docs/open-data.md says the same for people.
ODA, STANDARD_GRANT, UNTIED = "10", "110", "5"
PROJECT_TYPE, TECHNICAL_ASSISTANCE = "C01", "D02"
SUPPORT_DEFAULTS = {
    SupportType.FINANCING: (ODA, STANDARD_GRANT, PROJECT_TYPE, UNTIED),
    SupportType.TECHNOLOGY: (ODA, STANDARD_GRANT, PROJECT_TYPE, UNTIED),
    SupportType.FEASIBILITY_STUDY: (ODA, STANDARD_GRANT, PROJECT_TYPE, UNTIED),
    SupportType.TECHNICAL_ASSISTANCE: (ODA, STANDARD_GRANT, TECHNICAL_ASSISTANCE, UNTIED),
    SupportType.CAPACITY_BUILDING: (ODA, STANDARD_GRANT, TECHNICAL_ASSISTANCE, UNTIED),
}
UNSPECIFIED_SUPPORT = SupportType.FINANCING  # a project that seeks nothing named: what most projects seek


def organisation_ref() -> str:
    return settings.IATI_ORGANISATION_REF


def activity_identifier(project_id: int) -> str:
    return f"{organisation_ref()}-{project_id}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    # ElementTree writes a control character as it is, and the file is no longer XML: each goes.
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): xml_text(str(v)) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _narrative(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    element = _sub(parent, tag, **attributes)
    _sub(element, "narrative", mask_personal_data(text, LANGUAGE))  # no one's email or phone in a file
    return element


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


def _reporting_org(parent: ET.Element) -> None:
    _narrative(parent, "reporting-org", settings.IATI_ORGANISATION_NAME, ref=organisation_ref(), type=MULTILATERAL)


def sectors(focus_area_slugs: Iterable[str]) -> list[tuple[str, Decimal]]:
    """(DAC code, percentage) for the focus areas, shared equally and summing to exactly 100."""
    codes = list(dict.fromkeys(FOCUS_AREA_SECTORS[s] for s in focus_area_slugs if s in FOCUS_AREA_SECTORS))
    if not codes:
        return [(URBAN_DEVELOPMENT, Decimal(100))]
    share = (Decimal(100) / len(codes)).quantize(CENT, rounding="ROUND_DOWN")
    shares = [share] * len(codes)
    shares[-1] = Decimal(100) - share * (len(codes) - 1)
    return list(zip(codes, shares, strict=True))


def budget_periods(starts: datetime.date, ends: datetime.date, total: Decimal):
    """The total spread pro rata by days over periods of at most a year from the start; the cents that
    rounding leaves go to the last period, so the periods add up to the total."""
    periods = []
    start = starts
    while start <= ends:
        try:
            anniversary = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            anniversary = start.replace(year=start.year + 1, day=28)
        end = min(anniversary - datetime.timedelta(days=1), ends)
        periods.append((start, end))
        start = end + datetime.timedelta(days=1)
    days = (ends - starts).days + 1
    values = [(total * ((e - s).days + 1) / days).quantize(CENT, ROUND_HALF_UP) for s, e in periods]
    values[-1] = total - sum(values[:-1])
    return [(s, e, v) for (s, e), v in zip(periods, values, strict=True)]


def utc_day(moment: datetime.datetime) -> datetime.date:
    """The day an instant fell on in UTC: never tomorrow for any reader west of Singapore."""
    return moment.astimezone(datetime.UTC).date()


def _known_day(day: datetime.date, known_at: datetime.datetime) -> datetime.date:
    """A day the portal recorded in its own calendar (Singapore's), as a day that had begun in UTC when it
    was recorded: `finalised_on` set in the evening (UTC) is tomorrow's date there."""
    return min(day, utc_day(known_at))


def _dates(project: PriorityProject) -> tuple[datetime.date, datetime.date]:
    plan = project.plan
    starts = project.starts_on or datetime.date(plan.period_start, 1, 1)
    ends = project.ends_on or datetime.date(max(plan.period_end, starts.year), 12, 31)
    return starts, max(starts, ends)


def _actual_dates(project: PriorityProject, updated: datetime.datetime, planned_start: datetime.date):
    """(actual start, actual end), each a UTC day or None: the day the history first shows the project
    under way (suspended or cancelled since, it still started then), and the day it last came to an end.
    A project under way without such history (written around it) started no later than its last change;
    one ended without it, then."""
    started = ended = None
    if project.started_at:
        started = utc_day(project.started_at)
    elif project.stage in STARTED:
        started = min(planned_start, utc_day(updated))
    if project.stage in ENDED:
        ended = utc_day(project.ended_at) if project.ended_at else utc_day(updated)
    return started, ended


def support_kind(project: PriorityProject) -> str:
    """The kind of support that decides the activity's defaults (`SUPPORT_DEFAULTS`)."""
    given = {p.support_type for p in project.committed_partnerships}
    for kinds in (given, set(project.support_sought)):
        for kind in SUPPORT_DEFAULTS:
            if kind in kinds:
                return kind
    return UNSPECIFIED_SUPPORT


def activity(project: PriorityProject, base_url: str) -> ET.Element:
    """One project as an <iati-activity>, its children in the order the schema asks."""
    plan, city = project.plan, project.plan.city
    updated = max(project.updated_at, plan.updated_at)
    root = ET.Element("iati-activity", {
        "last-updated-datetime": updated.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "{http://www.w3.org/XML/1998/namespace}lang": LANGUAGE, "default-currency": CURRENCY, "hierarchy": "1",
    })  # fmt: skip
    _sub(root, "iati-identifier", activity_identifier(project.pk))
    _reporting_org(root)
    _narrative(root, "title", project.title)
    _narrative(root, "description", project.summary or project.description or project.title, type="1")
    _narrative(root, "participating-org", city.name, role=IMPLEMENTING, type=LOCAL_GOVERNMENT)
    partnerships = project.committed_partnerships
    for partnership in partnerships:
        partner = partnership.partner
        role = FUNDING if partnership.support_type == SupportType.FINANCING else EXTENDING
        attributes = {"role": role, **({"type": partner.organisation_type} if partner.organisation_type else {})}
        _narrative(root, "participating-org", partner.name, **attributes)
    withdrawn = not project.published
    _sub(root, "activity-status", code=CANCELLED if withdrawn else IATI_ACTIVITY_STATUS[project.stage])
    starts, ends = _dates(project)
    actual_start, actual_end = _actual_dates(project, updated, starts)
    _sub(root, "activity-date", iso_date=starts.isoformat(), type=PLANNED_START)
    if actual_start:
        _sub(root, "activity-date", iso_date=actual_start.isoformat(), type=ACTUAL_START)
    _sub(root, "activity-date", iso_date=ends.isoformat(), type=PLANNED_END)
    if actual_end:
        _sub(root, "activity-date", iso_date=actual_end.isoformat(), type=ACTUAL_END)
    _sub(root, "recipient-country", code=city.member_state.code, percentage="100")
    location = _sub(root, "location", ref=f"{organisation_ref()}-{city.slug}")
    _narrative(location, "name", city.name)
    point = _sub(location, "point", srsName=WGS84)
    _sub(point, "pos", f"{city.latitude} {city.longitude}")
    _sub(location, "exactness", code="2")  # approximate: the city's centre
    _sub(location, "location-class", code="2")  # populated place
    for code, share in sectors(a.slug for a in project.focus_areas.all()):
        _sub(root, "sector", vocabulary="1", code=code, percentage=str(share))
    flow, finance, aid, tied = SUPPORT_DEFAULTS[support_kind(project)]
    _sub(root, "default-flow-type", code=flow)
    _sub(root, "default-finance-type", code=finance)
    _sub(root, "default-aid-type", code=aid, vocabulary="1")  # OECD DAC
    _sub(root, "default-tied-status", code=tied)
    if project.estimated_cost_usd is not None:
        for period_start, period_end, value in budget_periods(starts, ends, project.estimated_cost_usd):
            budget = _sub(root, "budget", type="1", status="1")  # original, indicative
            _sub(budget, "period-start", iso_date=period_start.isoformat())
            _sub(budget, "period-end", iso_date=period_end.isoformat())
            value_date = _known_day(period_start, updated)  # the rate of the day the estimate was given
            _sub(budget, "value", _money(value), currency=CURRENCY, value_date=value_date.isoformat())
    committed = Decimal(0)
    for partnership in partnerships:
        if partnership.amount_usd is None or partnership.finalised_on is None:
            continue
        committed += partnership.amount_usd
        day = _known_day(partnership.finalised_on, partnership.updated_at)
        given = SUPPORT_DEFAULTS[partnership.support_type][2]  # said where it is not the activity's default
        _commitment(root, day, partnership.amount_usd, partnership.partner, city.name, None if given == aid else given)
    other = project.funding_secured_usd - committed
    if other > 0:
        _commitment(root, utc_day(updated), other, None, city.name)
    link = _sub(root, "document-link", format=HTML_TYPE, url=f"{base_url}/projects/{project.pk}/")
    _narrative(link, "title", project.title)
    _sub(link, "category", code="A02")  # objectives / purpose of activity
    _sub(link, "language", code=LANGUAGE)
    return root


def _commitment(root, day: datetime.date, amount: Decimal, partner, city_name: str, aid: str | None = None) -> None:
    transaction = _sub(root, "transaction")
    _sub(transaction, "transaction-type", code=INCOMING_COMMITMENT)
    _sub(transaction, "transaction-date", iso_date=day.isoformat())
    _sub(transaction, "value", _money(amount), currency=CURRENCY, value_date=day.isoformat())
    if partner is None:
        _narrative(transaction, "description", "Funding secured by the city from other sources")
        _narrative(transaction, "provider-org", "Other sources reported by the city")
    else:
        _narrative(transaction, "description", "Finalised partnership")
        attributes = {"type": partner.organisation_type} if partner.organisation_type else {}
        _narrative(transaction, "provider-org", partner.name, **attributes)
    _narrative(transaction, "receiver-org", city_name, type=LOCAL_GOVERNMENT)
    if aid is not None:
        _sub(transaction, "aid-type", code=aid, vocabulary="1")


# A tombstone of the public list: the project was seen there, its plan approved and it open to partners.
_SEEN_PUBLISHED = {"seen_by__contains": {"plan__state": PlanState.APPROVED.value, "open_to_partners": True}}


def _withdrawn() -> Exists:
    """Projects that were published (a tombstone of the public list says so) and left it within
    `WITHDRAWN_KEPT`; the caller keeps those that are not published again."""
    seen_published = Tombstone.objects.filter(
        resource=PROJECTS_RESOURCE, object_id=OuterRef("pk"), removed_at__gte=timezone.now() - WITHDRAWN_KEPT,
        **_SEEN_PUBLISHED,
    )  # fmt: skip
    return Exists(seen_published)


def activities_count(member_state: str | None = None) -> int:
    """How many activities the file holds: it changes when a withdrawn project leaves, with no write."""
    projects = PriorityProject.objects.filter(PUBLISHED_Q | _withdrawn())
    if member_state:
        projects = projects.filter(plan__city__member_state__code=member_state)
    return projects.count()


def withdrawals_expired_at() -> datetime.datetime | None:
    """When the last withdrawn project left the file for good (`WITHDRAWN_KEPT` after its withdrawal): the
    file changed then with no write, so its Last-Modified and ETag must move too."""
    cutoff = timezone.now() - WITHDRAWN_KEPT
    latest = (
        Tombstone.objects.filter(resource=PROJECTS_RESOURCE, removed_at__lt=cutoff, **_SEEN_PUBLISHED)
        .order_by("-removed_at").values_list("removed_at", flat=True).first()
    )  # fmt: skip
    return latest + WITHDRAWN_KEPT if latest else None


def _history_day(stages, *, after=None):
    """The first time the project's history shows it at one of `stages` (after `after`, if given)."""
    history = PriorityProject.history.model.objects.filter(id=OuterRef("pk"), stage__in=stages)
    if after is not None:
        history = history.filter(history_date__gt=after)
    return Subquery(history.order_by("history_date").values("history_date")[:1])


def _last_running():
    """When the history last shows the project before its end (so a reopened project ends anew)."""
    running = PriorityProject.history.model.objects.filter(id=OuterRef(OuterRef("pk"))).exclude(stage__in=ENDED)
    epoch = Value(datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField())
    return Coalesce(Subquery(running.order_by("-history_date").values("history_date")[:1]), epoch)


def activities_queryset(member_state: str | None = None) -> QuerySet[PriorityProject]:
    """The projects of the activities file: the published ones and those withdrawn lately, with the days
    their history says they started and ended."""
    projects = (
        PriorityProject.objects.filter(PUBLISHED_Q | _withdrawn())
        .select_related("plan__city__member_state").order_by("pk")
        .annotate(started_at=_history_day(STARTED), ended_at=_history_day(ENDED, after=_last_running()))
    )  # fmt: skip
    if member_state:
        projects = projects.filter(plan__city__member_state__code=member_state)
    committed = (
        ProjectPartnership.objects.filter(stage__in=COMMITTED).select_related("partner").order_by("finalised_on", "pk")
    )
    return projects.prefetch_related(
        "focus_areas", Prefetch("partnerships", queryset=committed, to_attr="committed_partnerships")
    )


def _generated() -> str:
    return timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")


def activities_file(projects: QuerySet[PriorityProject], base_url: str) -> Iterator[str]:
    """<iati-activities>, one activity at a time (the schema asks for one at least: the view answers 404
    where nothing is published)."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="{VERSION}" generated-datetime="{_generated()}">\n'
    for project in projects.iterator(chunk_size=500):
        yield ET.tostring(activity(project, base_url), encoding="unicode") + "\n"
    yield "</iati-activities>\n"


def year_shares(starts: datetime.date, ends: datetime.date, total: Decimal) -> dict[int, Decimal]:
    """The total spread pro rata by days over the calendar years it spans, as `budget_periods` spreads
    it over the activity's years; the cents rounding leaves go to the last year."""
    days = (ends - starts).days + 1
    shares = {}
    for year in range(starts.year, ends.year + 1):
        first, last = max(starts, datetime.date(year, 1, 1)), min(ends, datetime.date(year, 12, 31))
        shares[year] = (total * ((last - first).days + 1) / days).quantize(CENT, ROUND_HALF_UP)
    shares[ends.year] = total - sum(v for y, v in shares.items() if y != ends.year)
    return shares


def yearly_budgets() -> dict[int, Decimal]:
    """The estimated costs of the activities that go on (published, not cancelled), by calendar year."""
    totals: dict[int, Decimal] = {}
    running = (
        projects_published().filter(estimated_cost_usd__isnull=False).exclude(stage=ProjectStage.CANCELLED)
        .select_related("plan").only("starts_on", "ends_on", "estimated_cost_usd", "plan__period_start",
                                     "plan__period_end")
    )  # fmt: skip
    for project in running.iterator(chunk_size=1000):
        starts, ends = _dates(project)
        for year, value in year_shares(starts, ends, project.estimated_cost_usd).items():
            totals[year] = totals.get(year, Decimal(0)) + value
    return dict(sorted(totals.items()))


def organisation_file(
    base_url: str, report_years: Iterable[int], budgets: dict[int, Decimal], changed: datetime.datetime
) -> str:
    """<iati-organisations> with the network: its identifier, name, its total budget each year (what its
    cities' projects are estimated to cost, as the activities spread it; the portal records no spending,
    so there is no total-expenditure), and its documents: the open data, the activities, the framework
    and each year's report to the ASEAN Summit, each with the type it is served as."""
    root = ET.Element("iati-organisations", {"version": VERSION, "generated-datetime": _generated()})
    organisation = _sub(root, "iati-organisation", last_updated_datetime=_generated(), default_currency=CURRENCY)
    organisation.set("{http://www.w3.org/XML/1998/namespace}lang", LANGUAGE)
    _sub(organisation, "organisation-identifier", organisation_ref())
    _narrative(organisation, "name", settings.IATI_ORGANISATION_NAME)
    _reporting_org(organisation)
    for year, value in budgets.items():
        budget = _sub(organisation, "total-budget", status="1")  # indicative
        first = datetime.date(year, 1, 1)
        _sub(budget, "period-start", iso_date=first.isoformat())
        _sub(budget, "period-end", iso_date=datetime.date(year, 12, 31).isoformat())
        value_date = _known_day(first, changed)
        _sub(budget, "value", _money(value), currency=CURRENCY, value_date=value_date.isoformat())
    documents = [
        ("Open data of the ASEAN Smart Cities Network", f"{base_url}/data/", HTML_TYPE, "B16", None),
        ("The network's activities (IATI)", f"{base_url}/data/iati/activities.xml", XML_TYPE, "B16", None),
        *((f"ASEAN Smart Cities Network: report for {year}", f"{base_url}/reports/{year}/", HTML_TYPE, "B01", year)
          for year in report_years),
    ]  # fmt: skip
    for title, url, file_format, category, year in documents:
        link = _sub(organisation, "document-link", format=file_format, url=url)
        _narrative(link, "title", title)
        _sub(link, "category", code=category)
        _sub(link, "language", code=LANGUAGE)
        if year is not None:
            _sub(link, "document-date", iso_date=f"{year}-12-31")  # a past year's: begun in UTC too
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
