"""Zip archives (office documents, spreadsheets) judged from their directory before anything is inflated:
one whose entries are too many, too large or compressed implausibly well (a "zip bomb") is refused."""

from __future__ import annotations

import zipfile

# Limits for an office document's archive, far above what real documents need.
MAX_ENTRIES = 5000
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # all entries together, as declared
MAX_RATIO = 200  # inflated / compressed, for entries above RATIO_FLOOR (XML compresses 5-30 times)
RATIO_FLOOR = 1024 * 1024


class ImplausibleArchive(Exception):
    """The archive's directory describes something no office document is."""


def check_archive(archive: zipfile.ZipFile) -> list[str]:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImplausibleArchive(f"{len(entries)} entries")
    inflated = 0
    for entry in entries:
        inflated += entry.file_size
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise ImplausibleArchive(
                f"{entry.filename} inflates {entry.file_size // max(entry.compress_size, 1)} times"
            )
    if inflated > MAX_INFLATED_BYTES:
        raise ImplausibleArchive(f"{inflated} bytes inflated")
    return [entry.filename for entry in entries]
