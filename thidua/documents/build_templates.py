"""Builds the default DOCX templates shipped in ``default_templates/`` (run once, output committed).

    .venv/bin/python -m thidua.documents.build_templates

Administrators replace a template per organisation through the admin (DocumentTemplate); a
replacement must use the same {{ fields }} as these.
"""

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


def decision_template() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    center = WD_ALIGN_PARAGRAPH.CENTER

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    _para(left, "{{ issuer_upper_1 }}", size=13, align=center)
    _para(left, "{{ issuer_upper_2 }}", bold=True, size=13, align=center)
    _para(left, "Số: {{ number_label }}", size=13, align=center)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=center)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=center)
    _para(right, "{{ place }}, {{ date_words }}", italic=True, size=14, align=center)

    _para(doc, "QUYẾT ĐỊNH", bold=True, align=center)
    _para(doc, "Về việc tặng {{ award_form }}", bold=True, align=center)
    _para(doc, "{{ authority_upper }}", bold=True, align=center)
    _para(doc, "{% for line in grounds %}{{ line }}\n{% endfor %}", italic=True, indent=True)
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=center)
    _para(doc, "Điều 1. Tặng {{ award_form }} cho {{ counts }} (có danh sách kèm theo) đã có "
               "thành tích xuất sắc trong {{ movement }}.", indent=True)
    _para(doc, "Điều 2. Kèm theo {{ award_form }} là tiền thưởng theo quy định; tổng số tiền: "
               "{{ total_cash }} đồng.", indent=True)
    _para(doc, "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị và các tập "
               "thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
          indent=True)
    sign = doc.add_table(rows=1, cols=2)
    _para(sign.rows[0].cells[0], "Nơi nhận:", bold=True, italic=True, size=12)
    _para(sign.rows[0].cells[0], "- Như Điều 3;\n- Lưu: VT, NV.", size=11)
    _para(sign.rows[0].cells[1], "{{ capacity }}", bold=True, align=center)
    _para(sign.rows[0].cells[1], "{{ signer_title }}", bold=True, align=center)
    _para(sign.rows[0].cells[1], "\n\n\n{{ signer_name }}", bold=True, align=center)

    doc.add_page_break()
    _para(doc, "DANH SÁCH", bold=True, align=center)
    _para(doc, "Tập thể, cá nhân được tặng {{ award_form }}", bold=True, align=center)
    _para(doc, "(Kèm theo Quyết định số {{ number_label }} ngày {{ date_short }})", italic=True,
          align=center)
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ["STT", "Họ và tên / Tên tập thể",
                                                 "Chức vụ, đơn vị", "Tiền thưởng (đồng)"],
                          strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for a in awards %}"
    for cell, text in zip(table.rows[2].cells, ["{{ a.order }}", "{{ a.name }}",
                                                 "{{ a.where }}", "{{ a.cash }}"], strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    return doc


def main():
    OUT.mkdir(exist_ok=True)
    decision_template().save(OUT / "decision.docx")
    print(f"wrote {OUT / 'decision.docx'}")


if __name__ == "__main__":
    main()
