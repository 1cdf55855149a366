"""A statistic's table as Excel and as CSV, with the filters it was drawn with written above it.
Every text cell passes the formula guard (:func:`thidua.core.text.neutralise_formula`): a unit
or a form named "=…" by someone is text in the file, never a formula."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from thidua.core.text import neutralise_formula
from thidua.reports.tables import Table


def _cell(value):
    return neutralise_formula(str(value)) if isinstance(value, str) else value


def _lines(table: Table, described: list[tuple[str, str]]):
    yield [table.title]
    for label, value in described:
        yield [f"{label}: {value}"]
    yield []
    yield table.headers
    yield from table.rows
    if table.total:
        yield table.total
    for label, value in table.facts:
        yield [label, value]
    if table.note:
        yield [table.note]


def xlsx(table: Table, described: list[tuple[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _cell(table.key[:31])
    header_at = None
    for r, line in enumerate(_lines(table, described), start=1):
        for c, value in enumerate(line, start=1):
            ws.cell(r, c, _cell(str(value) if not isinstance(value, int | float) else value))
        if line is table.headers:
            header_at = r
    bold = Font(bold=True)
    ws.cell(1, 1).font = Font(bold=True, size=13)
    for cell in ws[header_at]:
        cell.font = bold
    if table.total:
        for cell in ws[header_at + len(table.rows) + 1]:
            cell.font = bold
    ws.column_dimensions["A"].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_text(table: Table, described: list[tuple[str, str]]) -> str:
    """For machines: the header row and the data rows only (the total and the filters would be
    rows a program has to skip), each text through the formula guard."""
    del described  # the file name and the request say what was asked
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def describe(filters, by_year: bool) -> list[tuple[str, str]]:
    out = []
    if filters.date_from or filters.date_to:
        start = filters.date_from.strftime("%d/%m/%Y") if filters.date_from else "…"
        end = filters.date_to.strftime("%d/%m/%Y") if filters.date_to else "…"
        out.append((_("Thời gian"), f"{start} – {end}"))
    if filters.movement:
        out.append((_("Phong trào"), str(filters.movement)))
    if filters.organisations:
        out.append((_("Đơn vị"), "; ".join(o.name for o in filters.organisations)))
    if by_year:
        out.append((_("Trình bày"), _("theo từng năm")))
    return out
