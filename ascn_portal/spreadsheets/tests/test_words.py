"""What an import says to the secretariat is in its words: every cell a widget cannot read names the
row, the column and the form expected; a hostile file is refused saying what it is; the import page's
required columns are the resource's own. Walked over every registered resource and every column."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export import widgets

from ascn_portal.spreadsheets.admin import SpreadsheetAdmin
from ascn_portal.spreadsheets.models import ImportJob
from ascn_portal.spreadsheets.registry import _RESOURCES
from ascn_portal.spreadsheets.resources import EmailPersonWidget

pytestmark = pytest.mark.django_db

PYTHON_WORDS = re.compile(r"<class|Decimal\(|datetime\.|Traceback|Error\b|Exception|\[<|\bNone\b|object at 0x")
BAD = "abc"


def spreadsheet_admins() -> dict[str, str]:
    """Each registered resource's import page, found by walking the admin."""
    found = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SpreadsheetAdmin) and model_admin.spreadsheet_resource is not None:
            found[model_admin.spreadsheet_resource.key] = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return found


READING = (widgets.NumberWidget, widgets.DateWidget, widgets.DateTimeWidget, widgets.TimeWidget,
           widgets.BooleanWidget, widgets.ForeignKeyWidget, widgets.ManyToManyWidget, EmailPersonWidget)  # fmt: skip


def bad_value(resource, field) -> str | None:
    """A value the column cannot take, or None where any text is one (free text)."""
    if isinstance(field.widget, READING):
        return BAD
    try:
        model_field = resource._meta.model._meta.get_field(field.attribute.split("__")[0])
    except Exception:
        return None
    base = getattr(model_field, "base_field", model_field)
    if base.choices or model_field.get_internal_type() in ("URLField", "EmailField", "SlugField"):
        return "not a code!"
    if getattr(model_field, "max_length", None):
        return "x" * (model_field.max_length + 1)
    return None


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def test_every_resource_has_an_import_page():
    assert set(spreadsheet_admins()) == set(_RESOURCES)


def test_every_column_of_every_resource_refuses_a_bad_value_naming_row_column_and_expected_form(staff):
    admins = spreadsheet_admins()
    walked = 0
    for key, resource_class in _RESOURCES.items():
        resource = resource_class()
        columns = [f.column_name for f in resource.get_import_fields()]
        for field in resource.get_import_fields():
            value = None if field.readonly else bad_value(resource, field)
            if value is None:
                continue
            cells = ["" if c != field.column_name else value for c in columns]
            text = ",".join(columns) + "\n" + ",".join(cells) + "\n"
            response = staff.post(f"{admins[key]}import/", {"file": SimpleUploadedFile("bad.csv", text.encode())})
            assert response.status_code == 302, (key, field.column_name, response.content.decode()[-1500:])
            job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
            errors = job.preview[0]["errors"]
            mine = [e for e in errors if e.startswith(f"Row 2, column {field.column_name}: ")]
            assert mine, (key, field.column_name, errors)
            if isinstance(field.widget, READING) or value == "not a code!" and "valid" not in mine[0]:
                assert any(f"“{value}”" in e and "(expected " in e for e in mine), (key, field.column_name, mine)
            for error in errors:
                assert not PYTHON_WORDS.search(error), (key, field.column_name, error)
                assert f"'{value}'" not in error, (key, field.column_name, error)  # a Python repr of the value
            page = staff.get(response["Location"]).content.decode()
            assert f"Row 2, column {field.column_name}" in page
            walked += 1
    assert walked >= 20


def test_a_latitude_that_is_not_a_number_says_so_in_words(staff):
    header = "slug,name,member_state,latitude,longitude,joined_year"
    lines = [header] + [f"town-{i},Town {i},TH,13.{i},100.5,2024" for i in range(10)] + ["town-x,X,TH,abc,100.5,2024"]
    response = staff.post(
        "/admin/cities/city/import/", {"file": SimpleUploadedFile("c.csv", "\n".join(lines).encode())}
    )
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.preview[0]["errors"] == [
        "Row 12, column latitude: “abc” is not a number (expected a decimal like 13.7563)"
    ]


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, name: str, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == name else content)
    return out.getvalue()


def billion_laughs(data: bytes) -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % ("" if n == 1 else n - 1)) * 10}">' for n in range(1, 10)
    )

    def change(xml: bytes) -> bytes:
        declaration, mark, rest = xml.partition(b"?>")
        if not mark:
            declaration, rest = b"<?xml version='1.0' encoding='UTF-8'", xml
        return declaration + b"?>" + f"<!DOCTYPE worksheet [{entities}]>".encode() + rest.replace(b"<v>", b"<v>&lol9;")

    return _rewrite(data, "xl/worksheets/sheet1.xml", change)


def zip_bomb(data: bytes) -> bytes:
    return _rewrite(data, "xl/worksheets/sheet1.xml", lambda xml: xml + b" " * (60 * 1024 * 1024))


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (billion_laughs, "it declares XML entities, which make a small file grow enormously"),
        (zip_bomb, "it is packed so that it would grow to an implausible size when opened"),
    ],
)
def test_a_hostile_workbook_is_refused_saying_in_plain_words_why(staff, make, words):
    good = _workbook([["slug", "name", "member_state", "latitude", "longitude", "joined_year"],
                      ["bangkok", "Bangkok", "TH", 13.75, 100.5, 2018]])  # fmt: skip
    response = staff.post("/admin/cities/city/import/", {"file": SimpleUploadedFile("c.xlsx", make(good))})
    page = response.content.decode()
    assert response.status_code == 200 and "The file cannot be read: " + words in page, re.findall(r"errorlist.*", page)
    assert "Save it again" in page or "save it again" in page
    assert not re.search(r"ParseError|Forbidden|amplification|DefusedXml|expat", page)
    assert not ImportJob.objects.exists()


def test_the_import_page_names_as_required_exactly_the_columns_a_file_must_have(staff):
    """A file with only the columns the page calls required is taken, and its rows' errors never
    name a column the file does not have (rows refused for a column nobody said was needed)."""
    admins = spreadsheet_admins()
    for key, url in admins.items():
        page = staff.get(f"{url}import/").content.decode()
        required = re.findall(r"<code>([a-z_]+)</code> \(required\)", page)
        assert required, key
        text = ",".join(required) + "\n" + ",".join("" for _ in required) + "\n"
        response = staff.post(f"{url}import/", {"file": SimpleUploadedFile("min.csv", text.encode())})
        assert response.status_code == 302, (key, response.content.decode()[-1500:])
        job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
        for error in job.preview[0]["errors"]:
            named = re.match(r"Row 2, column ([a-z_]+): ", error)
            assert named is None or named.group(1) in required, (key, error)
        missing_one = ",".join(required[1:]) + "\n" + ",".join("" for _ in required[1:]) + "\n"
        response = staff.post(f"{url}import/", {"file": SimpleUploadedFile("less.csv", missing_one.encode())})
        assert response.status_code == 200 and required[0] in response.content.decode(), key
