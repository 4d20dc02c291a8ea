"""The one reading of numbers: what it takes and what it refuses, with a sentence for each."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ascn_portal.numbers import to_decimal, to_integer

HOSTILE = [[1], {"a": 1}, True, False, None, b"1", float("inf"), float("-inf"), float("nan"), Decimal("NaN"),
           Decimal("Infinity"), Decimal("1E+999999"), "inf", "-inf", "nan", "Infinity", "1e999", "1E3", 10**30,
           "9" * 5000, "١٢٣", "1_000", "0x1F", "1,50,000", "1,500 000", "--1", "", "  "]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v)[:20] for v in HOSTILE])
def test_hostile_values_are_refused_with_a_sentence(value):
    for parse in (to_decimal, to_integer):
        with pytest.raises(ValidationError) as refused:
            parse(value, grouping=True)
        assert refused.value.messages[0].endswith(".")


@pytest.mark.parametrize(
    ("value", "grouping", "expected"),
    [
        ("1500000.50", False, Decimal("1500000.50")),
        (" 42 ", False, Decimal(42)),
        ("1,500,000.50", True, Decimal("1500000.50")),
        ("1 500 000", True, Decimal(1500000)),
        ("5.000", False, Decimal("5.00")),
        (12.5, False, Decimal("12.5")),
        (400000.0, False, Decimal("400000.0")),
        (7, False, Decimal(7)),
    ],
)
def test_numbers_as_people_and_programs_write_them(value, grouping, expected):
    assert to_decimal(value, grouping=grouping) == expected


def test_grouping_only_where_the_field_allows_it_and_bounds_are_kept():
    with pytest.raises(ValidationError):
        to_decimal("1,500", grouping=False)
    with pytest.raises(ValidationError, match="at most 2 digits after the point"):
        to_decimal("1.005")
    with pytest.raises(ValidationError, match="at most 14 digits before the point"):
        to_decimal("123456789012345")
    with pytest.raises(ValidationError, match="at least 0"):
        to_decimal("-1", min_value=0)
    assert to_integer(3.0) == 3 and to_integer("1,000", grouping=True) == 1000
    with pytest.raises(ValidationError, match="whole number"):
        to_integer(3.5)
    with pytest.raises(ValidationError, match="too large"):
        to_integer(2**63)
    with pytest.raises(ValidationError, match="at most 100"):
        to_integer("101", max_value=100)


# The admin's imports read their number cells with it too --------------------------------------------

CITY_HEADER = ["slug", "name", "member_state", "latitude", "longitude", "population", "kind", "joined_year", "status",
               "website", "summary"]  # fmt: skip
HOSTILE_CELLS = ["inf", "-inf", "nan", "1e999", "[1]", True, 10**30, "9" * 500, "1_000"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE_CELLS, ids=[repr(v)[:20] for v in HOSTILE_CELLS])
def test_an_admin_import_refuses_hostile_number_cells_naming_the_column(client, secretariat, value):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ascn_portal.spreadsheets.models import ImportJob
    from cities.models import City

    client.force_login(secretariat)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(CITY_HEADER)
    for number, column in enumerate(["latitude", "population", "joined_year"]):
        row = [f"new-town-{number}", f"New Town {number}", "TH", 16.44, 102.83, 1000, "", 2024, "active", "", ""]
        row[CITY_HEADER.index(column)] = value
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = client.post("/admin/cities/city/import/", {"file": SimpleUploadedFile("cities.xlsx", out.getvalue())})
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.state == "invalid" and job.totals["errors"] == 3
    errors = {row["number"]: " ".join(row["errors"]) for row in job.preview}
    for number, column in enumerate(["latitude", "population", "joined_year"], start=1):
        assert column in errors[number] and "class" not in errors[number], errors[number]
    assert not City.objects.filter(slug__startswith="new-town-").exists()
