"""What may be attached to a plan: PDF and office documents, recognised by their content.

Office documents are zip archives. They are recognised from the archive's directory and at most a
few hundred inflated bytes, never by inflating an entry whole: an archive whose entries are too
many, too large or compressed implausibly well (a "zip bomb") is refused from what its directory
declares, and what is read is read with a bound.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from ascn_portal.archives import ImplausibleArchive, check_archive

# Detected kind -> (content type, file name endings it may carry)
KINDS = {
    "pdf": ("application/pdf", (".pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    "ole": ("application/octet-stream", (".doc", ".xls", ".ppt")),  # legacy Office
}
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


MIMETYPE_READ = 200  # bytes of the ODF `mimetype` entry read (it is about 50)


def detect(head: bytes, upload) -> str | None:
    """The document kind from the file's bytes, whatever its name says."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:  # reads the directory at the end, not the entries
                names = check_archive(archive)
                if "mimetype" in names:
                    with archive.open("mimetype") as entry:
                        return ODF_TYPES.get(entry.read(MIMETYPE_READ).strip())
                if "[Content_Types].xml" in names:
                    for prefix, kind in OOXML_PARTS.items():
                        if any(name.startswith(prefix) for name in names):
                            return kind
        except ImplausibleArchive as problem:
            raise ValidationError(
                "This file is not an office document: its archive would inflate implausibly (%(why)s), "
                "so it was refused without being opened.",
                params={"why": problem},
            ) from problem
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, NotImplementedError):
            return None
        finally:
            upload.seek(0)
    return None


def validate_attachment(upload) -> str:
    """Refuse what is too large or not a document of an allowed kind; return its content type."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        size, most = filesizeformat(upload.size), filesizeformat(limit)
        if size == most:  # "20.0 MB; at most 20.0 MB" would say nothing: count the bytes
            size, most = f"{upload.size:,} bytes", f"{limit:,} bytes ({most})"
        raise ValidationError(f"The file is {size}; attachments may be at most {most}.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = detect(head, upload)
    if kind is None:
        raise ValidationError("Attach a PDF or an office document (Word, Excel, PowerPoint, OpenDocument).")
    content_type, endings = KINDS[kind]
    if not upload.name.lower().endswith(endings):
        raise ValidationError(f"The file's content is not what its name says; name it with {' or '.join(endings)}.")
    return content_type
