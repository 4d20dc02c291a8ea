"""The finalised list of project partnerships as rows, for the page, CSV and XLSX alike."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

COLUMNS = ["Member state", "City", "Project", "Partner", "Consortium (lead first)", "Support", "Amount (USD)",
           "Finalised on"]  # fmt: skip


def rows(partnerships) -> list[list]:
    out = []
    for p in partnerships:
        consortium = "; ".join(f"{m.company} ({m.country})" for m in p.consortium.all())
        city = p.project.plan.city
        out.append([city.member_state.short_name, city.name, p.project.title, p.partner.name, consortium,
                    p.get_support_type_display(), p.amount_usd, p.finalised_on])  # fmt: skip
    return out


def as_csv(data: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in data:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def as_xlsx(data: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in data:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFGH", [16, 18, 40, 28, 40, 22, 16, 14], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
