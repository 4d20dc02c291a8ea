"""The offline template of a city's round: a workbook that mirrors the online form, one row per
project and one per KPI, downloaded, filled in and sent back. Every cell is checked as the form
checks it; errors are reported by sheet and cell; nothing is written until the whole file is valid,
and then all rows are saved together. Each row carries the version of the report it was made from,
so a file made before a newer online edit is refused like a stale save."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation

from action_plans import services as plans
from action_plans.choices import ProgressStatus
from ascn_portal.archives import ImplausibleArchive, check_archive
from ascn_portal.errors import Conflict
from ascn_portal.numbers import to_integer

from .forms import ProjectReportForm

PROJECT_HEADERS = ["project_id", "project", "status", "percent_complete", "funding_secured_usd", "narrative",
                   "version"]  # fmt: skip
KPI_HEADERS = ["project_id", "kpi_id", "project", "kpi", "unit", "baseline", "target", "value"]
EDITABLE_PROJECT = {"status", "percent_complete", "funding_secured_usd", "narrative"}
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class CellError:
    sheet: str
    cell: str
    message: str

    def __str__(self):
        return f"{self.sheet}!{self.cell}: {self.message}" if self.cell else f"{self.sheet}: {self.message}"


class _UnreadableCell(Exception):
    pass


class _CellFinder(WorkSheetParser):
    """Reads a sheet's cells as the workbook reader does, naming the first whose number it cannot read
    (a number cell holding `inf` or `nan`)."""

    def parse_cell(self, element):
        try:
            return super().parse_cell(element)
        except (ValueError, OverflowError, ArithmeticError):
            raise _UnreadableCell(element.get("r") or "") from None


def _unreadable_cell(sheet) -> str:
    """The cell of a read-only sheet that its reader could not read; "" when none is found."""
    try:
        with sheet._get_source() as source:  # openpyxl 3.1's read-only sheet: its XML part
            for _row in _CellFinder(source, sheet._shared_strings, data_only=True).parse():
                pass
    except _UnreadableCell as error:
        return str(error)
    except Exception:  # noqa: BLE001  only a better message is at stake
        return ""
    return ""


def _text(cell, value):
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even when it begins with "=": never a formula


def template(found) -> bytes:
    """The workbook for a city's round (`selectors.CityRound`)."""
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    lines = [
        _("%(city)s: progress reports for %(year)s, due %(deadline)s.")
        % {"city": found.city.name, "year": found.round.year, "deadline": f"{found.round.deadline:%d %B %Y}"},
        _(
            "Fill in the sheet Projects (status, percent complete, funding secured to date, narrative) and the values "
            "of the sheet KPIs. Leave the other columns as they are."
        ),
        _("Status is one of: %(statuses)s. Percent complete is a whole number from 0 to 100.")
        % {"statuses": ", ".join(ProgressStatus.values)},
        _(
            "Send the file back from the city's report page. Nothing is saved unless every cell is valid; a row made "
            "from an older version than the one online is refused (download a fresh copy then)."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        _text(readme.cell(row=row, column=1), line)
    readme.column_dimensions["A"].width = 120

    sheet = book.create_sheet("Projects")
    _header(sheet, PROJECT_HEADERS, [10, 40, 14, 16, 20, 60, 9])
    status = DataValidation(type="list", formula1=f'"{",".join(ProgressStatus.values)}"', allow_blank=True)
    percent = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True)
    sheet.add_data_validation(status)
    sheet.add_data_validation(percent)
    kpis = book.create_sheet("KPIs")
    _header(kpis, KPI_HEADERS, [10, 8, 40, 30, 10, 12, 12, 12])
    kpi_row = 2
    for row, (project, report, _previous, _problems) in enumerate(found.rows, start=2):
        values = [project.pk, project.title, report.status if report else "",
                  report.percent_complete if report else None,
                  float(report.funding_secured_usd) if report and report.funding_secured_usd is not None else None,
                  report.narrative if report else "", report.version if report else 0]  # fmt: skip
        for column, value in enumerate(values, start=1):
            _text(sheet.cell(row=row, column=column), value)
        status.add(f"C{row}")
        percent.add(f"D{row}")
        reached = (report.kpi_values or {}) if report else {}
        for kpi in project.kpis.all():
            value = reached.get(str(kpi.pk))
            cells = [project.pk, kpi.pk, project.title, kpi.name, kpi.unit,
                     float(kpi.baseline) if kpi.baseline is not None else None,
                     float(kpi.target) if kpi.target is not None else None,
                     float(value) if value not in (None, "") else None]  # fmt: skip
            for column, cell_value in enumerate(cells, start=1):
                _text(kpis.cell(row=kpi_row, column=column), cell_value)
            kpi_row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet, headers, widths):
    bold = Font(bold=True)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column)
        _text(cell, header)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _rows(sheet, headers: list[str], errors: list[CellError]) -> list[tuple[int, dict]]:
    rows = []
    try:
        found = [str(c or "").strip() for c in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
        if found[: len(headers)] != headers:
            errors.append(
                CellError(
                    sheet.title,
                    "A1",
                    _("The columns must be %(columns)s (as downloaded).") % {"columns": ", ".join(headers)},
                )
            )
            return []
        for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            if all(v in (None, "") for v in values):
                continue
            rows.append((number, dict(zip(headers, values, strict=False))))
    except (ValueError, OverflowError, ArithmeticError):  # a number cell the reader cannot read ("inf")
        errors.append(CellError(sheet.title, _unreadable_cell(sheet), _("Enter a number.")))
        return []
    return rows


def upload(found, upload_file, by) -> tuple[int, list[CellError]]:
    """Check the whole file; if every cell is valid, save every project's report in one transaction.
    Returns (reports saved, errors); with errors nothing is saved."""
    errors: list[CellError] = []
    if upload_file.size > MAX_BYTES:
        return 0, [CellError("", "", _("The file is larger than a template can be (5 MB)."))]
    data = upload_file.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (ImplausibleArchive, zipfile.BadZipFile, OSError, ValueError, KeyError):
        return 0, [CellError("", "", _("This is not the template's workbook (.xlsx); download it again."))]
    for name in ("Projects", "KPIs"):
        if name not in book.sheetnames:
            return 0, [
                CellError(name, "", _("The sheet %(sheet)s is missing; download the template again.") % {"sheet": name})
            ]
    projects = {project.pk: (project, report) for project, report, _p, _x in found.rows}
    project_rows = _rows(book["Projects"], PROJECT_HEADERS, errors)
    kpi_rows = _rows(book["KPIs"], KPI_HEADERS, errors)
    values: dict[int, dict] = {}
    for number, row in kpi_rows:
        project = projects.get(_int(row["project_id"]))
        kpi_id = _int(row["kpi_id"])
        kpi = next((k for k in project[0].kpis.all() if k.pk == kpi_id), None) if project else None
        if kpi is None:
            errors.append(CellError("KPIs", f"B{number}", _("This row names no KPI of the round's projects.")))
            continue
        if row["value"] not in (None, ""):
            values.setdefault(project[0].pk, {})[f"kpi_{kpi.pk}"] = row["value"]
    checked = []
    for number, row in project_rows:
        pk = _int(row["project_id"])
        if pk not in projects:
            errors.append(CellError("Projects", f"A{number}", _("This row names no project of the city's round.")))
            continue
        project, report = projects[pk]
        sent = _int(row["version"])
        current = report.version if report else 0
        if sent is None:
            errors.append(CellError("Projects", f"G{number}", "The version is a whole number, as downloaded; "
                                                              "download a fresh copy."))  # fmt: skip
            continue
        if sent != current:
            errors.append(CellError("Projects", f"G{number}", f"This report changed online since the file was made "
                                                              f"(version {current} now, the file has {sent}); "
                                                              "download a fresh copy."))  # fmt: skip
            continue
        form_data = {k: ("" if row[k] is None else row[k]) for k in EDITABLE_PROJECT}
        form_data |= values.get(pk, {}) | {"version": sent}
        form = ProjectReportForm(form_data, project=project)
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.append(CellError(*_where(field, number, pk, kpi_rows), " ".join(messages)))
            continue
        cost = project.estimated_cost_usd
        funded = form.cleaned_data["funding_secured_usd"]
        if funded is not None and cost is not None and funded > cost:
            errors.append(
                CellError(
                    "Projects",
                    f"E{number}",
                    _("This is above the project's cost (%(cost)s USD).") % {"cost": f"{cost:,.0f}"},
                )
            )
            continue
        checked.append((project, form, sent))
    if errors:
        return 0, errors
    try:
        with transaction.atomic():
            for project, form, sent in checked:
                data = form.cleaned_data
                plans.progress_report_save(
                    project=project, by=by, year=found.round.year, percent_complete=data["percent_complete"],
                    status=data["status"], narrative=data["narrative"], kpi_values=form.kpi_values(),
                    funding_secured_usd=data["funding_secured_usd"], version=sent,
                )  # fmt: skip
    except Conflict as error:  # a save online at the same moment, or the report went to review
        return 0, [CellError("", "", f"Nothing was saved: {error}")]
    return len(checked), []


def _int(value) -> int | None:
    """An id or version cell, read by the one number parser; None when it holds no whole number."""
    try:
        return to_integer(value)
    except ValidationError:
        return None


def _where(field: str, number: int, pk: int, kpi_rows) -> tuple[str, str]:
    columns = {name: get_column_letter(i) for i, name in enumerate(PROJECT_HEADERS, start=1)}
    if field in columns:
        return "Projects", f"{columns[field]}{number}"
    if field.startswith("kpi_"):
        kpi_id = int(field[4:])
        for kpi_number, row in kpi_rows:
            if _int(row["project_id"]) == pk and _int(row["kpi_id"]) == kpi_id:
                return "KPIs", f"H{kpi_number}"
    return "Projects", f"A{number}"
