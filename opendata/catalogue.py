"""/data/ described for harvesters: a Frictionless Data Package (v2), written from the same registry of
datasets as the page and the files, so a dataset or a field added there is described here too.

Each file is a resource: its address, format and media type, licence, last change (`modified`, as DCAT
names it), its size in bytes where it has been measured, and for the tables their fields (Table Schema).
"""

from __future__ import annotations

import datetime

from ascn_portal.exports import XLSX_TYPE

from .datasets import LICENCE

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MEDIA_TYPES = {"csv": "text/csv", "xlsx": XLSX_TYPE, "geojson": "application/geo+json", "xml": "application/xml"}
LICENCES = [{"name": "CC-BY-4.0", "path": LICENCE[1], "title": "Creative Commons Attribution 4.0 International"}]
LIST_DELIMITER = ";"  # lists in a CSV or XLSX cell: focus areas, member states, support sought


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def _field(field, file_format: str) -> dict:
    described = {"name": field.name, "description": field.description}
    if field.type != "list":
        return described | {"type": field.type}
    if file_format == "geojson":
        return described | {"type": "array"}
    return described | {"type": "list", "delimiter": LIST_DELIMITER, "itemType": "string"}


def _table(dataset, file_format: str, url: str, changed, size) -> dict:
    resource = {
        "name": f"{dataset.slug}-{file_format}",
        "path": url,
        "title": f"{dataset.title} ({file_format.upper()})",
        "description": dataset.description,
        "format": file_format,
        "mediatype": MEDIA_TYPES[file_format],
        "licenses": LICENCES,
        "modified": _iso(changed),
        "schema": {"fields": [_field(f, file_format) for f in dataset.fields]},
    }
    if file_format in ("csv", "xlsx"):
        resource["type"] = "table"
        resource["dialect"] = {"header": True, **({"delimiter": ","} if file_format == "csv" else {"sheetNumber": 1})}
    if file_format != "xlsx":
        resource["encoding"] = "utf-8"
    if size is not None:
        resource["bytes"] = size
    return resource


def data_package(base_url: str, tables, iati_files) -> dict:
    """The package: `tables` are (dataset, changed, [(format, bytes or None)]) as the page lists them,
    `iati_files` (name, title, url, changed, bytes or None)."""
    resources = [
        _table(dataset, file_format, f"{base_url}/data/{dataset.slug}.{file_format}", changed, size)
        for dataset, changed, files in tables
        for file_format, size in files
    ]
    for name, title, url, changed, size in iati_files:
        resource = {"name": name, "path": url, "title": title, "format": "xml", "mediatype": MEDIA_TYPES["xml"],
                    "encoding": "utf-8", "licenses": LICENCES, "modified": _iso(changed)}  # fmt: skip
        if size is not None:
            resource["bytes"] = size
        resources.append(resource)
    changes = [changed for _dataset, changed, _files in tables] + [i[3] for i in iati_files]
    return {
        "$schema": PROFILE,
        "name": "ascn-open-data",
        "id": f"{base_url}/data/datapackage.json",
        "title": "ASEAN Smart Cities Network: open data",
        "description": "The network's cities, member states, partners, published priority projects and finalised "
        "partnerships, and the projects as IATI 2.03 activities. No file holds a person's name, email or phone.",
        "homepage": f"{base_url}/data/",
        "licenses": LICENCES,
        "contributors": [{"title": "ASEAN Smart Cities Network", "path": f"{base_url}/", "roles": ["publisher"]}],
        "keywords": ["ASEAN", "smart cities", "urban development", "IATI"],
        "created": _iso(max(changes)),
        "resources": resources,
    }


# The same, as a DCAT-AP catalogue in JSON-LD (/data/catalog.jsonld), for portals that harvest DCAT.

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
IANA = "https://www.iana.org/assignments/media-types/"


def _typed(value, kind: str) -> dict:
    return {"@value": str(value), "@type": f"xsd:{kind}"}


def dcat_catalogue(base_url: str, package: dict, tables) -> dict:
    """Each dataset of the registry as a dcat:Dataset, each of its files a dcat:Distribution, from the
    data package's resources (so both catalogues say the same); fields are in the data package, which
    each distribution names in dct:conformsTo."""
    publisher = {"@type": "foaf:Organization", "foaf:name": "ASEAN Smart Cities Network",
                 "foaf:homepage": {"@id": f"{base_url}/"}}  # fmt: skip
    licence = {"@id": LICENCE[1]}
    resources = {r["name"]: r for r in package["resources"]}

    def distribution(resource):
        described = {
            "@id": resource["path"], "@type": "dcat:Distribution", "dct:title": resource["title"],
            "dcat:accessURL": {"@id": f"{base_url}/data/"}, "dcat:downloadURL": {"@id": resource["path"]},
            "dcat:mediaType": {"@id": IANA + resource["mediatype"]}, "dct:format": resource["format"],
            "dct:license": licence, "dct:modified": _typed(resource["modified"], "dateTime"),
            "dct:conformsTo": {"@id": f"{package['id']}#{resource['name']}"},
        }  # fmt: skip
        if "bytes" in resource:
            described["dcat:byteSize"] = _typed(resource["bytes"], "nonNegativeInteger")
        return described

    datasets = []
    for dataset, changed, files in tables:
        datasets.append({
            "@id": f"{base_url}/data/#{dataset.slug}", "@type": "dcat:Dataset", "dct:identifier": dataset.slug,
            "dct:title": dataset.title, "dct:description": dataset.description, "dct:publisher": publisher,
            "dct:license": licence, "dct:modified": _typed(_iso(changed), "dateTime"),
            "dcat:landingPage": {"@id": f"{base_url}/data/"},
            "dcat:distribution": [distribution(resources[f"{dataset.slug}-{f}"]) for f, _size in files],
        })  # fmt: skip
    iati = [r for name, r in resources.items() if name.startswith("iati-")]
    datasets.append({
        "@id": f"{base_url}/data/#iati", "@type": "dcat:Dataset", "dct:identifier": "iati",
        "dct:title": "Projects for aid systems (IATI 2.03)", "dct:publisher": publisher, "dct:license": licence,
        "dct:description": "The published projects as IATI 2.03 activities, and the network as an IATI organisation.",
        "dct:modified": _typed(max(r["modified"] for r in iati), "dateTime"),
        "dcat:landingPage": {"@id": f"{base_url}/data/"}, "dcat:distribution": [distribution(r) for r in iati],
    })  # fmt: skip
    return {
        "@context": DCAT_CONTEXT, "@id": f"{base_url}/data/catalog.jsonld", "@type": "dcat:Catalog",
        "dct:title": package["title"], "dct:description": package["description"], "dct:publisher": publisher,
        "dct:license": licence, "foaf:homepage": {"@id": f"{base_url}/data/"},
        "dct:modified": _typed(package["created"], "dateTime"), "dcat:dataset": datasets,
    }  # fmt: skip
