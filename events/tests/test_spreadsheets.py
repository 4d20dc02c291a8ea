"""Registrations and attendance as spreadsheets: the delegates' list of an event out (registrations,
badges, delegations by member state) and in (seats while they last, attendance), checked first."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascn_portal.spreadsheets.models import ImportJob
from events import services
from events.models import Registration
from events.tests.factories import event

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def workshop(csco_bangkok, nr_thailand, partner_contact):
    workshop = event(capacity=2, slug="delegates-workshop", name="Delegates workshop")
    services.registration_self(event=workshop, by=csco_bangkok)
    services.registration_self(event=workshop, by=nr_thailand)
    services.registration_self(event=workshop, by=partner_contact)  # the waitlist: two seats
    return workshop


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_events_delegates_come_as_registrations_badges_and_delegations(staff, workshop, secretariat):
    bangkok = Registration.objects.get(event=workshop, person__email="csco@bangkok.example")
    services.registration_check_in(registration=bangkok, by=secretariat)
    book = openpyxl.load_workbook(
        io.BytesIO(_bytes(staff.get(f"/admin/events/event/{workshop.pk}/registrations/xlsx/")))
    )
    assert book.sheetnames == ["Registrations", "Badges", "Delegations"]
    registrations = list(book["Registrations"].values)
    assert registrations[0][:3] == ("event", "email", "full_name")
    by_email = {row[1]: row for row in registrations[1:]}
    assert by_email["csco@bangkok.example"][-1] == "yes" and by_email["nr.th@example.org"][-1] == "no"
    assert by_email["contact@japan.example"][-2] == "waitlisted"
    badges = list(book["Badges"].values)[1:]
    assert {b[0] for b in badges} == {"Busaba Officer", "Niran Representative"}  # confirmed seats only
    delegations = list(book["Delegations"].values)
    assert delegations[0] == ("member state", "delegation", "confirmed", "waitlisted", "present")
    assert ("Thailand", "Bangkok", 1, 0, 1) in delegations and ("Thailand", "Thailand", 1, 0, 0) in delegations
    assert delegations[-1][:2] == ("partners and others", "Japan") and delegations[-1][3] == 1
    rows = list(csv.DictReader(io.StringIO(_bytes(staff.get(f"/admin/events/event/{workshop.pk}/registrations/csv/"))
                                           .decode("utf-8-sig"))))  # fmt: skip
    assert len(rows) == 3 and {r["event"] for r in rows} == {"delegates-workshop"}


def test_registrations_round_trip_and_an_import_seats_then_waitlists_and_marks_attendance(staff, workshop):
    exported = _bytes(staff.get("/admin/events/registration/export/csv/?event__id__exact=" + str(workshop.pk)))
    job = _check(staff, "registrations.csv", exported)
    assert job.state == "checked" and job.totals["skip"] == 3 and job.totals["rows"] == 3
    text = ("event,email,full_name,role_title,city,member_state,partner,present\n"
            "delegates-workshop,csco@bangkok.example,,Director,bangkok,TH,,yes\n"
            "delegates-workshop,guest@cebu.example,Gina Guest,Engineer,cebu-city,PH,,no\n")  # fmt: skip
    job = _check(staff, "attendance.csv", text.encode())
    assert job.state == "checked" and (job.totals["new"], job.totals["update"]) == (1, 1)
    staff.post(f"/admin/events/registration/import/{job.pk}/")
    bangkok = Registration.objects.get(event=workshop, person__email="csco@bangkok.example")
    assert bangkok.checked_in_at is not None and bangkok.role_title == "Director"
    guest = Registration.objects.get(event=workshop, person__email="guest@cebu.example")
    assert guest.status == "waitlisted" and guest.person.full_name == "Gina Guest"  # the two seats are taken


def test_attendance_for_a_waitlisted_seat_is_refused_and_nothing_is_written(staff, workshop):
    text = ("event,email,present\n"
            "delegates-workshop,contact@japan.example,yes\n"
            "delegates-workshop,nr.th@example.org,maybe\n"
            "nowhere-event,someone@example.org,no\n")  # fmt: skip
    job = _check(staff, "bad.csv", text.encode())
    assert job.state == "invalid" and job.totals["errors"] == 3
    errors = {row["number"]: " ".join(row["errors"]) for row in job.preview}
    assert "Only a confirmed registration can be checked in." in errors[1]
    assert "Write yes or no." in errors[2]
    assert "event" in errors[3]
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_only_the_secretariat_has_the_delegates_files(client, workshop, csco_bangkok):
    client.force_login(csco_bangkok)
    for url in (f"/admin/events/event/{workshop.pk}/registrations/xlsx/", "/admin/events/registration/import/"):
        assert client.get(url).status_code == 302


def _check(staff, name, data) -> ImportJob:
    response = staff.post("/admin/events/registration/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
