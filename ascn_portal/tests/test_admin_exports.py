"""Every admin list of the portal exports its filtered rows as CSV and XLSX, opened as a spreadsheet
opens them; formula-like text is neutralised; people without the admin get nothing."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin

from ascn_portal.admin import ExportableList
from partners.models import Twinning

pytestmark = pytest.mark.django_db

OURS = ("cities", "partners", "action_plans", "events", "notifications", "accounts", "spreadsheets")


def _lists():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OURS]  # fmt: skip


def test_every_list_of_ours_can_export():
    missing = [m._meta.label for m, a in _lists() if not isinstance(a, ExportableList)]
    assert missing == []


def test_every_list_exports_csv_and_xlsx(client, secretariat):
    client.force_login(secretariat)
    for model, _admin in _lists():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/export/"
        listed = client.get(base.replace("export/", ""))
        assert listed.status_code == 200, model
        assert f'href="{base}csv/' in listed.content.decode(), model
        response = client.get(base + "csv/")
        assert response.status_code == 200, model
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert len(rows) - 1 == model._default_manager.count(), model
        book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(base + "xlsx/").streaming_content)))
        assert book.active.max_row == len(rows), model


def test_a_list_export_keeps_its_filters_and_neutralises_formulas(client, secretariat):
    Twinning.objects.filter(city__slug="chonburi").update(memorandum_reference="=cmd|' /C calc'!A0")
    client.force_login(secretariat)
    response = client.get("/admin/partners/twinning/export/csv/?q=Chonburi")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "Chonburi"
    assert "'=cmd|' /C calc'!A0" in rows[1]
    assert client.get("/admin/partners/twinning/export/pdf/").status_code == 404
    assert client.get("/admin/partners/twinning/export/csv/?nonsense=1").status_code == 302


def test_people_without_the_admin_export_nothing(client, csco_bangkok):
    client.force_login(csco_bangkok)
    response = client.get("/admin/partners/twinning/export/csv/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
