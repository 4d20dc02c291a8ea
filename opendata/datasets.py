"""The network's open data: each dataset's fields, rows and last change. Nothing personal is in any of
them: no person's name, email address or phone (officers and contacts stay on the pages for members).

Published under the Creative Commons Attribution 4.0 licence (CC BY 4.0): anyone may reuse them,
naming the ASEAN Smart Cities Network as the source."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Max

from action_plans.models import ActionPlan, PriorityProject
from action_plans.selectors import projects_published
from ascn_portal.exports import Column
from ascn_portal.personal_data import mask_personal_data
from cities.models import City, MemberState
from partners.models import Partner, ProjectPartnership

from . import iati

LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
LANGUAGE = "en"  # the files' headers and notes
EPOCH = datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    width: int = 18
    type: str = "string"  # as Table Schema names it (string, integer, number, date, year); list: items joined by ;


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    formats: tuple[str, ...]
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[list]]
    last_changed: Callable[[], datetime.datetime]
    count: Callable[[], int]
    point: Callable[[list], tuple[float, float] | None] | None = None  # for GeoJSON: (longitude, latitude)

    def __post_init__(self):
        # Any text of any dataset, now or to come: an email address or a phone typed into it is
        # masked ("[email removed]"), so no file holds a person's contact whatever a city wrote.
        rows = self.rows
        object.__setattr__(self, "rows", lambda: (_masked(row) for row in rows()))

    @property
    def columns(self) -> list[Column]:
        return [Column(f.name, f.width) for f in self.fields]


def _masked(row: list) -> list:
    return [mask_personal_data(value, LANGUAGE) if isinstance(value, str) else value for value in row]


def _changed(*values) -> datetime.datetime:
    found = [v for v in values if v is not None]
    return max(found) if found else EPOCH


def _history_changed(model) -> datetime.datetime:
    return _changed(model.history.aggregate(at=Max("history_date"))["at"])


def _cities() -> Iterator[list]:
    for c in City.objects.select_related("member_state").order_by("name").iterator(chunk_size=1000):
        yield [c.slug, c.name, c.member_state.code, c.latitude, c.longitude, c.population, c.kind, c.joined_year,
               c.status, c.website]  # fmt: skip


def _member_states() -> Iterator[list]:
    states = MemberState.objects.annotate(city_count=Count("cities")).order_by("short_name")
    for s in states:
        yield [s.code, s.iso3, s.short_name, s.name, s.city_count]


def _partners() -> Iterator[list]:
    partners = Partner.objects.filter(is_active=True).prefetch_related("focus_areas", "member_states").order_by("name")
    for p in partners:
        yield [p.slug, p.name, p.kind, p.organisation_type, p.country, p.website,
               [a.slug for a in p.focus_areas.all()], [s.code for s in p.member_states.all()], p.support_types,
               p.stages]  # fmt: skip


def _projects_queryset():
    return projects_published().select_related("plan__city__member_state").prefetch_related("focus_areas")


def _projects() -> Iterator[list]:
    for p in _projects_queryset().order_by("pk").iterator(chunk_size=1000):
        city = p.plan.city
        yield [p.pk, p.title, p.summary, city.slug, city.member_state.code, [a.slug for a in p.focus_areas.all()],
               p.stage, p.estimated_cost_usd, p.funding_secured_usd, p.support_sought, p.starts_on, p.ends_on,
               city.latitude, city.longitude, f"/projects/{p.pk}/"]  # fmt: skip


def _partnerships() -> Iterator[list]:
    finalised = (
        ProjectPartnership.objects.filter(finalised_on__isnull=False)
        .select_related("project__plan__city__member_state", "partner").order_by("finalised_on", "pk")
    )  # fmt: skip
    for p in finalised.iterator(chunk_size=1000):
        city = p.project.plan.city
        yield [p.finalised_on, city.member_state.code, city.slug, p.project_id, p.project.title, p.partner.slug,
               p.partner.name, p.support_type, p.stage]  # fmt: skip


def _projects_changed() -> datetime.datetime:
    """The last write to any project, plan or city, published or not: a project that leaves the
    catalogue changes the file too, so the time never goes back (If-Modified-Since stays right)."""
    return _changed(_history_changed(PriorityProject), _history_changed(ActionPlan), _history_changed(City))


def iati_changed() -> datetime.datetime:
    """The IATI files change with the projects, their cities and their committed partnerships, and when a
    withdrawn project has been kept as cancelled long enough and leaves them."""
    return _changed(_projects_changed(), _history_changed(ProjectPartnership), _history_changed(Partner),
                    iati.withdrawals_expired_at())  # fmt: skip


DATASETS = {d.slug: d for d in [
    Dataset(
        "cities", "Member cities", "The network's cities with their centre's coordinates (WGS 84, four decimals).",
        ("csv", "geojson"),
        (Field("slug", "identifier, as in /cities/<slug>/"), Field("name", "name"),
         Field("member_state", "ISO 3166-1 alpha-2 code"), Field("latitude", "decimal degrees", type="number"),
         Field("longitude", "decimal degrees", type="number"),
         Field("population", "inhabitants, where known", type="integer"),
         Field("kind", "commercial, administrative or tourism, where given"),
         Field("joined_year", "year the city joined (2018: the 26 pilots)", type="year"),
         Field("status", "active or inactive"),
         Field("website", "the city's website")),
        _cities, lambda: _history_changed(City), lambda: City.objects.count(),
        point=lambda row: (float(row[4]), float(row[3])),
    ),
    Dataset(
        "member-states", "Member states", "The ten ASEAN member states and their number of member cities.", ("csv",),
        (Field("code", "ISO 3166-1 alpha-2"), Field("iso3", "ISO 3166-1 alpha-3"), Field("short_name", "short name"),
         Field("name", "official name", 40), Field("cities", "member cities", type="integer")),
        _member_states, lambda: _changed(_history_changed(MemberState), _history_changed(City)),
        lambda: MemberState.objects.count(),
    ),
    Dataset(
        "partners", "Partners", "ASEAN's external partners and others who support the cities, with their interests.",
        ("csv",),
        (Field("slug", "identifier, as in /partners/<slug>/"), Field("name", "name", 30),
         Field("kind", "dialogue, sectoral_dialogue, development, private_sector, multilateral_bank, ..."),
         Field("organisation_type", "IATI OrganisationType code"), Field("country", "ISO 3166-1 alpha-2"),
         Field("website", "website"), Field("focus_areas", "framework focus areas of interest (slugs, ;)", type="list"),
         Field("member_states", "member states of interest (codes, ;)", type="list"),
         Field("support_types", "support offered (;)", type="list"),
         Field("stages", "project stages they come in at (;)", type="list")),
        _partners, lambda: _history_changed(Partner), lambda: Partner.objects.filter(is_active=True).count(),
    ),
    Dataset(
        "projects", "Published priority projects",
        "The priority projects of approved action plans open to partners, at their city's point.",
        ("csv", "xlsx", "geojson"),
        (Field("id", "identifier, as in /projects/<id>/", type="integer"), Field("title", "title", 40),
         Field("summary", "summary", 50),
         Field("city", "city slug"), Field("member_state", "ISO 3166-1 alpha-2"),
         Field("focus_areas", "framework focus areas (slugs, ;)", type="list"),
         Field("stage", "pipeline, feasibility, ..."),
         Field("estimated_cost_usd", "estimated cost, US dollars", type="number"),
         Field("funding_secured_usd", "funding secured", type="number"),
         Field("support_sought", "support sought (;)", type="list"), Field("starts_on", "planned start", type="date"),
         Field("ends_on", "planned end", type="date"), Field("latitude", "the city's latitude", type="number"),
         Field("longitude", "the city's longitude", type="number"), Field("url", "the project's page")),
        _projects, _projects_changed, lambda: projects_published().count(),
        point=lambda row: (float(row[13]), float(row[12])),
    ),
    Dataset(
        "partnerships", "Finalised project partnerships", "Partnerships finalised between partners and projects, "
        "as reported to the ASEAN Summit (amounts are not published).", ("csv",),
        (Field("finalised_on", "day finalised", type="date"), Field("member_state", "ISO 3166-1 alpha-2"),
         Field("city", "city slug"),
         Field("project_id", "project id", type="integer"), Field("project", "project title", 40),
         Field("partner", "partner slug"),
         Field("partner_name", "partner name", 30), Field("support_type", "support"), Field("stage", "stage now")),
        _partnerships,
        lambda: _changed(_history_changed(ProjectPartnership), _history_changed(PriorityProject)),
        lambda: ProjectPartnership.objects.filter(finalised_on__isnull=False).count(),
    ),
]}  # fmt: skip
