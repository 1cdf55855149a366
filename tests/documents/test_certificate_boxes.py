"""Certificates never overprint: each field prints inside its own box — a long name, unit,
citation or an amending decision's longer reference is set smaller or wrapped to fit — and no
box overlaps another or leaves the page, on the full design and on every blank layout.

What is checked is the ink: each character read back by pdfplumber, from its baseline up to the
tallest stacked Vietnamese capital and down to the lowest descender of the font."""

import io
from dataclasses import replace
from decimal import Decimal

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.decisions.models import Decision
from thidua.decisions.printing import certificate_texts
from thidua.documents import certificates
from thidua.documents.layouts import save_layout
from thidua.documents.models import DEFAULT_FIELDS, CertificateLayout

INK_UP, INK_DOWN = 0.92, 0.221  # Tinos / Liberation Serif: Ỗ, Ẩ … and g, ỵ, in ems
SLACK = 0.3  # mm: rounding of PDF coordinates and italic overhang

TEXT_FIELDS = ["issuer_title", "name", "unit", "citation", "decision", "serial", "place_date",
               "signer_title", "signer_name", "verify_code"]

SAMPLE = certificates.CertificateText(
    issuer_title="CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN", name="Nguyễn Thị Thu Hường",
    unit="Y sĩ – Trạm Y tế phường Sông Cầu", citation="Đã có thành tích xuất sắc trong phòng, "
    "chống dịch COVID-19", decision="Quyết định số 1234/QĐ-UBND ngày 20/12/2021",
    serial="Số vào sổ: 2021-0001", place_date="TP. Bắc Kạn, ngày 20 tháng 12 năm 2021",
    signer_title="CHỦ TỊCH", signer_name="Ma Văn Bình",
    verify_url="https://tdkt.example/xac-minh/2021-0001?ma=K7M2QX9D",
    verify_code="Mã xác minh: K7M2-QX9D")

LONG = replace(
    SAMPLE,
    issuer_title="CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN, TỈNH BẮC KẠN, NƯỚC CỘNG HÒA XÃ HỘI "
                 "CHỦ NGHĨA VIỆT NAM, NHIỆM KỲ 2021 – 2026",
    name="Tập thể Khoa Kiểm soát bệnh tật và HIV/AIDS, Trung tâm Y tế thành phố Bắc Kạn tỉnh "
         "Bắc Kạn",
    unit="Trưởng khoa Kiểm soát bệnh tật và HIV/AIDS kiêm Phó Giám đốc phụ trách chuyên môn – "
         "Trung tâm Y tế thành phố Bắc Kạn, Sở Y tế tỉnh Bắc Kạn, Ủy ban nhân dân tỉnh Bắc Kạn",
    citation="Đã có thành tích xuất sắc " * 60,
    decision="Quyết định số 1234/QĐ-UBND ngày 20/12/2021, sửa đổi theo Quyết định số "
             "1300/QĐ-UBND ngày 28/12/2021 và Quyết định số 1301/QĐ-UBND ngày 30/12/2021",
    signer_title="KT. CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ\nPHÓ CHỦ TỊCH THƯỜNG TRỰC ỦY BAN "
                 "NHÂN DÂN THÀNH PHỐ BẮC KẠN",
    signer_name="Nguyễn Hoàng Phương Thảo Nguyên Ngọc Bích Hà",
    place_date="Thành phố Bắc Kạn, tỉnh Bắc Kạn, ngày 20 tháng 12 năm 2021")

# Blanks as offices set them up: the built-in one, one fed off by the printer, one on A4
# portrait with the fields moved and resized (its own boxes checked first).
BLANKS = {
    "built-in": CertificateLayout(name="A4 ngang"),
    "offset": CertificateLayout(name="Lệch", offset_x_mm=Decimal("3.5"),
                                offset_y_mm=Decimal("-4")),
    "portrait": CertificateLayout(
        name="A4 dọc", page_width_mm=210, page_height_mm=297, fields={
            "issuer_title": {"x": 105, "y": 80, "width": 180},
            "name": {"x": 105, "y": 110, "size": 22, "width": 180},
            "unit": {"x": 105, "y": 124, "width": 180},
            "citation": {"x": 105, "y": 142, "width": 170, "lines": 5},
            "decision": {"x": 20, "y": 235, "width": 80},
            "serial": {"x": 20, "y": 248, "width": 80},
            "place_date": {"x": 150, "y": 200, "width": 100},
            "signer_title": {"x": 150, "y": 210, "width": 100},
            "signer_name": {"x": 150, "y": 245, "width": 100},
            "qr": {"x": 20, "y": 195, "size": 25}}),
}


def ink(data: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, each character as (text, x0, top, x1, bottom) in mm from the top-left."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            height = float(page.height)
            chars = []
            for c in page.chars:
                if not c["text"].strip():
                    continue
                baseline, size = float(c["matrix"][5]), float(c["size"])
                chars.append((c["text"], c["x0"] / 72 * 25.4,
                              (height - baseline - INK_UP * size) / 72 * 25.4,
                              c["x1"] / 72 * 25.4,
                              (height - baseline + INK_DOWN * size) / 72 * 25.4))
            pages.append(chars)
    return pages


def within(char, box) -> bool:
    _text, x0, top, x1, bottom = char
    return (x0 >= box.x0 - SLACK and x1 <= box.x1 + SLACK and top >= box.top - SLACK
            and bottom <= box.bottom + SLACK)


def only(text: certificates.CertificateText, key: str) -> certificates.CertificateText:
    """The certificate with nothing but ``key`` (and the QR code, which is drawn, not text)."""
    return replace(text, **{f: (getattr(text, f) if f == key else "") for f in TEXT_FIELDS})


def assert_fits(text, layout, *, full_design=False):
    """Every field's characters lie in its own box; boxes are apart and on the page; on the full
    design its own lines (motto, GIẤY KHEN, TẶNG) too."""
    boxes = certificates.design_boxes() if full_design else certificates.field_boxes(layout)
    width, height = ((297, 210) if full_design
                     else (float(layout.page_width_mm), float(layout.page_height_mm)))
    listed = list(boxes.values())
    for i, box in enumerate(listed):
        assert box.inside(width, height), box
        for other in listed[i + 1:]:
            assert not box.overlaps(other), (box, other)
    for key in TEXT_FIELDS:
        (chars,) = ink(certificates.render([only(text, key)], layout, full_design=full_design))
        design = [c for c in chars if not within(c, boxes[key])]
        if full_design:  # the design's own lines, each in its box
            design = [c for c in design if not any(within(c, boxes[line]) for line in
                                                   ("motto", "motto2", "title", "award_word"))]
        assert not design, f"{key}: {''.join(c[0] for c in design)[:80]} outside its box"


def test_the_built_in_boxes_and_the_designs_are_apart_and_on_the_page():
    assert certificates.layout_problems(CertificateLayout(name="A4 ngang")) == []
    assert set(certificates.design_boxes()) >= {"award_word", "title", "name", "citation"}


@pytest.mark.parametrize("blank", list(BLANKS))
def test_long_texts_stay_in_their_boxes_on_every_blank(blank):
    layout = BLANKS[blank]
    assert certificates.layout_problems(layout) == []
    assert_fits(LONG, layout)


def test_long_texts_stay_in_their_boxes_on_the_full_design():
    assert_fits(LONG, CertificateLayout(name="A4 ngang"), full_design=True)


def test_a_long_name_is_set_smaller_on_one_line_and_a_long_citation_wraps():
    layout = CertificateLayout(name="A4 ngang")
    data = certificates.render([LONG], layout)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    name_sizes = {round(w["size"], 1) for w in words if w["text"] in {"HIV/AIDS,", "Tập"}}
    assert name_sizes and max(name_sizes) < DEFAULT_FIELDS["name"]["size"]
    baselines = {round(w["bottom"]) for w in words if w["text"] == "xuất"}
    assert 1 < len(baselines) <= DEFAULT_FIELDS["citation"]["lines"]
    short = certificates.render([SAMPLE], layout)
    with pdfplumber.open(io.BytesIO(short)) as pdf:
        sizes = {round(w["size"]) for w in pdf.pages[0].extract_words(extra_attrs=["size"])
                 if w["text"] == "Hường"}
    assert sizes == {DEFAULT_FIELDS["name"]["size"]}  # a name that fits keeps its size


def test_text_that_cannot_fit_even_small_is_cut_with_an_ellipsis_not_spilled():
    font = certificates.reportlab_fonts()["italic"]
    size, lines = certificates.fit("rất dài " * 2000, font, 15, 100, 2)
    assert size == certificates.MIN_SIZE and len(lines) == 2 and lines[-1].endswith("…")


# Vietnamese words with every tone on every vowel, as long names and citations are written.
VIETNAMESE = st.text(alphabet="aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐbcdghklmnpqrstvx"
                              "àằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"
                              "ẠẶẬẸỆỊỌỘỢỤỰỴÀẰẦÈỀÌÒỒỜÙỪỲÁẮẤÉẾÍÓỐỚÚỨÝẢẲẨẺỂỈỎỔỞỦỬỶÃẴẪẼỄĨÕỖỠŨỮỸ",
                     min_size=1, max_size=12)
PHRASE = st.lists(VIETNAMESE, min_size=1, max_size=120).map(" ".join)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=PHRASE, unit=PHRASE, citation=PHRASE, decision=PHRASE,
       blank=st.sampled_from([*BLANKS, "full design"]))
def test_any_vietnamese_text_stays_in_its_box(name, unit, citation, decision, blank):
    text = replace(SAMPLE, name=name, unit=unit, citation=citation,
                   decision=f"Quyết định số 1234/QĐ-UBND ngày 20/12/2021, sửa đổi theo {decision}")
    if blank == "full design":
        assert_fits(text, BLANKS["built-in"], full_design=True)
    else:
        assert_fits(text, BLANKS[blank])


@pytest.mark.django_db
def test_a_blank_whose_fields_overlap_or_leave_the_page_is_refused(personas):
    city = personas.mai.organisations_with_role("council_secretariat")[0].parent
    positions = {key: {"x": spec["x"], "y": spec["y"], "size": spec["size"]}
                 for key, spec in DEFAULT_FIELDS.items()}
    overlapping = positions | {"unit": {"x": 148.5, "y": 95, "size": 15}}
    with pytest.raises(ValidationError) as refused:
        save_layout(CertificateLayout(), organisation=city, name="Phôi", page_width_mm=297,
                    page_height_mm=210, offset_x_mm=0, offset_y_mm=0, positions=overlapping,
                    by=personas.mai)
    assert refused.value.messages == ["Họ và tên / tên tập thể chồng lên Chức vụ, đơn vị: hãy "
                                      "dời một trong hai trường hoặc giảm cỡ chữ."]
    off_page = positions | {"signer_name": {"x": 215, "y": 209.5, "size": 15}}
    with pytest.raises(ValidationError) as refused:
        save_layout(CertificateLayout(), organisation=city, name="Phôi", page_width_mm=297,
                    page_height_mm=210, offset_x_mm=0, offset_y_mm=0, positions=off_page,
                    by=personas.mai)
    assert "Họ tên người ký vượt ra ngoài khổ giấy" in " ".join(refused.value.messages)
    assert not CertificateLayout.objects.exists()
    saved = save_layout(CertificateLayout(), organisation=city, name="Phôi", page_width_mm=297,
                        page_height_mm=210, offset_x_mm=0, offset_y_mm=0, positions=positions,
                        by=personas.mai)
    assert saved.pk and saved.fields == {}


# --- the words on the certificate -------------------------------------------------------------

@pytest.mark.django_db
def test_the_chairmans_own_certificate_is_signed_chairman_and_the_design_says_tang(decision):
    assert decision.signer_capacity == Decision.Capacity.ON_BEHALF  # the decision: TM. UBND
    (text, *_rest) = certificate_texts(decision, decision.awards.all(), base_url="https://x/")
    assert text.signer_title == "CHỦ TỊCH"
    Decision.objects.filter(pk=decision.pk).update(signer_capacity=Decision.Capacity.DEPUTY)
    decision.refresh_from_db()
    (text, *_rest) = certificate_texts(decision, decision.awards.all(), base_url="https://x/")
    assert text.signer_title == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    data = certificates.render([text], CertificateLayout(name="A4 ngang"), full_design=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    assert "TẶNG" in lines
    assert lines.index("GIẤY KHEN") < lines.index("TẶNG")
    assert any(text.name in line for line in lines[lines.index("TẶNG") + 1:])
