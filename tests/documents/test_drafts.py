"""The drafts as offices edit them (Decree 30/2020, Annex I): a heading whose columns hold in
Word and LibreOffice, rule lines under the issuing body and the motto, "Điều 1." in bold, one
paragraph per legal ground, page numbers from page 2 in the body's font, a numbered and signed
return notice, and a signature block of its own lines."""

import io

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn

from tests import pipeline
from tests.documents.conftest import GROUNDS
from thidua.decisions import actions as decision_actions
from thidua.decisions.models import Award
from thidua.documents.build_templates import BUILDERS
from thidua.documents.fonts import serif
from thidua.documents.render import DEFAULT_TEMPLATES, render_kind_docx, render_pdf
from thidua.nominations.models import Nominee
from thidua.orgs import actions as org_actions
from thidua.orgs.models import User

pytestmark = pytest.mark.django_db

TWIPS_PER_MM = 1440 / 25.4


def docx(data: bytes):
    return Document(io.BytesIO(data))


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_every_table_grid_is_its_cells_widths(kind):
    """The grid LibreOffice lays out by is the cells' own widths (82.5/82.5 mm against 66/99 mm
    wrapped the motto and the date), the layout is fixed and the table as wide as its grid."""
    doc = Document(DEFAULT_TEMPLATES / f"{kind}.docx")
    for table in doc.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
        for row in table.rows:
            assert [int(c._tc.tcPr.tcW.get(qn("w:w"))) for c in row.cells] == grid
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == pytest.approx(
            sum(grid), abs=2)
        assert sum(grid) <= 165 * TWIPS_PER_MM + 2  # within the A4 text width
    heading = [round(w / TWIPS_PER_MM) for w in
               (int(c.get(qn("w:w"))) for c in doc.tables[0]._tbl.tblGrid.gridCol_lst)]
    assert heading == [66, 99]


def test_the_committed_templates_are_what_the_builder_makes():
    from thidua.documents.build_templates import _parts

    for kind, build in BUILDERS.items():
        buf = io.BytesIO()
        build().save(buf)
        assert _parts(buf.getvalue()) == _parts((DEFAULT_TEMPLATES / f"{kind}.docx")
                                                .read_bytes()), kind


def bordered(cell) -> list[int]:
    """Indexes of the cell's paragraphs drawn as a rule (a bottom border)."""
    return [i for i, p in enumerate(cell.paragraphs)
            if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None]


def test_rules_under_the_issuer_and_the_motto_and_bold_articles(decision):
    doc = docx(render_kind_docx("decision", decision))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BẮC KẠN", "",
                                                 "Số: 1234/QĐ-UBND"]
    assert bordered(left) == [2]
    assert [p.text for p in right.paragraphs][:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                      "Độc lập - Tự do - Hạnh phúc"]
    assert bordered(right) == [2]
    articles = [p for p in doc.paragraphs if p.text.startswith("Điều ")]
    assert [p.text[:8] for p in articles] == ["Điều 1. ", "Điều 2. ", "Điều 3. "]
    for n, paragraph in enumerate(articles, start=1):
        first, rest = paragraph.runs[0], paragraph.runs[1]
        assert first.text == f"Điều {n}. " and first.bold and not rest.bold


def test_each_legal_ground_is_its_own_indented_paragraph(decision, upward_proposal):
    expected = GROUNDS.split("\n")
    for kind, obj in [("decision", decision), ("upward_proposal", upward_proposal)]:
        doc = docx(render_kind_docx(kind, obj))
        grounds = [p for p in doc.paragraphs if p.text in expected]
        assert [p.text for p in grounds] == expected, kind
        for paragraph in grounds:
            assert "\n" not in paragraph.text
            assert paragraph.paragraph_format.first_line_indent.mm == pytest.approx(12.7, abs=0.1)
            assert all(run.italic for run in paragraph.runs)
        text = " ".join(pdf_lines(render_pdf(kind, obj)))
        assert all(line in text for line in expected)


def pdf_lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line for page in pdf.pages for line in page.extract_text().splitlines()]


def test_page_numbers_from_page_two_in_the_body_font(long_decision):
    family, _paths = serif()
    with pdfplumber.open(io.BytesIO(render_pdf("decision", long_decision))) as pdf:
        assert len(pdf.pages) > 3
        first_body = min(c["top"] for c in pdf.pages[0].chars)
        assert not [c for c in pdf.pages[0].chars if c["top"] < first_body - 1]
        for number, page in enumerate(pdf.pages[1:4], start=2):
            top = sorted(page.chars, key=lambda c: c["top"])[0]
            assert top["text"] == str(number)[0] and top["top"] < 20 / 25.4 * 72
            assert family.replace(" ", "") in top["fontname"].replace(" ", "")
            assert "DejaVu" not in top["fontname"]
    doc = docx(render_kind_docx("decision", long_decision))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    field = section.header.paragraphs[0]._p.find(qn("w:fldSimple"))
    assert field.get(qn("w:instr")) == "PAGE"
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()


def test_signature_block_capacity_title_and_name_on_lines_of_their_own(decision):
    doc = docx(render_kind_docx("decision", decision))
    signer = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ma Văn Bình"]
    recipients = [p.text for p in doc.tables[1].rows[0].cells[0].paragraphs]
    assert recipients == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, NV."]
    lines = pdf_lines(render_pdf("decision", decision))
    capacity = next(i for i, line in enumerate(lines) if line.endswith("TM. ỦY BAN NHÂN DÂN"))
    title = next(i for i, line in enumerate(lines) if i > capacity and line.endswith("CHỦ TỊCH"))
    name = next(i for i, line in enumerate(lines) if i > title and "Ma Văn Bình" in line)
    assert capacity < title < name


def test_the_return_notice_is_numbered_and_signed_by_the_offices_head(return_notice, movement):
    office = movement.receiving_office
    doc = docx(render_kind_docx("return_notice", return_notice))
    heading = "\n".join(p.text for p in doc.tables[0].rows[0].cells[0].paragraphs)
    assert "Số: ……/TB-VP" in heading and "TB-……" not in heading
    assert [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs] == ["CHÁNH VĂN PHÒNG", ""]
    head = User.objects.create_user("chanhvp", full_name="Lộc Văn Hùng")
    org_actions.grant_role(head, office, "unit_head", title="Chánh Văn phòng")
    doc = docx(render_kind_docx("return_notice", return_notice))
    assert [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs] == [
        "CHÁNH VĂN PHÒNG", "Lộc Văn Hùng"]
    lines = pdf_lines(render_pdf("return_notice", return_notice))
    assert any("Số: ……/TB-VP" in line for line in lines)
    assert "Lộc Văn Hùng" in lines[-1]


def test_the_default_citation_keeps_covid_19_in_capitals(approved, movement, city_certificate,
                                                          personas):
    Nominee.objects.filter(pk__in=[n.pk for n in approved]).update(citation="")
    decision = decision_actions.draft_decision(
        movement=movement, award_form=city_certificate, nominees=approved, number=77,
        issued_on=pipeline.COUNCIL_DAY.date().replace(day=20),
        signer=pipeline.council_people()["chair"], legal_grounds=GROUNDS, by=personas.mai)
    citations = set(Award.objects.filter(decision=decision).values_list("citation", flat=True))
    assert citations == {"Đã có thành tích xuất sắc trong phong trào thi đua phòng, chống dịch "
                         "COVID-19"}
    assert "covid" not in " ".join(pdf_lines(render_pdf("decision", decision)))
