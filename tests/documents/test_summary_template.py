"""The movement's summary report as a document kind (registered by the reports app): its built-in
template, a replacement uploaded in the admin checked against the names its context declares —
loops included —, pictures (charts) in a DOCX template, and no route of its own under /van-ban/.

The report's figures and the job that writes it are tested in tests/reports/test_summary_report.py.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from docx import Document
from docx.shared import Mm
from PIL import Image

from thidua.documents.admin import DocumentTemplateForm
from thidua.documents.build_templates import BUILDERS, _parts
from thidua.documents.context import Picture
from thidua.documents.kinds import get_kind
from thidua.documents.models import DocumentTemplate
from thidua.documents.render import DEFAULT_TEMPLATES, check_template, prepare, render_docx

pytestmark = pytest.mark.django_db

KIND = "summary_report"


def docx_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def built_in(*extra: str):
    """The built-in template with ``extra`` paragraphs at its end."""
    doc = BUILDERS[KIND]()
    for text in extra:
        doc.add_paragraph(text)
    return doc


def form(data: bytes, kind=KIND, organisation=None):
    return DocumentTemplateForm(data={"kind": kind, "organisation": organisation or ""},
                                files={"file": SimpleUploadedFile("mau.docx", data)})


def errors(data: bytes, kind=KIND) -> str:
    checked = form(data, kind)
    assert not checked.is_valid()
    return " ".join(checked.errors["file"])


def test_the_built_in_template_is_the_committed_one_and_passes_its_own_check(demo):
    committed = DEFAULT_TEMPLATES / f"{KIND}.docx"
    # `python -m thidua.documents.build_templates` was run: the file is what the builder makes.
    assert _parts(committed.read_bytes()) == _parts(docx_bytes(built_in()))
    check_template(committed.read_bytes(), KIND)
    assert form(docx_bytes(built_in())).is_valid()
    kind = get_kind(KIND)
    assert kind.formats == {"docx"} and kind.title == "Báo cáo tổng kết phong trào thi đua"
    text = "\n".join(p.text for p in Document(committed).paragraphs)
    for heading in ["BÁO CÁO", "I. CÔNG TÁC TỔ CHỨC PHONG TRÀO",
                    "II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ THI ĐUA", "III. CÔNG TÁC KHEN THƯỞNG",
                    "IV. ĐÁNH GIÁ CHUNG", "V. ĐỀ XUẤT, KIẾN NGHỊ", "[Đánh giá chung"]:
        assert heading in text


def test_a_replacement_lacking_what_a_summary_must_show_is_refused(demo):
    bare = Document()
    bare.add_paragraph("{{ title }}")
    bare.add_paragraph("{%p for c in criteria %}")
    bare.add_paragraph("{{ c.title }}")
    bare.add_paragraph("{%p endfor %}")
    bare.add_paragraph("{{ signer_name }}")
    message = errors(docx_bytes(bare))
    assert message == ("Mẫu thiếu các trường: awards_by_form, awards_by_unit, "
                       "organisation_rows")
    # Another kind's template is not a summary report.
    assert "Mẫu thiếu các trường" in errors(docx_bytes(BUILDERS["decision"]()))
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize(("extra", "unknown"), [
    (["{{ tieu_de }}"], "tieu_de"),
    # A loop over a list the report does not have.
    (["{%p for c in tieu_chi %}", "{{ c.title }}", "{%p endfor %}"], "tieu_chi"),
    # A member a list's elements do not have, however deep the loop.
    (["{%p for c in criteria %}", "{{ c.so_lieu }}", "{%p endfor %}"], "criteria.so_lieu"),
    (["{%p for c in criteria %}", "{%p for r in c.rows %}", "{{ r.ket_qua }}",
      "{%p endfor %}", "{%p endfor %}"], "criteria.rows.ket_qua"),
    (["{%p for r in criteria[0].dong %}", "{{ r }}", "{%p endfor %}"], "criteria.dong"),
    (["{{ awards_by_form.total.tong }}"], "awards_by_form.total.tong"),
    (["{% set t = awards_by_unit %}{{ t.ghi_chu }}"], "awards_by_unit.ghi_chu"),
])
def test_a_replacement_using_a_name_the_report_does_not_have_is_refused(demo, extra, unknown):
    message = errors(docx_bytes(built_in(*extra)))
    assert message.startswith(f"Mẫu có trường không có trong văn bản này: {unknown}. Các trường "
                              "dùng được: ")
    assert "criteria.rows.figure" in message  # the names it may use are listed


def test_names_the_report_gives_are_accepted_where_the_built_in_template_leaves_them_out(demo):
    accepted = built_in("Ngày {{ date_short }}; {{ movement }}",
                        "{%p for c in criteria|reverse %}",
                        "{{ loop.index }}. {{ c.rows|length }} dòng, tổng {{ c.total }}",
                        "{%p endfor %}",
                        "{% for a, b in [(1, 2)] %}{{ a }}{% endfor %}")
    assert form(docx_bytes(accepted)).is_valid()


def test_other_kinds_keep_their_check(demo):
    """Kinds that declare no names are checked against their built-in template's names, as
    before: a member of a list is not checked there (the unit's list gives birth years that its
    built-in template does not print)."""
    doc = BUILDERS["unit_proposal"]()
    for text in ["{%p for n in nominees %}", "{{ n.birth_year }}", "{%p endfor %}"]:
        doc.add_paragraph(text)
    assert form(docx_bytes(doc), "unit_proposal").is_valid()
    doc.add_paragraph("{{ ngay_ky }}")
    assert "ngay_ky" in errors(docx_bytes(doc), "unit_proposal")


def test_a_broken_template_is_refused_in_the_admin_never_a_500(demo, personas, client_for):
    broken = docx_bytes(built_in("{% for c in criteria %}{{ c.title }}"))
    assert errors(broken).startswith("Không đọc được mẫu .docx:")
    client = client_for(personas.admin)
    page = client.get("/quan-tri/documents/documenttemplate/add/").content.decode()
    assert '<option value="summary_report">Báo cáo tổng kết phong trào thi đua</option>' in page
    for data, said in [(broken, "Không đọc được mẫu .docx"),
                       (docx_bytes(built_in("{{ c.title }}")), "Mẫu có trường không có"),
                       (docx_bytes(built_in("{%p for c in criteria %}", "{{ c.tieu_de }}",
                                            "{%p endfor %}")), "criteria.tieu_de")]:
        response = client.post("/quan-tri/documents/documenttemplate/add/", {
            "kind": KIND, "organisation": "", "file": SimpleUploadedFile("mau.docx", data)})
        assert response.status_code == 200 and said in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    response = client.post("/quan-tri/documents/documenttemplate/add/", {
        "kind": KIND, "organisation": "", "file": SimpleUploadedFile("mau.docx",
                                                                     docx_bytes(built_in()))})
    assert response.status_code == 302
    assert DocumentTemplate.objects.get().kind == KIND


def png(width=60, height=20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(out, format="PNG")
    return out.getvalue()


def test_pictures_in_a_context_print_as_pictures_of_their_width():
    doc = Document()
    for text in ["{%p if chart %}", "{{ chart }}", "{%p endif %}", "{%p for c in charts %}",
                 "{{ c.title }}: {{ c.picture }}", "{%p endfor %}", "{%p if none %}",
                 "{{ none }}", "{%p endif %}", "& {{ words }}"]:
        doc.add_paragraph(text)
    data = png()
    rendered = Document(io.BytesIO(render_docx(io.BytesIO(docx_bytes(doc)), {
        "chart": Picture(data, 150), "none": None, "words": "A & <B>",
        "charts": [{"title": "Một", "picture": Picture(png(30, 30), 40)}]})))
    widths = [shape.width for shape in rendered.inline_shapes]
    assert widths == [Mm(150), Mm(40)]
    blobs = [rel.target_part.blob for rel in rendered.part.rels.values()
             if "image" in rel.reltype]
    assert data in blobs and len(blobs) == 2
    text = [p.text for p in rendered.paragraphs]
    assert "Một: " in text and text[-1] == "& A & <B>"
    # What the content hash sees: the bytes and the width.
    assert Picture(data, 150).digest != Picture(data, 100).digest != Picture(png(61), 100).digest


def test_the_summary_report_has_no_route_of_its_own(demo, personas, client_for):
    client = client_for(personas.admin)
    for fmt in ["docx", "pdf"]:
        assert client.get(f"/van-ban/{KIND}/1.{fmt}").status_code == 404
    assert client.get(f"/van-ban/{KIND}/1/ban-da-ky/").status_code == 404
    with pytest.raises(Http404):  # no PDF, whatever the object
        prepare(KIND, object(), "pdf")
