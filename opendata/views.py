"""/data/: the open datasets, streamed in constant memory, with ETag and Last-Modified so that a
client asks again cheaply (304 while nothing changed)."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition

from ascn_portal.exports import csv_response, xlsx_response

from .datasets import DATASETS, LICENCE


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


def index(request):
    rows = [(d, d.last_changed(), d.count()) for d in DATASETS.values()]
    return render(request, "opendata/index.html", {"rows": rows, "licence": LICENCE})


@condition(etag_func=_etag, last_modified_func=_last_modified)
def download(request, slug, file_format):
    dataset = _dataset(slug, file_format)
    name = f"ascn-{slug}.{file_format}"
    if file_format == "csv":
        response = csv_response(name, dataset.columns, dataset.rows())
    elif file_format == "xlsx":
        response = xlsx_response(name, [(dataset.title, dataset.columns, dataset.rows())])
    else:
        response = StreamingHttpResponse(_geojson(dataset), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Link"] = f'<{LICENCE[1]}>; rel="license"'
    return response


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
