"""The summary report as an editable DOCX draft in the layout of Decree 30/2020 (Annex I): the
issuing body's heading with the number left for its clerical office, the place and date, the
title, five sections, the signature block.

The figures, tables and charts are filled in from :class:`~thidua.reports.summary.Summary`; the
narrative the office writes itself is a highlighted placeholder in square brackets
("[Đánh giá chung …]") to overwrite. Written with python-docx on the measures of the built-in
templates (:mod:`thidua.documents.build_templates`): text goes in as runs, so ``&`` and ``<``
stay what they are.
"""

import io

from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Mm

from thidua.core.text import nfc
from thidua.documents.build_templates import (
    CENTER,
    HEAD_COLUMNS_MM,
    ISSUER_RULE_MM,
    MOTTO,
    SIGNATURE_SPACE,
    TEXT_WIDTH_MM,
    _body,
    _cell_start,
    _fixed,
    _motto_width_mm,
    _page,
    _para,
    _row_flag,
    _rule,
)
from thidua.documents.context import dated, heading
from thidua.nominations.documents import lower_first, number_label, place_of
from thidua.reports.chart_images import bar_png
from thidua.reports.summary import Summary, number_text
from thidua.reports.tables import Table

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CHART_WIDTH_MM = 150
# Placeholders the office overwrites: in brackets and highlighted, so none is left by mistake.
PLACEHOLDERS = {
    "criterion": "[Nhận xét kết quả thực hiện tiêu chí: mặt làm được, chưa làm được, nguyên nhân…]",
    "assessment": [
        "[Đánh giá chung: những kết quả nổi bật của phong trào, tác động đến việc thực hiện "
        "nhiệm vụ chính trị của cơ quan, đơn vị…]",
        "[Hạn chế, khó khăn và nguyên nhân…]",
        "[Bài học kinh nghiệm…]",
    ],
    "proposals": [
        "[Đề xuất, kiến nghị với cấp trên…]",
        "[Phương hướng, nhiệm vụ trong thời gian tới…]",
    ],
}


def title_of(movement) -> str:
    """"Tổng kết phong trào thi đua “…” năm 2026"."""
    title = nfc(movement.title)
    if not title.casefold().startswith("phong trào"):
        title = f"phong trào thi đua {title}"
    return f"Tổng kết {lower_first(title)}"


def _placeholder(doc, text: str):
    paragraph = _body(doc, "")
    run = paragraph.add_run(text)
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def _heading(doc, movement, day) -> None:
    """Issuing body, its rule and the number to fill | national motto, its rule, place, date."""
    head = heading(movement.issuer, day)
    table = doc.add_table(rows=1, cols=2)
    _fixed(table, HEAD_COLUMNS_MM)
    left, right = (_cell_start(c) for c in table.rows[0].cells)
    _para(left, head["issuer_upper_1"], size=13, align=CENTER, after=0)
    if head["issuer_upper_2"]:
        _para(left, head["issuer_upper_2"], bold=True, size=13, align=CENTER, after=0)
    _rule(left, ISSUER_RULE_MM, HEAD_COLUMNS_MM[0])
    _para(left, f"Số: {number_label('BC', movement.issuer, day)}", size=13, align=CENTER,
          after=0)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=CENTER, after=0)
    _para(right, MOTTO, bold=True, size=13, align=CENTER, after=0)
    _rule(right, _motto_width_mm(), HEAD_COLUMNS_MM[1])
    when = dated(place_of(movement.issuer, movement, day), day)
    _para(right, f"{when['place']}, {when['date_words']}", italic=True, align=CENTER, after=0)


def _grid(doc, headers: list[str], rows: list[list[str]], widths: list[float],
          total: list[str] | None = None, numeric=None, size: int = 12):
    """A bordered table (header repeated on each page, rows never split) of text cells; the
    ``numeric`` columns (default: all but the first) are figures, set right."""
    numeric = set(range(1, len(headers))) if numeric is None else set(numeric)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_flag(table.rows[0], "tblHeader")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _para(_cell_start(cell), text, bold=True, size=size, align=CENTER, after=0)
    for line, bold in [*((r, False) for r in rows), *([(total, True)] if total else [])]:
        row = table.add_row()
        _row_flag(row, "cantSplit")
        for n, (cell, text) in enumerate(zip(row.cells, line, strict=True)):
            _para(_cell_start(cell), str(text), bold=bold, size=size, after=0,
                  align=(CENTER if n == 0 and headers[0] == "STT"
                         else RIGHT if n in numeric else None))
    _fixed(table, widths, margins=(2, 4))
    _para(doc, "", size=11, after=0)
    return table


def _statistic(doc, table: Table) -> None:
    """A statistic of the dashboard as it shows it: its rows, total and note."""
    label_width = TEXT_WIDTH_MM - 25 * (len(table.headers) - 1)
    rows = [[nfc(str(row[0])), *(number_text(v) for v in row[1:])] for row in table.rows]
    total = ([str(table.total[0]), *(number_text(v) for v in table.total[1:])]
             if table.total and table.rows else None)
    if not rows:
        _body(doc, "Chưa có khen thưởng nào được ghi vào sổ trong phong trào.")
        return
    _grid(doc, [str(h) for h in table.headers], rows,
          [label_width, *[25] * (len(table.headers) - 1)], total)
    if table.note:
        _para(doc, str(table.note), italic=True, size=12)


def _chart(doc, points, title: str) -> None:
    png = bar_png(points, title)
    if png is None:
        return
    doc.add_picture(io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
    doc.paragraphs[-1].alignment = CENTER


def write(movement, summary: Summary, *, progress=lambda: None, day=None) -> bytes:
    """The DOCX. ``progress`` is called once the charts are drawn."""
    day = day or timezone.localdate()
    doc = _page()
    _heading(doc, movement, day)
    _para(doc, "BÁO CÁO", bold=True, align=CENTER, before=18, after=0)
    _para(doc, title_of(movement), bold=True, align=CENTER, after=12)
    issuer = nfc(movement.issuer.name_on(day))
    _body(doc, f"Thực hiện {nfc(movement.document_kind)} số {nfc(movement.number)} ngày "
               f"{movement.issued_on:%d/%m/%Y} của {issuer} phát động "
               f"{lower_first(nfc(movement.title))}, {issuer} báo cáo tổng kết phong trào như "
               "sau:")

    _para(doc, "I. CÔNG TÁC TỔ CHỨC PHONG TRÀO", bold=True, before=6)
    _body(doc, f"Phong trào được phát động ngày {movement.launched_on:%d/%m/%Y}"
               + (f", kết thúc ngày {movement.ends_on:%d/%m/%Y}" if movement.ends_on else "")
               + f", với {summary.participants} đơn vị tham gia.")
    if summary.content_areas:
        _body(doc, "Nội dung thi đua: " + "; ".join(summary.content_areas) + ".")
    _grid(doc, ["Nội dung", "Số đơn vị", "Tỷ lệ (%)"],
          [[label, number_text(n), pct] for label, n, pct in summary.organisation],
          [115, 25, 25])
    _chart(doc, [(label, float(n)) for label, n, _pct in summary.organisation],
           "Tổ chức phong trào (số đơn vị)")

    _para(doc, "II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ THI ĐUA", bold=True, before=6)
    if summary.reports_accepted:
        _body(doc, f"Tổng hợp từ {summary.reports_accepted} báo cáo tổng kết của các đơn vị đã "
                   f"được tiếp nhận ({'; '.join(summary.final_periods)}).")
    else:
        _body(doc, "Chưa có báo cáo tổng kết nào của các đơn vị được tiếp nhận; các bảng dưới "
                   "đây chưa có số liệu.")
    for n, criterion in enumerate(summary.criteria, start=1):
        _para(doc, f"{n}. Tiêu chí {criterion.code}: {criterion.title}", bold=True, italic=True,
              before=6)
        _body(doc, f"Đối tượng: {criterion.aimed_at}. Số đơn vị đăng ký thực hiện: "
                   f"{criterion.committed}; số đơn vị báo cáo kết quả: {len(criterion.rows)}.")
        if criterion.rows:
            _grid(doc, ["STT", "Đơn vị", "Kết quả thực hiện", "Số liệu", "Ghi chú"],
                  [[str(i), r.unit, r.done, number_text(r.figure), r.note]
                   for i, r in enumerate(criterion.rows, start=1)],
                  [12, 40, 60, 22, 31],
                  total=["", "Tổng cộng", "", number_text(criterion.total), ""],
                  numeric={0, 3})
            _chart(doc, criterion.chart, f"Tiêu chí {criterion.code}: số liệu theo đơn vị")
        _placeholder(doc, PLACEHOLDERS["criterion"])
    if summary.unit_summaries:
        _para(doc, "Đánh giá của các đơn vị:", italic=True, before=6)
        for unit, lines in summary.unit_summaries:
            _body(doc, f"- {unit}: {' '.join(lines)}")

    _para(doc, "III. CÔNG TÁC KHEN THƯỞNG", bold=True, before=6)
    _para(doc, "1. Khen thưởng theo hình thức", bold=True, italic=True)
    _statistic(doc, summary.awards_by_form)
    _chart(doc, summary.awards_by_form.chart, "Khen thưởng theo hình thức")
    _para(doc, "2. Khen thưởng theo đơn vị", bold=True, italic=True)
    _statistic(doc, summary.awards_by_unit)
    _chart(doc, summary.awards_by_unit.chart, "Khen thưởng theo đơn vị đề nghị")
    progress()

    _para(doc, "IV. ĐÁNH GIÁ CHUNG", bold=True, before=6)
    for title, on, lines in summary.conclusions:
        _body(doc, f"Kết luận {lower_first(title)}" + (f" ngày {on}" if on else "") + ": "
                   + " ".join(lines))
    for text in PLACEHOLDERS["assessment"]:
        _placeholder(doc, text)
    _para(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, before=6)
    for text in PLACEHOLDERS["proposals"]:
        _placeholder(doc, text)
    _body(doc, f"Trên đây là báo cáo tổng kết {lower_first(nfc(movement.title))} của {issuer}./.")
    _signature(doc, movement)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _signature(doc, movement) -> None:
    _para(doc, "", size=11, after=0)
    sign = doc.add_table(rows=1, cols=2)
    _fixed(sign, HEAD_COLUMNS_MM)
    _row_flag(sign.rows[0], "cantSplit")
    left, right = (_cell_start(c) for c in sign.rows[0].cells)
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12, after=0)
    for line in ["- Hội đồng Thi đua - Khen thưởng;", "- Các đơn vị tham gia phong trào;",
                 "- Lưu: VT."]:
        _para(left, line, size=11, after=0)
    if movement.signer_capacity:
        _para(right, nfc(movement.signer_capacity).upper(), bold=True, align=CENTER, after=0)
    _para(right, nfc(movement.signer_title).upper(), bold=True, align=CENTER, after=0)
    name = _para(right, nfc(movement.signer_name), bold=True, align=CENTER, after=0)
    name.paragraph_format.space_before = SIGNATURE_SPACE
