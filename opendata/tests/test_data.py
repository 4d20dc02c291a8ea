"""Every open dataset parses as its format says (csv, openpyxl, json), matches the API's figures,
answers 304 when nothing changed, and holds nothing personal."""

import csv
import io
import json

import openpyxl
import pytest
from rest_framework.test import APIClient

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from ascn_portal.accounts.models import User
from opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(csco_bangkok, partner_contact, nr_thailand, secretariat):
    plan = draft_plan(state=PlanState.APPROVED)
    flood = project(plan, title="=Flood early warning", summary="Sensors along the canals")
    project(plan, title="Hidden idea", open_to_partners=False)
    return flood


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_page_lists_every_dataset_with_its_licence_formats_and_fields(client, published):
    page = client.get("/data/").content.decode()
    assert "CC BY 4.0" in page and "creativecommons.org/licenses/by/4.0" in page
    for dataset in DATASETS.values():
        assert f'data-testid="dataset-{dataset.slug}"' in page
        for file_format in dataset.formats:
            assert f"/data/{dataset.slug}.{file_format}" in page
    assert "calendar.ics" in page


def test_each_dataset_parses_and_matches_the_api(client, published):
    api = APIClient()
    cities = list(csv.DictReader(io.StringIO(_body(client.get("/data/cities.csv")).decode("utf-8-sig"))))
    assert len(cities) == api.get("/api/v1/cities/", {"page_size": 500}).json()["count"]
    bangkok = next(c for c in cities if c["slug"] == "bangkok")
    assert (bangkok["member_state"], bangkok["latitude"]) == ("TH", "13.7563")
    geo = json.loads(_body(client.get("/data/cities.geojson")))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(cities)
    point = next(f for f in geo["features"] if f["properties"]["slug"] == "bangkok")["geometry"]
    assert point == {"type": "Point", "coordinates": [100.5018, 13.7563]}  # longitude first
    projects = list(csv.DictReader(io.StringIO(_body(client.get("/data/projects.csv")).decode("utf-8-sig"))))
    assert len(projects) == api.get("/api/v1/projects/").json()["count"] == 1  # the hidden one is not published
    assert projects[0]["title"] == "'=Flood early warning"  # a spreadsheet shows it as text
    book = openpyxl.load_workbook(io.BytesIO(_body(client.get("/data/projects.xlsx"))))
    assert book.active["B2"].value == "=Flood early warning" and book.active["B2"].data_type == "s"
    features = json.loads(_body(client.get("/data/projects.geojson")))["features"]
    assert features[0]["properties"]["city"] == "bangkok" and features[0]["geometry"]["coordinates"][0] == 100.5018
    partners = list(csv.DictReader(io.StringIO(_body(client.get("/data/partners.csv")).decode("utf-8-sig"))))
    assert len(partners) == api.get("/api/v1/partners/", {"page_size": 100}).json()["count"]
    states = list(csv.DictReader(io.StringIO(_body(client.get("/data/member-states.csv")).decode("utf-8-sig"))))
    assert {s["code"]: int(s["cities"]) for s in states}["TH"] == sum(1 for c in cities if c["member_state"] == "TH")
    assert client.get("/data/projects.pdf").status_code == 404
    assert client.get("/data/people.csv").status_code == 404


def test_no_dataset_holds_anything_personal(client, published):
    people = User.objects.all()
    assert people.count() >= 4
    for dataset in DATASETS.values():
        for file_format in dataset.formats:
            body = _body(client.get(f"/data/{dataset.slug}.{file_format}"))
            if file_format == "xlsx":
                book = openpyxl.load_workbook(io.BytesIO(body))
                body = "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row).encode()
            text = body.decode("utf-8-sig")
            assert "@" not in text, (dataset.slug, file_format)
            for person in people:
                assert person.full_name not in text, (dataset.slug, file_format, person.full_name)
                if person.phone:
                    assert person.phone not in text


def test_files_answer_304_while_nothing_changed_and_change_when_data_does(client, published):
    first = client.get("/data/projects.csv")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/data/projects.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/data/projects.csv", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert 'rel="license"' in first["Link"]
    project(published.plan, title="Smart street lighting")
    again = client.get("/data/projects.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_a_large_dataset_streams(client, published):
    response = client.get("/data/cities.csv")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/data/cities.geojson").streaming


def test_the_page_gives_each_files_size_and_the_iati_files(client, published):
    from django.template.defaultfilters import filesizeformat

    page = client.get("/data/").content.decode()
    for dataset in DATASETS.values():
        for file_format in dataset.formats:
            size = len(_body(client.get(f"/data/{dataset.slug}.{file_format}")))
            assert f'data-testid="size-{dataset.slug}-{file_format}">({filesizeformat(size)})' in page
    assert "/data/iati/activities.xml" in page and "/data/iati/activities-TH.xml" in page
    assert "/data/iati/activities-VN.xml" not in page  # nothing published there
    assert "/data/iati/organisation.xml" in page
    before = client.get("/data/").content.decode()
    project(published.plan, title="Smart street lighting " * 8)
    after = client.get("/data/").content.decode()
    assert before != after  # the sizes of the project files were measured again
