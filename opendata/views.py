"""/data/: the open datasets, streamed in constant memory, with ETag and Last-Modified so that a
client asks again cheaply (304 while nothing changed)."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import condition

from ascn_portal.exports import csv_response, streaming_response, xlsx_response
from ascn_portal.outages import REDIS
from cities.models import MemberState

from . import iati
from .catalogue import data_package, dcat_catalogue
from .datasets import DATASETS, LICENCE, iati_changed

SIZE_SECONDS = 7 * 24 * 3600


def _dataset(slug: str, file_format: str):
    dataset = DATASETS.get(slug)
    if dataset is None or file_format not in dataset.formats:
        raise Http404
    return dataset


def _stamp(request, slug, file_format):
    """(last change, rows) of the dataset asked for, read once per request for both headers."""
    if not hasattr(request, "_dataset_stamp"):
        dataset = DATASETS.get(slug)
        request._dataset_stamp = (
            (dataset.last_changed(), dataset.count()) if dataset and file_format in dataset.formats else None
        )
    return request._dataset_stamp


def _etag(request, slug, file_format):
    stamp = _stamp(request, slug, file_format)
    if stamp is None:
        return None
    return hashlib.sha256(f"{slug}.{file_format}:{stamp[0].isoformat()}:{stamp[1]}".encode()).hexdigest()[:32]


def _last_modified(request, slug, file_format):
    stamp = _stamp(request, slug, file_format)
    return stamp[0] if stamp else None


def _size(key: str, make_response) -> int:
    """A file's size in bytes, measured by writing it once and kept in the cache under its stamp (a
    change makes a new key), so the page states sizes without holding any file in memory."""

    def measure():
        response = make_response()
        total = sum(len(c) for c in (response.streaming_content if response.streaming else [response.content]))
        if getattr(response, "file_to_stream", None) is not None:  # an XLSX's temporary file
            response.file_to_stream.close()  # not response.close(): that ends the request
        return total

    key = f"opendata:size:{key}"
    size = REDIS.call(cache.get, key)
    if size is None:  # not measured yet for this stamp, or Redis away: measured for this page
        size = measure()
        REDIS.call(cache.set, key, size, timeout=SIZE_SECONDS)
    return size


def _tables():
    """(dataset, last change, rows, [(format, bytes)]) for each dataset of the registry."""
    rows = []
    for dataset in DATASETS.values():
        changed, count = dataset.last_changed(), dataset.count()
        stamp = f"{dataset.slug}:{changed.isoformat()}:{count}"
        files = [(f, _size(f"{stamp}.{f}", partial(_file, dataset, f))) for f in dataset.formats]
        rows.append((dataset, changed, count, files))
    return rows


def index(request):
    rows = _tables()
    changed = iati_changed()
    projects = iati.activities_queryset()
    states = MemberState.objects.filter(code__in=projects.values("plan__city__member_state__code")).order_by(
        "short_name"
    )
    iati_size = _size(f"iati:{changed.isoformat()}", partial(iati_activities_response, projects)) if states else None
    context = {"rows": rows, "licence": LICENCE, "iati_changed": changed, "iati_states": states,
               "iati_size": iati_size}  # fmt: skip
    return render(request, "opendata/index.html", context)


def _package():
    """/data/ described for harvesters (a Frictionless Data Package), from the same registry as the page."""
    base, changed = settings.SITE_URL, iati_changed()
    projects = iati.activities_queryset()
    published = projects.exists()
    organisation = f"{base}/data/iati/organisation.xml"
    iati_files = [("iati-organisation", "The network as an IATI organisation", organisation, changed, None)]
    if published:
        size = _size(f"iati:{changed.isoformat()}", partial(iati_activities_response, projects))
        activities = f"{base}/data/iati/activities.xml"
        iati_files.append(("iati-activities", "Published projects as IATI 2.03 activities", activities, changed, size))
    tables = [(dataset, changed, files) for dataset, changed, _count, files in _tables()]
    return data_package(base, tables, iati_files), tables


def datapackage(request):
    response = JsonResponse(_package()[0], json_dumps_params={"indent": 1})
    response["Link"] = f'<{LICENCE[1]}>; rel="license"'
    return response


def dcat(request):
    """The same as a DCAT-AP catalogue (JSON-LD)."""
    package, tables = _package()
    catalogue = dcat_catalogue(settings.SITE_URL, package, tables)
    response = JsonResponse(catalogue, content_type="application/ld+json", json_dumps_params={"indent": 1})
    response["Link"] = f'<{LICENCE[1]}>; rel="license"'
    return response


def _file(dataset, file_format):
    name = f"ascn-{dataset.slug}.{file_format}"
    if file_format == "csv":
        response = csv_response(name, dataset.columns, dataset.rows())
    elif file_format == "xlsx":
        response = xlsx_response(name, [(dataset.title, dataset.columns, dataset.rows())])
    else:
        response = streaming_response(_geojson(dataset), filename=name, content_type="application/geo+json")
    response["Link"] = f'<{LICENCE[1]}>; rel="license"'
    return response


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download(request, slug, file_format):
    return _file(_dataset(slug, file_format), file_format)


def _json(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value))


def _geojson(dataset):
    """A FeatureCollection written one feature at a time."""
    names = [f.name for f in dataset.fields]
    yield '{"type":"FeatureCollection","features":['
    first = True
    for row in dataset.rows():
        point = dataset.point(row)
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
                   "properties": dict(zip(names, row, strict=True))}  # fmt: skip
        yield ("" if first else ",") + json.dumps(feature, default=_json, ensure_ascii=False)
        first = False
    yield "]}"


def _iati_stamp(request, code=None):
    if not hasattr(request, "_iati_stamp"):
        request._iati_stamp = iati_changed()
    return request._iati_stamp


def _iati_etag(request, code=None):
    # The activities held: they change when a withdrawn project has been kept long enough, with no write.
    held = ""
    if code is None or (code != "organisation" and code.isascii() and code.isalpha()):
        held = iati.activities_count(code)
    return hashlib.sha256(f"iati.{code}:{_iati_stamp(request).isoformat()}:{held}".encode()).hexdigest()[:32]


@condition(etag_func=_iati_etag, last_modified_func=_iati_stamp)
def iati_activities(request, code=None):
    """The published projects as IATI 2.03 activities: the network's, or one member state's (404 for a
    code that is not a member state, or where nothing is published, as the schema wants one activity)."""
    if code is not None and not MemberState.objects.filter(code=code).exists():
        raise Http404
    projects = iati.activities_queryset(code)
    if not projects.exists():
        raise Http404("No project is published there yet.")
    return iati_activities_response(projects, code)


def iati_activities_response(projects, code=None):
    response = streaming_response(
        iati.activities_file(projects, settings.SITE_URL),
        content_type=iati.XML_TYPE,
        filename=f"ascn-activities{'-' + code if code else ''}.xml",
        disposition="inline",
    )
    response["Link"] = f'<{LICENCE[1]}>; rel="license"'
    return response


@condition(etag_func=lambda request: _iati_etag(request, "organisation"), last_modified_func=_iati_stamp)
def iati_organisation(request):
    years = range(2018, timezone.localdate().year)
    body = iati.organisation_file(settings.SITE_URL, years, iati.yearly_budgets(), _iati_stamp(request))
    response = HttpResponse(body, content_type=iati.XML_TYPE)
    response["Link"] = f'<{LICENCE[1]}>; rel="license"'
    return response
