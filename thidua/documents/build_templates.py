"""Builds the default DOCX templates shipped in ``default_templates/`` (run once, output committed).

    .venv/bin/python -m thidua.documents.build_templates

Administrators replace a template per organisation through the admin (DocumentTemplate); a
replacement must use the same {{ fields }} as these.

The drafts follow Decree 30/2020, Annex I, and the PDFs (``templates/documents/*.html``) set the
same measures, so a draft opened in Word or LibreOffice breaks its pages where the PDF does
(``tests/documents/test_libreoffice.py`` checks it): A4, margins 20/20/30/15 mm, Times New Roman
14 pt on lines of at least 18 pt, 6 pt after each paragraph, tables in fixed millimetre columns
whose grid is the cells' own widths (a grid that disagrees makes LibreOffice re-flow the table).
"""

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

OUT = Path(__file__).parent / "default_templates"

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # 210 mm less the 30 mm left and 15 mm right margins
HEAD_COLUMNS_MM = (66, 99)  # issuing body | national motto; the signature block uses the same
ISSUER_RULE_MM = 22  # the rule under the issuing body: about a third of its line
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGNATURE_SPACE = Pt(62)  # room for the signature and the seal above the signer's name
# Line heights by font size: the PDF's CSS says the same (line-height in pt).
LINES = {11: 13, 12: 14, 13: 16, 14: 18}


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _element(tag: str, **attrs) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _para(doc_or_cell, text="", *, bold=False, italic=False, size=14, align=None, indent=False,
          after=6, before=0, lead: str = ""):
    """A paragraph; ``lead`` is a bold opening ("Điều 1.") before ``text``."""
    paragraph = doc_or_cell.add_paragraph()
    if lead:
        run = paragraph.add_run(lead)
        run.bold, run.italic, run.font.size = True, italic, Pt(size)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    fmt.line_spacing = Pt(LINES[size])
    if indent:
        fmt.first_line_indent = Cm(1.27)
    return paragraph


def _rule(cell, length_mm: float, width_mm: float) -> None:
    """A centred horizontal line ``length_mm`` long: the bottom border of an empty paragraph
    indented from both sides. It stays a line when the text around it is edited."""
    paragraph = cell.add_paragraph()
    fmt = paragraph.paragraph_format
    side = Mm(max(0.0, (width_mm - length_mm) / 2))
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before, fmt.space_after = Pt(0), Pt(4)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val="single", sz=6, space=0, color="000000"))
    paragraph._p.get_or_add_pPr().append(borders)


def _motto_width_mm() -> float:
    """How wide the motto's second line prints (13 pt bold): its rule is as long as the line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from thidua.documents.fonts import reportlab_fonts

    return stringWidth(MOTTO, reportlab_fonts()["bold"], 13) * 25.4 / 72


def _fixed(table, widths_mm, *, margins=(0, 0)) -> None:
    """Column widths that hold in every editor: the grid, each cell and the table width agree,
    the layout is fixed, and cell margins (top/bottom, left/right in pt) are the PDF's padding."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(_element("w:tblW", w=_twips(sum(widths_mm)), type="dxa"))
    tbl_pr.append(_element("w:tblLayout", type="fixed"))
    cell_margins = _element("w:tblCellMar")
    vertical, horizontal = margins
    for side, value in [("top", vertical), ("left", horizontal), ("bottom", vertical),
                        ("right", horizontal)]:
        cell_margins.append(_element(f"w:{side}", w=round(value * 20), type="dxa"))
    tbl_pr.append(cell_margins)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_start(cell):
    """A new table cell holds one empty paragraph; the content starts in it, not under it."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _closing_article(doc) -> None:
    """Điều 3 of a decision and its signature block, the same in every decision."""
    _body(doc, "Quyết định có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị và các tập thể, cá "
               "nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
          lead="Điều 3. ")
    _sign(doc, ["- Như Điều 3;", "- Lưu: VT, NV."])


def decision_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "QUYẾT ĐỊNH", "Về việc tặng {{ award_form }}")
    _authority(doc)
    _each(doc, "line in grounds", "{{ line }}", italic=True)
    _decides(doc)
    _body(doc, "Tặng {{ award_form }} cho {{ counts }} (có danh sách kèm theo) đã có thành tích "
               "xuất sắc trong {{ movement }}.", lead="Điều 1. ")
    _body(doc, "Kèm theo {{ award_form }} là tiền thưởng theo quy định; tổng số tiền: "
               "{{ total_cash }} đồng.", lead="Điều 2. ")
    _closing_article(doc)
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân được tặng {{ award_form }}",
           note="(Kèm theo Quyết định số {{ number_label }} ngày {{ date_short }})")
    _list(doc, "a in awards", [("STT", "{{ a.order }}", 12),
                               ("Họ và tên / Tên tập thể", "{{ a.name }}", 36),
                               ("Chức vụ, đơn vị", "{{ a.where }}", 38),
                               ("Thành tích", "{{ a.citation }}", 52),
                               ("Tiền thưởng (đồng)", "{{ a.cash }}", 27)])
    return doc


def amendment_template() -> Document:
    """Quyết định sửa đổi: corrects lines of an issued decision, with the old and new text."""
    doc = _page()
    _heading(doc)
    _title(doc, "QUYẾT ĐỊNH", "Về việc sửa đổi Quyết định số {{ original_number }} ngày "
                              "{{ original_date }} về việc tặng {{ award_form }}")
    _authority(doc)
    _each(doc, "line in grounds", "{{ line }}", italic=True)
    _decides(doc)
    _body(doc, "Sửa đổi Quyết định số {{ original_number }} ngày {{ original_date }} của "
               "{{ original_issuer }} về việc tặng {{ award_form }} đối với {{ counts }} như sau "
               "(có danh sách kèm theo).", lead="Điều 1. ")
    _body(doc, "Các nội dung khác của Quyết định số {{ original_number }} giữ nguyên. Giấy khen "
               "đã cấp theo nội dung cũ được thu hồi và cấp lại theo Quyết định này.",
          lead="Điều 2. ")
    _closing_article(doc)
    _annex(doc, "DANH SÁCH", "Nội dung sửa đổi Quyết định số {{ original_number }} ngày "
                             "{{ original_date }}",
           note="(Kèm theo Quyết định số {{ number_label }} ngày {{ date_short }})")
    _list(doc, "l in lines", [("STT", "{{ l.order }}", 12),
                              ("Đã ghi tại Quyết định số {{ original_number }}",
                               "{{ l.was_text }}", 72),
                              ("Nay sửa lại là", "{{ l.now_text }}", 72)])
    return doc


def upward_proposal_template() -> Document:
    """Tờ trình đề nghị cấp trên khen thưởng, with the list as an annex."""
    doc = _page()
    _heading(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị tặng {{ award_form }}")
    _recipient(doc)
    _each(doc, "line in grounds", "{{ line }}", italic=True)
    _body(doc, "Qua {{ movement }}, {{ issuer_name }} đã tổ chức xét chọn theo đúng quy trình; "
               "Hội đồng Thi đua - Khen thưởng đã họp xét và thống nhất đề nghị.")
    _body(doc, "{{ issuer_name }} kính trình {{ recipient }} xem xét, tặng {{ award_form }} cho "
               "{{ counts }} (có danh sách và hồ sơ kèm theo) đã có thành tích xuất sắc trong "
               "{{ movement }}.")
    _body(doc, "Kính trình {{ recipient }} xem xét, quyết định./.")
    _sign(doc, ["- Như trên;", "- Lưu: VT, NV."])
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân đề nghị tặng {{ award_form }}",
           note="(Kèm theo Tờ trình số {{ number_label }} ngày {{ date_short }})")
    _list(doc, "i in items", [("STT", "{{ i.order }}", 12),
                              ("Họ và tên / Tên tập thể", "{{ i.name }}", 43),
                              ("Chức vụ, đơn vị", "{{ i.where }}", 43),
                              ("Tóm tắt thành tích", "{{ i.achievements }}", 67)])
    return doc


def _page() -> Document:
    """A4, Decree 30 margins, Times New Roman 14 pt; page numbers from page 2, at the top."""
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    # Vietnamese for the editor's spelling and hyphenation, not the template's English.
    style.element.get_or_add_rPr().append(_element("w:lang", val="vi-VN"))
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(6)
    _page_numbers(section)
    return doc


def _page_numbers(section) -> None:
    """The page number, centred in the top margin in the body's font, on every page but the
    first (Decree 30/2020, Annex I)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = _element("w:fldSimple", instr="PAGE")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    props.append(_element("w:sz", val=26))  # 13 pt
    run.append(props)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _heading(doc) -> None:
    """The two-column heading: issuing body, its rule and number | national motto, its rule,
    place and date."""
    header = doc.add_table(rows=1, cols=2)
    _fixed(header, HEAD_COLUMNS_MM)
    left, right = (_cell_start(c) for c in header.rows[0].cells)
    _para(left, "{{ issuer_upper_1 }}", size=13, align=CENTER, after=0)
    _tag(left, "{%p if issuer_upper_2 %}")
    _para(left, "{{ issuer_upper_2 }}", bold=True, size=13, align=CENTER, after=0)
    _tag(left, "{%p endif %}")
    _rule(left, ISSUER_RULE_MM, HEAD_COLUMNS_MM[0])
    _para(left, "Số: {{ number_label }}", size=13, align=CENTER, after=0)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=CENTER,
          after=0)
    _para(right, MOTTO, bold=True, size=13, align=CENTER, after=0)
    _rule(right, _motto_width_mm(), HEAD_COLUMNS_MM[1])
    _para(right, "{{ place }}, {{ date_words }}", italic=True, size=14, align=CENTER, after=0)


def _title(doc, *lines) -> None:
    _para(doc, lines[0], bold=True, align=CENTER, before=18, after=0)
    for line in lines[1:]:
        _para(doc, line, bold=True, align=CENTER, after=0)


def _authority(doc) -> None:
    """"CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ …": who decides, above the grounds."""
    _para(doc, "{{ authority_upper }}", bold=True, align=CENTER, before=12, after=12)


def _decides(doc) -> None:
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, before=6, after=12)


def _recipient(doc, field="recipient") -> None:
    _para(doc, "Kính gửi: {{ " + field + " }}.", align=CENTER, before=12, after=12)


def _body(doc, text, **kwargs):
    paragraph = _para(doc, text, indent=True, **kwargs)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _tag(doc, tag: str) -> None:
    """A paragraph holding only a docxtpl {%p %} tag: it disappears when rendered."""
    doc.add_paragraph(tag)


def _each(doc, loop: str, text: str, **kwargs) -> None:
    """One indented paragraph per element."""
    _tag(doc, f"{{%p for {loop} %}}")
    _body(doc, text, **kwargs)
    _tag(doc, "{%p endfor %}")


def _when(doc, condition: str, text: str, otherwise: str | None = None, **kwargs) -> None:
    _tag(doc, f"{{%p if {condition} %}}")
    _body(doc, text, **kwargs)
    if otherwise is not None:
        _tag(doc, "{%p else %}")
        _body(doc, otherwise, **kwargs)
    _tag(doc, "{%p endif %}")


def _row_flag(row, flag: str) -> None:
    row._tr.get_or_add_trPr().append(_element(f"w:{flag}"))


def _list(doc, loop: str, columns: list[tuple[str, str, float]], size=12,
          numbered=True) -> None:
    """A bordered table with a header row repeated on every page and one row per element of
    ``loop`` that is never split across pages; ``columns`` are (header, cell template, width in
    mm); the first column, when ``numbered``, is the row's number. The PDF's table has the same
    widths and padding."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed(table, [width for _h, _c, width in columns], margins=(2, 4))
    _row_flag(table.rows[0], "tblHeader")
    _row_flag(table.rows[0], "cantSplit")
    _row_flag(table.rows[2], "cantSplit")
    for cell, (header, _c, _w) in zip(table.rows[0].cells, columns, strict=True):
        _para(_cell_start(cell), header, bold=True, size=size, align=CENTER, after=0)
    _para(_cell_start(table.rows[1].cells[0]), f"{{%tr for {loop} %}}", size=size, after=0)
    for n, (cell, (_h, template, _w)) in enumerate(zip(table.rows[2].cells, columns,
                                                         strict=True)):
        # The first column is the row's number: centred, as in the PDF.
        _para(_cell_start(cell), template, size=size,
              align=CENTER if n == 0 and numbered else None, after=0)
    _para(_cell_start(table.rows[3].cells[0]), "{%tr endfor %}", size=size, after=0)
    for row in (table.rows[1], table.rows[3]):
        for cell in row.cells[1:]:
            _para(_cell_start(cell), "", size=size, after=0)


SIGNER = ("{{ capacity }}", "{{ signer_title }}", "{{ signer_name }}")


def _sign(doc, recipients: list[str] | None, right=SIGNER, left=None) -> None:
    """The signature block: "Nơi nhận" (or a second signer) on the left, the signer on the
    right — their capacity (TM./KT.) and title on lines of their own, the name below the room
    for the signature. An empty capacity prints no line."""
    _para(doc, "", size=11, after=0)
    sign = doc.add_table(rows=1, cols=2)
    _fixed(sign, HEAD_COLUMNS_MM)
    _row_flag(sign.rows[0], "cantSplit")  # the title never stands on one page, the name on the next
    cell_left, cell_right = (_cell_start(c) for c in sign.rows[0].cells)
    if recipients is not None:
        _para(cell_left, "Nơi nhận:", bold=True, italic=True, size=12, after=0)
        for line in recipients:
            _para(cell_left, line, size=11, after=0)
    for cell, lines in [(cell_left, left), (cell_right, right)]:
        if not lines:
            continue
        for line in lines[:-1]:
            if line == "{{ capacity }}":
                _tag(cell, "{%p if capacity %}")
                _para(cell, line, bold=True, align=CENTER, after=0)
                _tag(cell, "{%p endif %}")
            else:
                _para(cell, line, bold=True, align=CENTER, after=0)
        name = _para(cell, lines[-1], bold=True, align=CENTER, after=0)
        name.paragraph_format.space_before = SIGNATURE_SPACE
    if recipients is None and not left:
        _para(cell_left, "", after=0)


def _annex(doc, *lines, note: str) -> None:
    """The annexed list on a new page (a paragraph that starts the page, as the PDF's
    page-break-before does)."""
    first = _para(doc, lines[0], bold=True, align=CENTER, after=0)
    first.paragraph_format.page_break_before = True
    for line in lines[1:]:
        _para(doc, line, bold=True, align=CENTER, after=0)
    _para(doc, note, italic=True, align=CENTER, after=6)


def unit_proposal_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị tặng {{ award_form }}")
    _recipient(doc)
    _each(doc, "line in grounds", "{{ line }}")
    _body(doc, "{{ unit_name }} kính trình {{ recipient }} xem xét, tặng {{ award_form }} cho "
               "{{ counts }} (có danh sách kèm theo) đã có thành tích xuất sắc trong "
               "{{ movement_lower }}.")
    _body(doc, "Hồ sơ đề nghị khen thưởng được gửi qua {{ receiving_office }}.")
    _body(doc, "Kính trình {{ recipient }} xem xét, quyết định./.")
    _sign(doc, ["- Như trên;", "- {{ receiving_office }};", "- Lưu: VT."])
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân đề nghị tặng {{ award_form }}",
           note="(Kèm theo Tờ trình số {{ number_label }} {{ date_words }} của {{ unit_name }})")
    _list(doc, "n in nominees", [("STT", "{{ n.order }}", 12),
                                 ("Họ và tên / Tên tập thể", "{{ n.name }}", 43),
                                 ("Chức vụ, đơn vị công tác", "{{ n.where }}", 43),
                                 ("Tóm tắt thành tích", "{{ n.achievements }}", 67)])
    return doc


def return_notice_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "THÔNG BÁO", "Về việc trả hồ sơ đề nghị khen thưởng để bổ sung, hoàn thiện")
    _recipient(doc, "unit_name")
    _body(doc, "{% if submitted_on %}Ngày {{ submitted_on }}, {% endif %}{{ office_name }} nhận "
               "được hồ sơ đề nghị tặng {{ award_form }} cho {{ counts }} của {{ unit_name }} "
               "(hồ sơ số {{ dossier_number }}, trình lần thứ {{ round }}) trong "
               "{{ movement_lower }}.")
    _body(doc, "Qua kiểm tra, hồ sơ chưa đầy đủ, hợp lệ theo quy định. {{ office_name }} trả lại "
               "hồ sơ và đề nghị {{ unit_name }} bổ sung, hoàn thiện các nội dung sau:")
    _each(doc, "d in deficiencies", "{{ d.order }}. {{ d.item }}: {{ d.message }}")
    _body(doc, "Hồ sơ sau khi bổ sung, hoàn thiện đề nghị gửi lại {{ office_name }} trước ngày "
               "…… tháng …… năm …… để tổng hợp, trình Ban Chỉ đạo xem xét. Thời hạn giải quyết "
               "hồ sơ được tính lại từ ngày nhận đủ hồ sơ hợp lệ.")
    _body(doc, "{{ office_name }} thông báo để {{ unit_name }} biết, thực hiện./.")
    _sign(doc, ["- Như trên;", "- Lưu: VT."])
    return doc


def committee_proposal_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị xét khen thưởng trong {{ movement_lower }}")
    _recipient(doc)
    _each(doc, "line in grounds", "{{ line }}")
    _body(doc, "Ban Chỉ đạo đã họp xét {{ dossier_count }} hồ sơ đề nghị khen thưởng của "
               "{{ unit_count }} cơ quan, đơn vị, gồm {{ counts_all }}. Kết quả: đề nghị khen "
               "thưởng: {{ counts_proposed }}; không đề nghị khen thưởng: {{ counts_declined }}.")
    _when(doc, "proposed", "Ban Chỉ đạo kính trình {{ recipient }} (qua {{ through }}) xem xét, đề "
                           "nghị khen thưởng cho {{ counts_proposed }} (có danh sách kèm theo), cụ "
                           "thể:")
    _each(doc, "f in by_form", "- {{ f.form }}: {{ f.counts }};")
    _when(doc, "declined", "Các trường hợp không đề nghị khen thưởng:")
    _each(doc, "d in declined", "- {{ d.name }} ({{ d.unit }}): {{ d.reason }};")
    _body(doc, "Kính trình Hội đồng xem xét./.")
    _sign(doc, ["- Như trên;", "- {{ through }};", "- Lưu: VT, BCĐ."])
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân được Ban Chỉ đạo đề nghị khen thưởng",
           note="(Kèm theo Tờ trình số {{ number_label }} ngày {{ date_short }} của Ban Chỉ đạo)")
    _list(doc, "p in proposed", [("STT", "{{ p.order }}", 12),
                                 ("Họ và tên / Tên tập thể", "{{ p.name }}", 42),
                                 ("Chức vụ, đơn vị công tác", "{{ p.where }}", 40),
                                 ("Đơn vị đề nghị", "{{ p.unit }}", 35),
                                 ("Hình thức đề nghị", "{{ p.form }}", 36)])
    return doc


def _people(doc, minutes_of: str) -> None:
    _body(doc, "Vào hồi {{ time_words }}, tại {{ place_of_meeting }}, " + minutes_of
          + " họp xét đề nghị khen thưởng trong {{ movement_lower }}.", before=12)
    _body(doc, "I. THÀNH PHẦN", bold=True)
    _body(doc, "- Chủ trì: {{ chair }}.")
    _body(doc, "- Thư ký: {{ secretary }}.")


def _closing(doc, words: str) -> None:
    _each(doc, "line in notes", "{{ line }}")
    _body(doc, words + " kết thúc vào hồi {{ closed_words }}. Biên bản đã được thông qua tại "
          + words.lower() + "./.")
    _when(doc, "revision_reason",
          "(Biên bản điều chỉnh lần {{ revision }}: {{ revision_reason }})", italic=True)
    _sign(doc, None, ["CHỦ TRÌ", "{{ chair }}"], left=["THƯ KÝ", "{{ secretary }}"])


def committee_minutes_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "BIÊN BẢN", "Họp xét đề nghị khen thưởng của Ban Chỉ đạo")
    _people(doc, "Ban Chỉ đạo")
    _when(doc, "members", "- Thành viên dự họp:")
    _each(doc, "m in members", "+ {{ m.name }} ({{ m.role }}): {{ m.attendance }};")
    _body(doc, "II. NỘI DUNG", bold=True)
    _body(doc, "Ban Chỉ đạo xem xét hồ sơ đề nghị khen thưởng của từng tập thể, cá nhân và kết "
               "luận như sau:")
    _list(doc, "i in items", [("STT", "{{ i.order }}", 12),
                              ("Họ và tên / Tên tập thể", "{{ i.name }}", 46),
                              ("Đơn vị đề nghị", "{{ i.unit }}", 35),
                              ("Hình thức đề nghị", "{{ i.form }}", 35),
                              ("Kết luận", "{{ i.verdict }}", 37)])
    _each(doc, "line in remarks", "{{ line }}", before=6)
    _body(doc, "III. KẾT LUẬN", bold=True)
    _when(doc, "adjourned", "Phiên họp hoãn, Ban Chỉ đạo chưa kết luận.",
          otherwise="Ban Chỉ đạo thống nhất: đề nghị khen thưởng: {{ counts_proposed }}; không "
                    "đề nghị khen thưởng: {{ counts_declined }}.")
    _closing(doc, "Cuộc họp")
    return doc


def council_minutes_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "BIÊN BẢN", "Họp Hội đồng Thi đua - Khen thưởng {{ city }}")
    _people(doc, "Hội đồng Thi đua - Khen thưởng {{ city }}")
    _body(doc, "- Thành viên Hội đồng: tổng số {{ total }}; có mặt {{ present }}; vắng mặt "
               "{{ absent }}{% if written %} (gửi phiếu bằng văn bản: {{ written }}){% endif %}.")
    _list(doc, "m in members", [("Họ và tên", "{{ m.name }}", 65),
                                ("Chức danh", "{{ m.role }}", 50),
                                ("Tham dự", "{{ m.attendance }}", 50)], numbered=False)
    _body(doc, "{{ quorum_text }}", before=6)
    _body(doc, "II. NỘI DUNG VÀ KẾT QUẢ BỎ PHIẾU", bold=True)
    _body(doc, "Hội đồng xem xét hồ sơ của từng tập thể, cá nhân và biểu quyết bằng phiếu kín. Kết "
               "quả kiểm phiếu (tỷ lệ tính trên số thành viên làm căn cứ theo quy định của từng "
               "hình thức khen thưởng):")
    _list(doc, "i in items", [("STT", "{{ i.order }}", 11),
                              ("Họ và tên / Tên tập thể", "{{ i.name }} – {{ i.unit }}", 43),
                              ("Hình thức đề nghị", "{{ i.form }}", 31),
                              ("Đồng ý", "{{ i.agree }} ({{ i.agree_percent }})", 18),
                              ("Không đồng ý", "{{ i.disagree }} ({{ i.disagree_percent }})", 18),
                              ("Không biểu quyết", "{{ i.abstain }} ({{ i.abstain_percent }})", 18),
                              ("Kết quả", "{{ i.result }} ({{ i.agree }}/{{ i.base }}, cần "
                                          "{{ i.needed }})", 26)], size=11)
    _body(doc, "Tỷ lệ phiếu đồng ý cần đạt:", before=6)
    _each(doc, "r in rules", "- {{ r.form }}: {{ r.rule }};")
    _each(doc, "line in remarks", "{{ line }}")
    _body(doc, "III. KẾT LUẬN", bold=True)
    _when(doc, "adjourned", "Phiên họp hoãn, Hội đồng chưa biểu quyết xong.",
          otherwise="Căn cứ kết quả bỏ phiếu, Hội đồng thống nhất: đạt tỷ lệ phiếu đề nghị khen "
                    "thưởng: {{ counts_passed }}; không đạt: {{ counts_failed }}.")
    _closing(doc, "Phiên họp")
    return doc


# --- the movement's summary report (báo cáo tổng kết) ------------------------------------------

# What the office writes itself: in square brackets and highlighted, so none is left by mistake.
CRITERION_PLACEHOLDER = ("[Nhận xét kết quả thực hiện tiêu chí: mặt làm được, chưa làm được, "
                         "nguyên nhân…]")
ASSESSMENT_PLACEHOLDERS = [
    "[Đánh giá chung: những kết quả nổi bật của phong trào, tác động đến việc thực hiện nhiệm vụ "
    "chính trị của cơ quan, đơn vị…]",
    "[Hạn chế, khó khăn và nguyên nhân…]",
    "[Bài học kinh nghiệm…]",
]
PROPOSAL_PLACEHOLDERS = [
    "[Đề xuất, kiến nghị với cấp trên…]",
    "[Phương hướng, nhiệm vụ trong thời gian tới…]",
]


def _placeholder(doc, text: str) -> None:
    paragraph = _body(doc, "")
    run = paragraph.add_run(text)
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _picture(doc, name: str) -> None:
    """A chart, centred, when the context has one (a list with no figures has none)."""
    _tag(doc, f"{{%p if {name} %}}")
    _para(doc, f"{{{{ {name} }}}}", align=CENTER)
    _tag(doc, "{%p endif %}")


def _figures(doc, loop: str, columns: list[tuple[str, str, float, object]],
             total: list[str] | None = None, size=12) -> None:
    """A bordered table of figures: a header row repeated on every page, one row per element of
    ``loop`` never split across pages, then a bold ``total`` row; ``columns`` are (header, cell
    template, width in mm, alignment: figures are set right)."""
    table = doc.add_table(rows=5 if total else 4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed(table, [width for _h, _c, width, _a in columns], margins=(2, 4))
    _row_flag(table.rows[0], "tblHeader")
    for row in table.rows[2:]:
        _row_flag(row, "cantSplit")
    for cell, (header, _c, _w, _a) in zip(table.rows[0].cells, columns, strict=True):
        _para(_cell_start(cell), header, bold=True, size=size, align=CENTER, after=0)
    _para(_cell_start(table.rows[1].cells[0]), f"{{%tr for {loop} %}}", size=size, after=0)
    _para(_cell_start(table.rows[3].cells[0]), "{%tr endfor %}", size=size, after=0)
    for row in (table.rows[1], table.rows[3]):
        for cell in row.cells[1:]:
            _para(_cell_start(cell), "", size=size, after=0)
    for cell, (_h, template, _w, align) in zip(table.rows[2].cells, columns, strict=True):
        _para(_cell_start(cell), template, size=size, align=align, after=0)
    if total:
        for cell, text, (_h, _c, _w, align) in zip(table.rows[4].cells, total, columns,
                                                   strict=True):
            _para(_cell_start(cell), text, bold=True, size=size, align=align, after=0)
    _para(doc, "", size=11, after=0)


def _awards(doc, name: str, label: str) -> None:
    """A statistic of the dashboard as it shows it: its rows, total and note, then its chart."""
    _tag(doc, f"{{%p if {name}.rows %}}")
    _figures(doc, f"a in {name}.rows",
             [(label, "{{ a.label }}", 90, None), ("Tập thể", "{{ a.collectives }}", 25, RIGHT),
              ("Cá nhân", "{{ a.individuals }}", 25, RIGHT), ("Tổng", "{{ a.total }}", 25, RIGHT)],
             total=[f"{{{{ {name}.total.{part} }}}}"
                    for part in ("label", "collectives", "individuals", "total")])
    _tag(doc, f"{{%p if {name}.note %}}")
    _para(doc, f"{{{{ {name}.note }}}}", italic=True, size=12)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p else %}")
    _body(doc, "Chưa có khen thưởng nào được ghi vào sổ trong phong trào.")
    _tag(doc, "{%p endif %}")
    _picture(doc, f"{name}.chart")


def summary_report_template() -> Document:
    """Báo cáo tổng kết phong trào thi đua: the organisation of the movement, the results per
    criterion from the units' accepted final reports, the awards, each with its chart; the
    assessment and proposals are highlighted placeholders the office overwrites."""
    doc = _page()
    _heading(doc)
    _para(doc, "BÁO CÁO", bold=True, align=CENTER, before=18, after=0)
    _para(doc, "{{ title }}", bold=True, align=CENTER, after=12)
    _body(doc, "Thực hiện {{ plan }} của {{ issuer_name }} phát động {{ movement_lower }}, "
               "{{ issuer_name }} báo cáo tổng kết phong trào như sau:")

    _para(doc, "I. CÔNG TÁC TỔ CHỨC PHONG TRÀO", bold=True, before=6)
    _body(doc, "Phong trào được phát động ngày {{ launched_on }}{% if ends_on %}, kết thúc ngày "
               "{{ ends_on }}{% endif %}, với {{ participants }} đơn vị tham gia.")
    _when(doc, "content_areas", "Nội dung thi đua: {{ content_areas|join('; ') }}.")
    _figures(doc, "o in organisation_rows",
             [("Nội dung", "{{ o.label }}", 115, None), ("Số đơn vị", "{{ o.units }}", 25, RIGHT),
              ("Tỷ lệ (%)", "{{ o.share }}", 25, RIGHT)])
    _picture(doc, "organisation_chart")

    _para(doc, "II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ THI ĐUA", bold=True, before=6)
    _when(doc, "reports_accepted",
          "Tổng hợp từ {{ reports_accepted }} báo cáo tổng kết của các đơn vị đã được tiếp nhận "
          "({{ final_periods }}).",
          otherwise="Chưa có báo cáo tổng kết nào của các đơn vị được tiếp nhận; các bảng dưới đây "
                    "chưa có số liệu.")
    _tag(doc, "{%p for c in criteria %}")
    _para(doc, "{{ c.order }}. Tiêu chí {{ c.code }}: {{ c.title }}", bold=True, italic=True,
          before=6)
    _body(doc, "Đối tượng: {{ c.aimed_at }}. Số đơn vị đăng ký thực hiện: {{ c.committed }}; số "
               "đơn vị báo cáo kết quả: {{ c.reported }}.")
    _tag(doc, "{%p if c.rows %}")
    _figures(doc, "r in c.rows",
             [("STT", "{{ r.order }}", 12, CENTER), ("Đơn vị", "{{ r.unit }}", 40, None),
              ("Kết quả thực hiện", "{{ r.done }}", 60, None),
              ("Số liệu", "{{ r.figure }}", 22, RIGHT), ("Ghi chú", "{{ r.note }}", 31, None)],
             total=["", "Tổng cộng", "", "{{ c.total }}", ""])
    _picture(doc, "c.chart")
    _tag(doc, "{%p endif %}")
    _placeholder(doc, CRITERION_PLACEHOLDER)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if unit_summaries %}")
    _para(doc, "Đánh giá của các đơn vị:", italic=True, before=6)
    _each(doc, "u in unit_summaries", "- {{ u.unit }}: {{ u.text }}")
    _tag(doc, "{%p endif %}")

    _para(doc, "III. CÔNG TÁC KHEN THƯỞNG", bold=True, before=6)
    _para(doc, "1. Khen thưởng theo hình thức", bold=True, italic=True)
    _awards(doc, "awards_by_form", "Hình thức")
    _para(doc, "2. Khen thưởng theo đơn vị", bold=True, italic=True)
    _awards(doc, "awards_by_unit", "Đơn vị")

    _para(doc, "IV. ĐÁNH GIÁ CHUNG", bold=True, before=6)
    _each(doc, "k in conclusions",
          "Kết luận {{ k.round }}{% if k.date %} ngày {{ k.date }}{% endif %}: {{ k.text }}")
    for text in ASSESSMENT_PLACEHOLDERS:
        _placeholder(doc, text)
    _para(doc, "V. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, before=6)
    for text in PROPOSAL_PLACEHOLDERS:
        _placeholder(doc, text)
    _body(doc, "Trên đây là báo cáo tổng kết {{ movement_lower }} của {{ issuer_name }}./.")
    _sign(doc, ["- Hội đồng Thi đua - Khen thưởng;", "- Các đơn vị tham gia phong trào;",
                "- Lưu: VT."])
    return doc


BUILDERS = {
    "decision": decision_template,
    "upward_proposal": upward_proposal_template,
    "amendment": amendment_template,
    "unit_proposal": unit_proposal_template,
    "return_notice": return_notice_template,
    "committee_proposal": committee_proposal_template,
    "committee_minutes": committee_minutes_template,
    "council_minutes": council_minutes_template,
    "summary_report": summary_report_template,
}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def save(doc: Document, path: Path) -> bool:
    """Write ``doc`` unless the committed file already holds the same parts: a .docx is a zip
    stamped with the time it was written, and rebuilding must not churn files nobody changed."""
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    if path.exists() and _parts(path.read_bytes()) == _parts(data):
        return False
    path.write_bytes(data)
    return True


def main():
    OUT.mkdir(exist_ok=True)
    for key, build in BUILDERS.items():
        path = OUT / f"{key}.docx"
        print(f"{'wrote' if save(build(), path) else 'unchanged'} {path}")


if __name__ == "__main__":
    main()
