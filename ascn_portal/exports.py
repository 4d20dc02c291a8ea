"""The portal's one writer of tables for spreadsheets: CSV and XLSX, streamed, safe to open.

Text a person typed (a project's title, a consortium's name) may begin with `=`, `+`, `-`, `@`, a
tab or a carriage return; a spreadsheet program reads such a cell as a formula. As OWASP advises
for CSV, such text is written with a leading apostrophe, which spreadsheets show as text; in XLSX
every text cell is written as a string, never as a formula. Numbers and dates stay numbers and
dates. CSV is UTF-8 with a byte order mark (so spreadsheet programs read it as UTF-8) and both
come as attachments with a file name. Rows are read as they are written: an export of the whole
list holds one row at a time (XLSX: in a temporary file), whatever its length.

A streamed file that fails midway (`streamed`) must not look whole: its status and first bytes are
already sent, so the error is logged once, with its traceback and the file's name, and `StreamAborted`
is raised in its place; the server then drops the connection before the chunked body's last chunk (the
client sees a broken transfer) and notes the abort without repeating the traceback. Nothing between the
rows and the server may catch it (a generator that stops there would end the file cleanly). An XLSX is
written whole before its first byte is sent: a failure there is a plain 500.
"""

from __future__ import annotations

import csv
import datetime
import logging
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

logger = logging.getLogger(__name__)

# What XML 1.0 (so a workbook or an IATI file) cannot hold: the control characters but tab and line
# breaks. Text pasted from a PDF carries page breaks (form feeds); each becomes a space.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """The text as XML can hold it: each control character but tab and line breaks as a space."""
    return CONTROL_CHARACTERS.sub(" ", text)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 18
    number_format: str | None = None  # e.g. "#,##0.00" for money


def _joined(value):
    """A list (focus areas, support sought) as one cell: its items separated by semicolons."""
    if isinstance(value, list | tuple):
        return ";".join("" if v is None else str(v) for v in value)
    return value


def neutralise(value):
    """A value as a CSV cell: text that a spreadsheet would run as a formula starts with `'`."""
    if value is None:
        return ""
    value = _joined(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, text):
        return text


def _csv_lines(columns: list[Column], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([c.header for c in columns])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


class StreamAborted(Exception):
    """A streamed file failed midway; the failure itself is logged already (its `__context__`)."""


def streamed(chunks: Iterable[str | bytes], filename: str) -> Iterator[bytes]:
    """The chunks of a file as UTF-8, for a StreamingHttpResponse. A failure midway is logged once and
    `StreamAborted` raised, so the server aborts the transfer (see the module's docstring)."""
    sent = 0
    try:
        for chunk in chunks:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            sent += len(data)
            yield data
    except Exception:
        logger.exception("Writing %s failed after %d bytes: the transfer is aborted.", filename, sent)
        raise StreamAborted(f"{filename}: aborted after {sent} bytes, logged above") from None


def streaming_response(
    chunks: Iterable[str | bytes], *, filename: str, content_type: str, disposition: str = "attachment"
) -> StreamingHttpResponse:
    """The one way a file is streamed: `streamed` chunks, with its type and name."""
    response = StreamingHttpResponse(streamed(chunks, filename), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def csv_response(filename: str, columns: list[Column], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    return streaming_response(_csv_lines(columns, rows), filename=filename, content_type=CSV_TYPE)


def _xlsx_cell(sheet, value, column: Column):
    value = _joined(value)
    if isinstance(value, str):
        value = xml_text(value)  # openpyxl refuses a control character: the whole file would fail
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it begins with "=": never a formula
    elif isinstance(value, int | float | Decimal) and column.number_format:
        cell.number_format = column.number_format
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx_file(sheets: Iterable[tuple[str, list[Column], Iterable[Iterable]]]):
    """A workbook with one sheet per (title, columns, rows), in a temporary file opened for reading."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        for index, column in enumerate(columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font = bold
            cell.data_type = "s"
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value, column) for value, column in zip(row, columns, strict=False)])
    handle = tempfile.TemporaryFile()  # noqa: SIM115  closed by the response that streams it
    book.save(handle)
    handle.seek(0)
    return handle


def xlsx_response(filename: str, sheets: Iterable[tuple[str, list[Column], Iterable[Iterable]]]) -> FileResponse:
    return FileResponse(xlsx_file(sheets), as_attachment=True, filename=filename, content_type=XLSX_TYPE)
