"""Builds the default DOCX templates shipped in ``default_templates/`` (run once, output committed).

    .venv/bin/python -m thidua.documents.build_templates

Administrators replace a template per organisation through the admin (DocumentTemplate); a
replacement must use the same {{ fields }} as these.
"""

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

OUT = Path(__file__).parent / "default_templates"


def _para(doc_or_cell, text, *, bold=False, italic=False, size=14, align=None, indent=False):
    paragraph = doc_or_cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    return paragraph


def _closing_article(doc) -> None:
    """Điều 3 of a decision and its signature block, the same in every decision."""
    _body(doc, "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị và các tập "
               "thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.")
    _sign(doc, ["- Như Điều 3;", "- Lưu: VT, NV."],
          ["{{ capacity }}", "{{ signer_title }}", "{{ signer_name }}"])


def decision_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "QUYẾT ĐỊNH", "Về việc tặng {{ award_form }}", "{{ authority_upper }}")
    _para(doc, "{% for line in grounds %}{{ line }}\n{% endfor %}", italic=True, indent=True)
    _title(doc, "QUYẾT ĐỊNH:")
    _body(doc, "Điều 1. Tặng {{ award_form }} cho {{ counts }} (có danh sách kèm theo) đã có "
               "thành tích xuất sắc trong {{ movement }}.")
    _body(doc, "Điều 2. Kèm theo {{ award_form }} là tiền thưởng theo quy định; tổng số tiền: "
               "{{ total_cash }} đồng.")
    _closing_article(doc)
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân được tặng {{ award_form }}",
           note="(Kèm theo Quyết định số {{ number_label }} ngày {{ date_short }})")
    _list(doc, "a in awards", [("STT", "{{ a.order }}", 1.1),
                               ("Họ và tên / Tên tập thể", "{{ a.name }}", 3.6),
                               ("Chức vụ, đơn vị", "{{ a.where }}", 3.9),
                               ("Thành tích", "{{ a.citation }}", 5.0),
                               ("Tiền thưởng (đồng)", "{{ a.cash }}", 2.6)])
    return doc


def amendment_template() -> Document:
    """Quyết định sửa đổi: corrects lines of an issued decision, with the old and new text."""
    doc = _page()
    _heading(doc)
    _title(doc, "QUYẾT ĐỊNH", "Về việc sửa đổi Quyết định số {{ original_number }} ngày "
                              "{{ original_date }} về việc tặng {{ award_form }}",
           "{{ authority_upper }}")
    _para(doc, "{% for line in grounds %}{{ line }}\n{% endfor %}", italic=True, indent=True)
    _title(doc, "QUYẾT ĐỊNH:")
    _body(doc, "Điều 1. Sửa đổi Quyết định số {{ original_number }} ngày {{ original_date }} của "
               "{{ original_issuer }} về việc tặng {{ award_form }} đối với {{ counts }} như sau "
               "(có danh sách kèm theo).")
    _body(doc, "Điều 2. Các nội dung khác của Quyết định số {{ original_number }} giữ nguyên. "
               "Giấy khen đã cấp theo nội dung cũ được thu hồi và cấp lại theo Quyết định này.")
    _closing_article(doc)
    _annex(doc, "DANH SÁCH", "Nội dung sửa đổi Quyết định số {{ original_number }} ngày "
                             "{{ original_date }}",
           note="(Kèm theo Quyết định số {{ number_label }} ngày {{ date_short }})")
    _list(doc, "l in lines", [("STT", "{{ l.order }}", 1.2),
                              ("Đã ghi tại Quyết định số {{ original_number }}",
                               "{{ l.was_text }}", 7.2),
                              ("Nay sửa lại là", "{{ l.now_text }}", 7.2)])
    return doc


def upward_proposal_template() -> Document:
    """Tờ trình đề nghị cấp trên khen thưởng, with the list as an annex."""
    doc = _page()
    _heading(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị tặng {{ award_form }}")
    _para(doc, "Kính gửi: {{ recipient }}.", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{% for line in grounds %}{{ line }}\n{% endfor %}", italic=True, indent=True)
    _body(doc, "Qua {{ movement }}, {{ issuer_name }} đã tổ chức xét chọn theo đúng quy trình; "
               "Hội đồng Thi đua - Khen thưởng đã họp xét và thống nhất đề nghị.")
    _body(doc, "{{ issuer_name }} kính trình {{ recipient }} xem xét, tặng {{ award_form }} cho "
               "{{ counts }} (có danh sách và hồ sơ kèm theo) đã có thành tích xuất sắc trong "
               "{{ movement }}.")
    _body(doc, "Kính trình {{ recipient }} xem xét, quyết định./.")
    _sign(doc, ["- Như trên;", "- Lưu: VT, NV."],
          ["{{ capacity }}", "{{ signer_title }}", "{{ signer_name }}"])
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân đề nghị tặng {{ award_form }}",
           note="(Kèm theo Tờ trình số {{ number_label }} ngày {{ date_short }})")
    _list(doc, "i in items", [("STT", "{{ i.order }}", 1.2),
                              ("Họ và tên / Tên tập thể", "{{ i.name }}", 4.3),
                              ("Chức vụ, đơn vị", "{{ i.where }}", 4.3),
                              ("Tóm tắt thành tích", "{{ i.achievements }}", 6.7)])
    return doc


def _page() -> Document:
    """A4, Decree 30 margins, Times New Roman 14 pt."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    style.paragraph_format.space_after = Pt(4)
    return doc


def _heading(doc) -> None:
    """The two-column heading: issuing body and number | national motto, place and date."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.6), Cm(9.9)
    _para(left, "{{ issuer_upper_1 }}", size=13, align=center)
    _para(left, "{{ issuer_upper_2 }}", bold=True, size=13, align=center)
    _para(left, "Số: {{ number_label }}", size=13, align=center)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=center)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=center)
    _para(right, "{{ place }}, {{ date_words }}", italic=True, size=14, align=center)


def _title(doc, *lines) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = _para(doc, lines[0], bold=True, align=center)
    first.paragraph_format.space_before = Pt(12)
    for line in lines[1:]:
        _para(doc, line, bold=True, align=center)


def _body(doc, text, **kwargs):
    paragraph = _para(doc, text, indent=True, **kwargs)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _each(doc, loop: str, text: str) -> None:
    """One indented paragraph per element: docxtpl's {%p %} tags stand in paragraphs of their
    own and disappear when rendered."""
    doc.add_paragraph(f"{{%p for {loop} %}}")
    _body(doc, text)
    doc.add_paragraph("{%p endfor %}")


def _when(doc, condition: str, text: str, otherwise: str | None = None) -> None:
    doc.add_paragraph(f"{{%p if {condition} %}}")
    _body(doc, text)
    if otherwise is not None:
        doc.add_paragraph("{%p else %}")
        _body(doc, otherwise)
    doc.add_paragraph("{%p endif %}")


def _list(doc, loop: str, columns: list[tuple[str, str, float]], size=12) -> None:
    """A bordered table with a header row and one row per element of ``loop``;
    ``columns`` are (header, cell template, width in cm)."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, (_h, _c, width) in zip(row.cells, columns, strict=True):
            cell.width = Cm(width)
    for cell, (header, _c, _w) in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold, run.font.size = True, Pt(size)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, (_h, template, _w) in zip(table.rows[2].cells, columns, strict=True):
        run = cell.paragraphs[0].add_run(template)
        run.font.size = Pt(size)
    table.rows[3].cells[0].text = "{%tr endfor %}"


def _sign(doc, recipients: list[str] | None, right: list[str], left: list[str] | None = None):
    """The signature block: "Nơi nhận" (or a second signer) on the left, the signer on the
    right; the last line of each signer is the name, three blank lines below the title."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    sign = doc.add_table(rows=1, cols=2)
    cell_left, cell_right = sign.rows[0].cells
    if recipients is not None:
        _para(cell_left, "Nơi nhận:", bold=True, italic=True, size=12)
        _para(cell_left, "\n".join(recipients), size=11)
    for cell, lines in [(cell_left, left), (cell_right, right)]:
        if not lines:
            continue
        for line in lines[:-1]:
            _para(cell, line, bold=True, align=center)
        _para(cell, "\n\n\n" + lines[-1], bold=True, align=center)


def _annex(doc, *lines, note: str) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()
    for line in lines:
        _para(doc, line, bold=True, align=center)
    _para(doc, note, italic=True, align=center)


def unit_proposal_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị tặng {{ award_form }}")
    _para(doc, "Kính gửi: {{ recipient }}.", align=WD_ALIGN_PARAGRAPH.CENTER)
    _each(doc, "line in grounds", "{{ line }}")
    _body(doc, "{{ unit_name }} kính trình {{ recipient }} xem xét, tặng {{ award_form }} cho "
               "{{ counts }} (có danh sách kèm theo) đã có thành tích xuất sắc trong "
               "{{ movement_lower }}.")
    _body(doc, "Hồ sơ đề nghị khen thưởng được gửi qua {{ receiving_office }}.")
    _body(doc, "Kính trình {{ recipient }} xem xét, quyết định./.")
    _sign(doc, ["- Như trên;", "- {{ receiving_office }};", "- Lưu: VT."],
          ["{{ capacity }}", "{{ signer_title }}", "{{ signer_name }}"])
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân đề nghị tặng {{ award_form }}",
           note="(Kèm theo Tờ trình số {{ number_label }} {{ date_words }} của {{ unit_name }})")
    _list(doc, "n in nominees", [("STT", "{{ n.order }}", 1.2),
                                 ("Họ và tên / Tên tập thể", "{{ n.name }}", 4.3),
                                 ("Chức vụ, đơn vị công tác", "{{ n.where }}", 4.3),
                                 ("Tóm tắt thành tích", "{{ n.achievements }}", 6.7)])
    return doc


def return_notice_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "THÔNG BÁO", "Về việc trả hồ sơ đề nghị khen thưởng để bổ sung, hoàn thiện")
    _para(doc, "Kính gửi: {{ unit_name }}.", align=WD_ALIGN_PARAGRAPH.CENTER)
    _body(doc, "Ngày {{ submitted_on }}, {{ office_name }} nhận được hồ sơ đề nghị tặng "
               "{{ award_form }} cho {{ counts }} của {{ unit_name }} (hồ sơ số "
               "{{ dossier_number }}, trình lần thứ {{ round }}) trong {{ movement_lower }}.")
    _body(doc, "Qua kiểm tra, hồ sơ chưa đầy đủ, hợp lệ theo quy định. {{ office_name }} trả lại "
               "hồ sơ và đề nghị {{ unit_name }} bổ sung, hoàn thiện các nội dung sau:")
    _each(doc, "d in deficiencies", "{{ d.order }}. {{ d.item }}: {{ d.message }}")
    _body(doc, "Hồ sơ sau khi bổ sung, hoàn thiện đề nghị gửi lại {{ office_name }} trước ngày "
               "…… tháng …… năm …… để tổng hợp, trình Ban Chỉ đạo xem xét. Thời hạn giải quyết "
               "hồ sơ được tính lại từ ngày nhận đủ hồ sơ hợp lệ.")
    _body(doc, "{{ office_name }} thông báo để {{ unit_name }} biết, thực hiện./.")
    _sign(doc, ["- Như trên;", "- Lưu: VT."],
          ["{{ capacity }}", "{{ signer_title }}", "{{ signer_name }}"])
    return doc


def committee_proposal_template() -> Document:
    doc = _page()
    _heading(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị xét khen thưởng trong {{ movement_lower }}")
    _para(doc, "Kính gửi: {{ recipient }}.", align=WD_ALIGN_PARAGRAPH.CENTER)
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
    _sign(doc, ["- Như trên;", "- {{ through }};", "- Lưu: VT, BCĐ."],
          ["{{ capacity }}", "{{ signer_title }}", "{{ signer_name }}"])
    _annex(doc, "DANH SÁCH", "Tập thể, cá nhân được Ban Chỉ đạo đề nghị khen thưởng",
           note="(Kèm theo Tờ trình số {{ number_label }} ngày {{ date_short }} của Ban Chỉ đạo)")
    _list(doc, "p in proposed", [("STT", "{{ p.order }}", 1.2),
                                 ("Họ và tên / Tên tập thể", "{{ p.name }}", 4.2),
                                 ("Chức vụ, đơn vị công tác", "{{ p.where }}", 4.0),
                                 ("Đơn vị đề nghị", "{{ p.unit }}", 3.5),
                                 ("Hình thức đề nghị", "{{ p.form }}", 3.6)])
    return doc


def _people(doc, minutes_of: str) -> None:
    _body(doc, "Vào hồi {{ time_words }}, tại {{ place_of_meeting }}, " + minutes_of
          + " họp xét đề nghị khen thưởng trong {{ movement_lower }}.")
    _body(doc, "I. THÀNH PHẦN", bold=True)
    _body(doc, "- Chủ trì: {{ chair }}.")
    _body(doc, "- Thư ký: {{ secretary }}.")


def _closing(doc, words: str) -> None:
    _each(doc, "line in notes", "{{ line }}")
    _body(doc, words + " kết thúc vào hồi {{ closed_words }}. Biên bản đã được thông qua tại "
          + words.lower() + "./.")
    _when(doc, "revision_reason",
          "(Biên bản điều chỉnh lần {{ revision }}: {{ revision_reason }})")
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
    _list(doc, "i in items", [("STT", "{{ i.order }}", 1.2),
                              ("Họ và tên / Tên tập thể", "{{ i.name }}", 4.6),
                              ("Đơn vị đề nghị", "{{ i.unit }}", 3.5),
                              ("Hình thức đề nghị", "{{ i.form }}", 3.5),
                              ("Kết luận", "{{ i.verdict }}", 3.7)])
    _each(doc, "line in remarks", "{{ line }}")
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
               "{{ absent }} (gửi phiếu bằng văn bản: {{ written }}).")
    _list(doc, "m in members", [("Họ và tên", "{{ m.name }}", 6.5),
                                ("Chức danh", "{{ m.role }}", 5.0),
                                ("Tham dự", "{{ m.attendance }}", 5.0)])
    _body(doc, "{{ quorum_text }}")
    _body(doc, "II. NỘI DUNG VÀ KẾT QUẢ BỎ PHIẾU", bold=True)
    _body(doc, "Hội đồng xem xét hồ sơ của từng tập thể, cá nhân và biểu quyết bằng phiếu kín. Kết "
               "quả kiểm phiếu (tỷ lệ tính trên số thành viên làm căn cứ theo quy định của từng "
               "hình thức khen thưởng):")
    _list(doc, "i in items", [("STT", "{{ i.order }}", 1.0),
                              ("Họ và tên / Tên tập thể", "{{ i.name }} – {{ i.unit }}", 4.2),
                              ("Hình thức đề nghị", "{{ i.form }}", 3.0),
                              ("Đồng ý", "{{ i.agree }} ({{ i.agree_percent }})", 2.1),
                              ("Không đồng ý", "{{ i.disagree }} ({{ i.disagree_percent }})", 2.1),
                              ("Không biểu quyết", "{{ i.abstain }} ({{ i.abstain_percent }})", 2.1),
                              ("Kết quả", "{{ i.result }} ({{ i.agree }}/{{ i.base }}, cần "
                                          "{{ i.needed }})", 2.0)], size=11)
    _body(doc, "Tỷ lệ phiếu đồng ý cần đạt:")
    _each(doc, "r in rules", "- {{ r.form }}: {{ r.rule }};")
    _each(doc, "line in remarks", "{{ line }}")
    _body(doc, "III. KẾT LUẬN", bold=True)
    _when(doc, "adjourned", "Phiên họp hoãn, Hội đồng chưa biểu quyết xong.",
          otherwise="Căn cứ kết quả bỏ phiếu, Hội đồng thống nhất: đạt tỷ lệ phiếu đề nghị khen "
                    "thưởng: {{ counts_passed }}; không đạt: {{ counts_failed }}.")
    _closing(doc, "Phiên họp")
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
