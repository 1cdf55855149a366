"""The dashboard's table as an Excel workbook (openpyxl); every text cell goes through the
formula guard, so a unit named "=HYPERLINK(…)" stays text."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from thidua.core.text import neutralise_formula
from thidua.movements.charts import summary_table


def _cell(value):
    return neutralise_formula(value) if isinstance(value, str) else value


def dashboard_workbook(movement, counts, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tổng hợp")[:31]
    sheet.append([_cell(movement.title)])
    sheet.append([_("Nội dung"), _("Đã gửi"), _("Tổng số đơn vị"), _("Còn thiếu")])
    for line in summary_table(counts):
        sheet.append([_cell(str(line.label)), line.done, line.total, line.missing])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    units = book.create_sheet(_("Đơn vị")[:31])
    periods = list(movement.report_periods.all())
    units.append([_("STT"), _("Đơn vị"), _("Đăng ký"), _("Kế hoạch")]
                 + [_cell(p.title) for p in periods] + [_("Hồ sơ"), _("Quá hạn")])
    for cell in units[1]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, start=1):
        registration = row.registration.get_state_display() if row.registration else _("Chưa đăng ký")
        name = row.organisation.name + (" " + _("(đã rút khỏi phong trào)") if row.removed else "")
        reports = [str(row.reports[p.pk].get_state_display()) if p.pk in row.reports
                   else _("Chưa gửi") for p in periods]
        units.append([n, _cell(name), _cell(str(registration)),
                      _("Đã gửi") if row.plan else _("Chưa gửi"), *[_cell(r) for r in reports],
                      row.dossier_total, _cell("; ".join(row.late))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
