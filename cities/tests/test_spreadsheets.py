"""Spreadsheets in and out of the admin: an export is the list's filtered rows, opened as a spreadsheet
opens it; an import is checked row by row and writes nothing until confirmed, all rows or none; a
round trip changes nothing; a large file is checked and written in the background with its progress."""

import csv
import io
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascn_portal.accounts.models import User
from ascn_portal.spreadsheets.models import ImportJob
from cities.choices import AppointmentRole
from cities.models import Appointment, City

pytestmark = pytest.mark.django_db

HEADER = "slug,name,member_state,latitude,longitude,population,kind,joined_year,status,website,summary"


def _read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def _upload(client, url, name, text_or_bytes):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _job(response) -> ImportJob:
    assert response.status_code == 302, getattr(response, "context", None) and response.context.get("form").errors
    return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def test_an_export_holds_the_lists_filtered_rows_as_csv_and_xlsx(staff):
    rows = _read_csv(staff.get("/admin/cities/city/export/csv/?member_state__id__exact=" + _th()))
    assert {r["slug"] for r in rows} == set(City.objects.filter(member_state__code="TH").values_list("slug", flat=True))
    assert rows[0].keys() == set(HEADER.split(",")) or list(rows[0]) == HEADER.split(",")
    response = staff.get("/admin/cities/city/export/xlsx/?q=bangkok")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0] == tuple(HEADER.split(","))
    assert [v[0] for v in values[1:]] == ["bangkok"]
    assert isinstance(values[1][3], float | int)  # coordinates stay numbers


def _th():
    from cities.models import MemberState

    return str(MemberState.objects.get(code="TH").pk)


def test_a_round_trip_export_import_changes_nothing_even_with_formula_like_text(staff, secretariat):
    City.objects.filter(slug="bangkok").update(summary='=HYPERLINK("http://evil.example")', website="")
    exported = b"".join(staff.get("/admin/cities/city/export/csv/").streaming_content)
    assert b"'=HYPERLINK" in exported  # a spreadsheet shows it as text
    history = City.history.count()
    job = _job(_upload(staff, "/admin/cities/city/import/", "cities.csv", exported))
    assert job.state == "checked"
    assert job.totals == {
        "new": 0,
        "update": 0,
        "skip": City.objects.count(),
        "errors": 0,
        "rows": City.objects.count(),
    }
    staff.post(f"/admin/cities/city/import/{job.pk}/")
    job.refresh_from_db()
    assert job.state == "done"
    assert City.history.count() == history
    assert City.objects.get(slug="bangkok").summary == '=HYPERLINK("http://evil.example")'


def test_a_good_file_is_previewed_then_written_with_who_and_from_where(staff, secretariat):
    text = (HEADER + "\n"
            "bangkok,Bangkok Metropolis,TH,13.7563,100.5018,,,2018,active,,\n"
            "new-town,New Town,TH,16.4419,102.8360,,,2024,active,,Smart mobility\n")  # fmt: skip
    job = _job(_upload(staff, "/admin/cities/city/import/", "two.csv", text))
    page = staff.get(f"/admin/cities/city/import/{job.pk}/").content.decode()
    assert "1 new, 1 to update, 0 unchanged" in page and "Import these rows" in page
    assert not City.objects.filter(slug="new-town").exists()  # nothing before confirming
    assert City.objects.get(slug="bangkok").name == "Bangkok"
    staff.post(f"/admin/cities/city/import/{job.pk}/")
    bangkok = City.objects.get(slug="bangkok")
    assert bangkok.name == "Bangkok Metropolis"
    record = bangkok.history.first()
    assert (record.history_user, record.history_change_reason) == (secretariat, "Imported from two.csv")
    assert City.objects.get(slug="new-town").summary == "Smart mobility"
    assert staff.post(f"/admin/cities/city/import/{job.pk}/", follow=True).status_code == 200  # twice: refused
    assert City.objects.filter(slug="new-town").count() == 1
    imports = staff.get("/admin/spreadsheets/importjob/").content.decode()
    assert "two.csv" in imports and "1 / 1 / 0 / 0" in imports


def test_a_file_with_bad_rows_shows_each_rows_errors_and_writes_nothing(staff):
    text = (HEADER + "\n"
            "new-town,New Town,TH,16.4419,102.8360,,,2024,active,,\n"
            "nowhere,Nowhere,ZZ,10,100,,,2024,active,,\n"
            "offmap,Off Map,TH,123.5,100,,,2024,active,,\n"
            "nameless,,TH,10,100,,,2024,active,,\n"
            "badkind,Bad Kind,TH,10,100,,castle,2024,active,,\n")  # fmt: skip
    job = _job(_upload(staff, "/admin/cities/city/import/", "bad.csv", text))
    assert job.state == "invalid" and job.totals["errors"] == 4
    by_row = {row["number"]: row["errors"] for row in job.preview}
    assert by_row[1] == []
    assert any("ZZ" in e or "does not exist" in e for e in by_row[2])
    assert any("latitude" in e for e in by_row[3])
    assert any("name" in e for e in by_row[4])
    assert any("castle" in e for e in by_row[5])
    page = staff.get(f"/admin/cities/city/import/{job.pk}/").content.decode()
    assert "Nothing was written" in page and "Import these rows" not in page
    staff.post(f"/admin/cities/city/import/{job.pk}/")
    assert not City.objects.filter(slug__in=["new-town", "nowhere", "offmap", "nameless", "badkind"]).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cities.csv", "slug,name\nx,y\n", "lacks the columns member_state, latitude, longitude, joined_year"),
        ("cities.txt", HEADER + "\n", "Send a .csv or .xlsx file."),
        ("cities.csv", HEADER + "\n", "has a header but no rows"),
        ("cities.csv", b"\xff\xfe" + "slug".encode("utf-16-le"), "CSV UTF-8"),
        ("cities.xlsx", b"PK\x03\x04 not really a workbook", "could not be read as an Excel workbook (.xlsx)"),
    ],
)
def test_an_unusable_file_is_refused_whole_with_its_reason(staff, name, content, message):
    response = _upload(staff, "/admin/cities/city/import/", name, content)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_people_with_offices_round_trip_and_an_overlap_names_the_holder(staff, csco_bangkok):
    exported = b"".join(staff.get("/admin/cities/appointment/export/csv/").streaming_content).decode("utf-8")
    assert "csco@bangkok.example" in exported
    job = _job(_upload(staff, "/admin/cities/appointment/import/", "people.csv", exported))
    assert job.state == "checked" and job.totals["skip"] == job.totals["rows"]
    text = ("email,full_name,role,member_state,city,title,starts_on,ends_on\n"
            "new.csco@bangkok.example,Nara New,csco,,bangkok,,2026-01-01,\n"
            "team.new@bangkok.example,Tida Team,city_team,,bangkok,Analyst,2026-01-01,\n")  # fmt: skip
    job = _job(_upload(staff, "/admin/cities/appointment/import/", "new.csv", text))
    assert job.state == "invalid"
    errors = {row["number"]: row["errors"] for row in job.preview}
    assert any("Bangkok already has a Chief Smart City Officer for that term: Busaba Officer" in e for e in errors[1])
    assert errors[2] == []
    assert not User.objects.filter(email__in=["new.csco@bangkok.example", "team.new@bangkok.example"]).exists()
    good = text.splitlines()[0] + "\n" + text.splitlines()[2] + "\n"
    job = _job(_upload(staff, "/admin/cities/appointment/import/", "team.csv", good))
    staff.post(f"/admin/cities/appointment/import/{job.pk}/")
    term = Appointment.objects.get(user__email="team.new@bangkok.example")
    assert (term.role, term.city.slug, term.title, term.user.full_name) == (AppointmentRole.CITY_TEAM, "bangkok",
                                                                            "Analyst", "Tida Team")  # fmt: skip
    assert not term.user.has_usable_password()


def test_only_the_secretariat_imports_and_exports(client, csco_bangkok, partner_contact):
    for person in (csco_bangkok, partner_contact):
        client.force_login(person)
        for url in ("/admin/cities/city/export/csv/", "/admin/cities/city/import/"):
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        response = _upload(client, "/admin/cities/city/import/", "x.csv", HEADER + "\nx,X,TH,1,100,,,2024,active,,\n")
        assert response.status_code == 302
    assert not ImportJob.objects.exists() and not City.objects.filter(slug="x").exists()


@pytest.mark.worker
def test_five_thousand_rows_are_checked_and_written_in_the_background_with_progress(
    client, secretariat, celery_worker_thread, transactional_db
):
    client.force_login(secretariat)
    lines = [HEADER] + [f"town-{i:04d},Town {i:04d},TH,15.{i % 9999:04d},101.{i % 9999:04d},,,2025,active,,"
                        for i in range(5000)]  # fmt: skip
    started = time.monotonic()
    job = _job(_upload(client, "/admin/cities/city/import/", "towns.csv", "\n".join(lines) + "\n"))
    assert job.state == "checking"
    seen = _wait(client, job, "checked")
    client.post(f"/admin/cities/city/import/{job.pk}/")
    seen |= _wait(client, job, "done")
    elapsed = time.monotonic() - started
    assert City.objects.filter(slug__startswith="town-").count() == 5000
    assert elapsed < 60, elapsed
    assert any(0 < n < 5000 for n in seen), seen  # the page showed the rows as they went
    print(f"\n5,000 rows checked and written in {elapsed:.1f} s")


def _wait(client, job, state, limit=60) -> set[int]:
    import re

    seen = set()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        page = client.get(f"/admin/cities/city/import/{job.pk}/").content.decode()
        found = re.search(r'<progress id="import-progress-bar" max="\d+" value="(\d+)"', page)
        if found:
            seen.add(int(found.group(1)))
        job.refresh_from_db()
        if job.state == state:
            return seen
        assert job.state not in ("failed", "invalid"), (job.state, job.error, job.preview[:3])
        time.sleep(0.5)
    raise AssertionError(f"still {job.state} after {limit} s")
