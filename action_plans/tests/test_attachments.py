import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from action_plans.choices import PlanState
from action_plans.models import Attachment
from action_plans.tests.factories import draft_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _upload(client, plan, name, content, title="Full SCAP"):
    return client.post(
        f"/action-plans/{plan.pk}/documents/", {"title": title, "file": SimpleUploadedFile(name, content)}
    )


def test_a_pdf_and_a_word_document_are_attached_and_downloaded(client, csco_bangkok):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    assert _upload(client, plan, "scap.pdf", PDF).status_code == 302
    assert _upload(client, plan, "annex.docx", _docx(), title="Annex").status_code == 302
    pdf, docx = Attachment.objects.order_by("pk")
    assert (pdf.content_type, pdf.size) == ("application/pdf", len(PDF))
    assert docx.content_type.endswith("wordprocessingml.document")
    response = client.get(f"/action-plans/{plan.pk}/documents/{pdf.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="full-scap.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "Attach a PDF or an office document"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "Attach a PDF or an office document"),
        ("report.docx", PDF, "not what its name says"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_what_is_not_a_document_is_refused_and_nothing_is_written(client, csco_bangkok, name, content, message):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    response = _upload(client, plan, name, content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, csco_bangkok, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    plan = draft_plan()
    client.force_login(csco_bangkok)
    response = _upload(client, plan, "huge.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 400 and "attachments may be at most 1.0" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_fifty_megabyte_file_is_refused_at_the_default_limit(client, csco_bangkok):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    response = _upload(client, plan, "scan.pdf", PDF + b"0" * (50 * 1024 * 1024))
    assert response.status_code == 400 and "at most 20.0" in response.content.decode()
    assert not Attachment.objects.exists()


def test_documents_of_a_hidden_plan_are_404_and_only_drafts_take_documents(client, csco_bangkok, csco_cebu):
    plan = draft_plan()
    client.force_login(csco_bangkok)
    _upload(client, plan, "scap.pdf", PDF)
    attachment = Attachment.objects.get()
    client.force_login(csco_cebu)
    assert client.get(f"/action-plans/{plan.pk}/documents/{attachment.pk}/").status_code == 404
    assert _upload(client, plan, "x.pdf", PDF).status_code == 404
    plan.state = PlanState.SUBMITTED
    plan.save()
    client.force_login(csco_bangkok)
    assert _upload(client, plan, "late.pdf", PDF).status_code == 403
    assert Attachment.objects.count() == 1


def _bomb(entry: str, inflated: int, *, odf: bool = False) -> bytes:
    """A small archive holding one entry that inflates to `inflated` bytes of zeros (written in chunks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if not odf:
            archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(entry, "w", force_zip64=True) as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(inflated // len(chunk)):
                handle.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bomb.docx", lambda: _bomb("word/document.xml", 300 * 1024 * 1024)),  # 300 MB of zeros in ~300 KB
        ("bomb.odt", lambda: _bomb("mimetype", 64 * 1024 * 1024, odf=True)),  # the entry the check used to read whole
    ],
)
def test_a_zip_bomb_is_refused_quickly_without_being_inflated(client, csco_bangkok, name, content):
    import time
    import tracemalloc

    plan = draft_plan()
    client.force_login(csco_bangkok)
    payload = content()
    assert len(payload) < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    response = _upload(client, plan, name, payload)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 400
    assert "inflate implausibly" in response.content.decode()
    assert elapsed < 2 and peak < 20 * 1024 * 1024  # neither seconds nor a gigabyte of memory
    assert not Attachment.objects.exists()


def test_a_file_just_over_the_limit_says_by_how_much(client, csco_bangkok, settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    plan = draft_plan()
    client.force_login(csco_bangkok)
    response = _upload(client, plan, "big.pdf", PDF + b"0" * (20 * 1024 * 1024 - len(PDF) + 1))
    page = response.content.decode()
    assert response.status_code == 400 and "20,971,521 bytes" in page and "at most 20,971,520 bytes" in page


def test_a_plan_copied_from_the_last_keeps_its_documents_as_copies_of_its_own(client, csco_bangkok):
    from action_plans import services

    old = draft_plan(title="SCAP 2021-2025", period_start=2021, period_end=2025)
    client.force_login(csco_bangkok)
    assert _upload(client, old, "scap.pdf", PDF, title="Full SCAP").status_code == 302
    from action_plans.choices import PlanState as State

    type(old).objects.filter(pk=old.pk).update(state=State.APPROVED)
    old.refresh_from_db()
    new = services.action_plan_create(city=old.city, by=csco_bangkok, title="SCAP 2026-2030", period_start=2026,
                                      period_end=2030, copy_from=old)  # fmt: skip
    (copied,) = new.attachments.all()
    (original,) = old.attachments.all()
    assert copied.title == "Full SCAP" and copied.file.name != original.file.name
    assert copied.file.read() == PDF
    client.get(f"/action-plans/{new.pk}/")  # the new plan's document is served from its own file
    services.attachment_remove(attachment=copied, by=csco_bangkok)
    assert original.file.storage.exists(original.file.name)  # the old plan keeps its document
