"""/data/datapackage.json: a harvester finds every file of the registry there, with what each file
really is (address, media type, size, last change, licence, fields), and finds the catalogue from /data/."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from email.utils import parsedate_to_datetime

import openpyxl
import pytest
from django.conf import settings

from action_plans.choices import PlanState
from action_plans.tests.factories import draft_plan, project
from cities.models import FocusArea
from opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[a-z0-9._-]+$")
TYPES = {"string", "number", "integer", "date", "year", "list", "array"}
PARSE = {
    "number": Decimal, "integer": int, "year": int, "date": datetime.date.fromisoformat,
    "list": lambda v: v.split(";"), "string": str,
}  # fmt: skip


@pytest.fixture
def published(db):
    plan = draft_plan(state=PlanState.APPROVED)
    flood = project(plan, title="Flood early warning", summary="Sensors along the canals")
    flood.focus_areas.set(FocusArea.objects.all()[:2])  # a list in a cell
    return flood


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _header_and_rows(file_format: str, body: bytes) -> tuple[list[str], list[dict]]:
    if file_format == "csv":
        reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
        return list(reader.fieldnames), list(reader)
    if file_format == "xlsx":
        rows = list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
        return list(rows[0]), []
    features = json.loads(body)["features"]
    return (list(features[0]["properties"]) if features else []), []


def test_data_links_to_its_catalogue_for_people_and_harvesters(client):
    page = client.get("/data/").content.decode()
    assert '<link rel="alternate" type="application/json" href="/data/datapackage.json"' in page
    assert '<link rel="alternate" type="application/ld+json" href="/data/catalog.jsonld"' in page
    catalogue = page[page.index('data-testid="catalogue"') :]
    assert '<a href="/data/datapackage.json">machine-readable catalogue</a>' in catalogue[:700]
    assert '<a href="/data/catalog.jsonld">DCAT</a>' in catalogue[:700]


def test_the_catalogue_describes_every_file_of_the_registry_as_it_is(client, published):
    response = client.get("/data/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert NAME.match(package["name"]) and package["homepage"] == f"{settings.SITE_URL}/data/"
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                                    "title": "Creative Commons Attribution 4.0 International"}]  # fmt: skip
    resources = {r["name"]: r for r in package["resources"]}
    assert len(resources) == len(package["resources"])  # names are unique
    described = set()
    for dataset in DATASETS.values():
        for file_format in dataset.formats:
            resource = resources[f"{dataset.slug}-{file_format}"]
            described.add(resource["name"])
            assert NAME.match(resource["name"]) and resource["licenses"] == package["licenses"]
            assert resource["path"] == f"{settings.SITE_URL}/data/{dataset.slug}.{file_format}"
            answer = client.get(resource["path"].removeprefix(settings.SITE_URL))
            body = _body(answer)
            assert answer.status_code == 200
            assert answer["Content-Type"].split(";")[0] == resource["mediatype"], resource["name"]
            assert resource["bytes"] == len(body), resource["name"]
            modified = datetime.datetime.fromisoformat(resource["modified"])
            assert modified.replace(microsecond=0) == parsedate_to_datetime(answer["Last-Modified"])
            fields = resource["schema"]["fields"]
            assert [f["name"] for f in fields] == [f.name for f in dataset.fields]
            assert all(f["type"] in TYPES and f["description"] for f in fields)
            header, rows = _header_and_rows(file_format, body)
            assert header in ([f["name"] for f in fields], []), resource["name"]  # what the file holds
            for row in rows:  # each value reads as its declared type
                for field in fields:
                    if row[field["name"]]:
                        PARSE[field["type"]](row[field["name"]].lstrip("'"))
            if file_format in ("csv", "xlsx"):
                assert resource["type"] == "table" and resource["dialect"]["header"] is True
    assert {"iati-activities", "iati-organisation"} <= set(resources)
    for name in ("iati-activities", "iati-organisation"):
        resource = resources[name]
        answer = client.get(resource["path"].removeprefix(settings.SITE_URL))
        assert answer.status_code == 200 and answer["Content-Type"].startswith(resource["mediatype"])
        if "bytes" in resource:
            assert resource["bytes"] == len(_body(answer))
    assert set(resources) - described == {"iati-activities", "iati-organisation"}


def test_the_dcat_catalogue_gives_each_dataset_of_the_registry_with_its_files(client, published):
    package = client.get("/data/datapackage.json").json()
    resources = {r["path"]: r for r in package["resources"]}
    response = client.get("/data/catalog.jsonld")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog" and catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    datasets = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    for dataset in [*DATASETS.values(), None]:
        described = datasets[dataset.slug if dataset else "iati"]
        assert described["@type"] == "dcat:Dataset" and described["dct:title"] and described["dct:publisher"]
        distributions = described["dcat:distribution"]
        if dataset:
            urls = [f"{settings.SITE_URL}/data/{dataset.slug}.{f}" for f in dataset.formats]
            assert [d["dcat:downloadURL"]["@id"] for d in distributions] == urls
        for distribution in distributions:
            resource = resources[distribution["dcat:downloadURL"]["@id"]]  # both catalogues say the same
            assert (
                distribution["@type"] == "dcat:Distribution" and distribution["dct:license"] == catalogue["dct:license"]
            )
            assert (
                distribution["dcat:mediaType"]["@id"]
                == "https://www.iana.org/assignments/media-types/" + (resource["mediatype"])
            )
            assert distribution["dct:modified"] == {"@value": resource["modified"], "@type": "xsd:dateTime"}
            if "bytes" in resource:
                assert distribution["dcat:byteSize"]["@value"] == str(resource["bytes"])
    assert set(datasets) == {*DATASETS, "iati"}
