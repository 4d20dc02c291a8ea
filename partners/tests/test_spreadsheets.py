"""Partners and their contacts as spreadsheets: exported as filtered, imported back unchanged; a
change to a partner's interests comes in through a checked file and is recorded."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascn_portal.spreadsheets.models import ImportJob
from partners.models import Partner, PartnerContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, secretariat):
    client.force_login(secretariat)
    return client


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def _check(staff, url, name, data) -> ImportJob:
    response = staff.post(url, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ImportJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_partners_round_trip_and_their_interests_come_in_as_lists(staff, secretariat):
    japan = Partner.objects.get(slug="japan")
    japan.support_types = ["financing", "technical_assistance"]
    japan.save()
    exported = _bytes(staff.get("/admin/partners/partner/export/csv/"))
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert {r["slug"] for r in rows} == set(Partner.objects.values_list("slug", flat=True))
    assert next(r for r in rows if r["slug"] == "japan")["support_types"] == "financing;technical_assistance"
    job = _check(staff, "/admin/partners/partner/import/", "partners.csv", exported)
    assert job.state == "checked" and job.totals["skip"] == job.totals["rows"], job.preview[:2]
    changed = (
        exported.decode("utf-8-sig")
        .replace("financing;technical_assistance", "financing")
        .replace("japan,Japan,dialogue,", "japan,Japan,dialogue,", 1)
    )
    lines = changed.splitlines()
    header = lines[0].split(",")
    japan_line = next(line for line in lines if line.startswith("japan,"))
    cells = next(csv.reader([japan_line]))
    cells[header.index("focus_areas")] = "built-infrastructure;quality-environment"
    cells[header.index("member_states")] = "TH;VN"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, cells])
    job = _check(staff, "/admin/partners/partner/import/", "japan.csv", buffer.getvalue().encode())
    assert job.totals["update"] == 1
    staff.post(f"/admin/partners/partner/import/{job.pk}/")
    japan.refresh_from_db()
    assert japan.support_types == ["financing"]
    assert {a.slug for a in japan.focus_areas.all()} == {"built-infrastructure", "quality-environment"}
    assert {s.code for s in japan.member_states.all()} == {"TH", "VN"}
    assert japan.history.first().history_user == secretariat


def test_a_partner_file_with_unknown_codes_is_refused_per_row(staff):
    text = ("slug,name,kind,focus_areas,member_states,support_types\n"
            "new-bank,New Bank,multilateral_bank,flying-cars,,\n"
            "new-fund,New Fund,private_sector,,ZZ,\n"
            "new-city,New City,foreign_city,,,gifts\n")  # fmt: skip
    job = _check(staff, "/admin/partners/partner/import/", "bad.csv", text.encode())
    assert job.state == "invalid" and job.totals["errors"] == 3
    assert not Partner.objects.filter(slug__in=["new-bank", "new-fund", "new-city"]).exists()


def test_contacts_come_in_with_their_accounts(staff, partner_contact):
    exported = _bytes(staff.get("/admin/partners/partnercontact/export/xlsx/"))
    job = _check(staff, "/admin/partners/partnercontact/import/", "contacts.xlsx", exported)
    assert job.state == "checked" and job.totals["skip"] == job.totals["rows"] >= 1
    text = "partner,email,full_name,title,starts_on,ends_on\njapan,aiko@japan.example,Aiko Tanaka,Attaché,2026-01-05,\n"
    job = _check(staff, "/admin/partners/partnercontact/import/", "new.csv", text.encode())
    staff.post(f"/admin/partners/partnercontact/import/{job.pk}/")
    contact = PartnerContact.objects.get(user__email="aiko@japan.example")
    assert (contact.partner.slug, contact.title, contact.user.full_name) == ("japan", "Attaché", "Aiko Tanaka")
