"""The published projects as IATI 2.03 activities, and the network as an IATI organisation.

Each activity is built as a small element tree and written out before the next is read, so a file of
any length is served in constant memory. What goes where (docs/open-data.md gives the whole mapping):

- reporting organisation: the network's secretariat (`IATI_ORGANISATION_REF`, type 40 Multilateral);
- participating organisations: the city as Implementing (4, type 11 Local Government); each partner
  whose partnership is finalised, implementing or completed as Funding (1) when it brings financing,
  Extending (3) when it brings technical assistance, a feasibility study, capacity building or technology;
- activity status from the project's stage (the stages are the ActivityStatus codelist);
- activity dates: the planned start and end, or the first day of the plan's period when none is given;
- the recipient country (the city's member state, 100%) and one location at the city's point;
- sectors (vocabulary 1, DAC 5-digit) from the focus areas, shared equally (`FOCUS_AREA_SECTORS`);
- budgets: the estimated cost, spread pro rata by days over the project's years (IATI asks for
  periods of a year at most), original and indicative;
- transactions: each finalised partnership with an amount as an Incoming Commitment (11) from the
  partner to the city on the day it was finalised; the funding secured beyond those as an Incoming
  Commitment from the city's other sources, on the day the project was last changed.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from action_plans.choices import IATI_ACTIVITY_STATUS, SupportType
from action_plans.models import PriorityProject
from action_plans.selectors import projects_published
from ascn_portal.personal_data import mask_personal_data
from partners.choices import PartnershipStage
from partners.models import ProjectPartnership

VERSION = "2.03"
LANGUAGE = "en"
CURRENCY = "USD"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
CENT = Decimal("0.01")

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


def organisation_ref() -> str:
    return settings.IATI_ORGANISATION_REF


def activity_identifier(project_id: int) -> str:
    return f"{organisation_ref()}-{project_id}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
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


def _dates(project: PriorityProject) -> tuple[datetime.date, datetime.date]:
    plan = project.plan
    starts = project.starts_on or datetime.date(plan.period_start, 1, 1)
    ends = project.ends_on or datetime.date(max(plan.period_end, starts.year), 12, 31)
    return starts, max(starts, ends)


def activity(project: PriorityProject, base_url: str) -> ET.Element:
    """One published project as an <iati-activity>, its children in the order the schema asks."""
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
    _sub(root, "activity-status", code=IATI_ACTIVITY_STATUS[project.stage])
    starts, ends = _dates(project)
    _sub(root, "activity-date", iso_date=starts.isoformat(), type="1")  # planned start
    _sub(root, "activity-date", iso_date=ends.isoformat(), type="3")  # planned end
    _sub(root, "recipient-country", code=city.member_state.code, percentage="100")
    location = _sub(root, "location", ref=f"{organisation_ref()}-{city.slug}")
    _narrative(location, "name", city.name)
    point = _sub(location, "point", srsName=WGS84)
    _sub(point, "pos", f"{city.latitude} {city.longitude}")
    _sub(location, "exactness", code="2")  # approximate: the city's centre
    _sub(location, "location-class", code="2")  # populated place
    for code, share in sectors(a.slug for a in project.focus_areas.all()):
        _sub(root, "sector", vocabulary="1", code=code, percentage=str(share))
    if project.estimated_cost_usd is not None:
        for period_start, period_end, value in budget_periods(starts, ends, project.estimated_cost_usd):
            budget = _sub(root, "budget", type="1", status="1")  # original, indicative
            _sub(budget, "period-start", iso_date=period_start.isoformat())
            _sub(budget, "period-end", iso_date=period_end.isoformat())
            _sub(budget, "value", _money(value), currency=CURRENCY, value_date=period_start.isoformat())
    committed = Decimal(0)
    for partnership in partnerships:
        if partnership.amount_usd is None or partnership.finalised_on is None:
            continue
        committed += partnership.amount_usd
        _commitment(root, partnership.finalised_on, partnership.amount_usd, partnership.partner, city.name)
    other = project.funding_secured_usd - committed
    if other > 0:
        _commitment(root, timezone.localdate(updated), other, None, city.name)
    link = _sub(root, "document-link", format="text/html", url=f"{base_url}/projects/{project.pk}/")
    _narrative(link, "title", project.title)
    _sub(link, "category", code="A02")  # objectives / purpose of activity
    _sub(link, "language", code=LANGUAGE)
    return root


def _commitment(root, day: datetime.date, amount: Decimal, partner, city_name: str) -> None:
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


def activities_queryset(member_state: str | None = None) -> QuerySet[PriorityProject]:
    projects = projects_published().select_related("plan__city__member_state").order_by("pk")
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


def organisation_file(base_url: str, report_years: Iterable[int]) -> str:
    """<iati-organisations> with the network: its identifier, name, and its documents: the open data,
    the framework and each year's report to the ASEAN Summit."""
    root = ET.Element("iati-organisations", {"version": VERSION, "generated-datetime": _generated()})
    organisation = _sub(root, "iati-organisation", last_updated_datetime=_generated(), default_currency=CURRENCY)
    organisation.set("{http://www.w3.org/XML/1998/namespace}lang", LANGUAGE)
    _sub(organisation, "organisation-identifier", organisation_ref())
    _narrative(organisation, "name", settings.IATI_ORGANISATION_NAME)
    _reporting_org(organisation)
    documents = [
        ("Open data of the ASEAN Smart Cities Network", f"{base_url}/data/", "B16", None),
        ("The network's activities (IATI)", f"{base_url}/data/iati/activities.xml", "B16", None),
        *((f"ASEAN Smart Cities Network: report for {year}", f"{base_url}/reports/{year}/", "B01", year)
          for year in report_years),
    ]  # fmt: skip
    for title, url, category, year in documents:
        link = _sub(organisation, "document-link", format="text/html", url=url)
        _narrative(link, "title", title)
        _sub(link, "category", code=category)
        _sub(link, "language", code=LANGUAGE)
        if year is not None:
            _sub(link, "document-date", iso_date=f"{year}-12-31")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
