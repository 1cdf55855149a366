"""The DOCX drafts, opened in LibreOffice, lay out as the PDFs do.

Every document kind is rendered both ways from the same object; the draft is converted to PDF by
LibreOffice (``soffice --headless``, Debian's libreoffice-writer-nogui, installed by the
Makefile's test target) and read back with pdfplumber beside our WeasyPrint PDF. They must have
the same number of pages, and the heading, title, articles (or sections), signature block and
annexed list must stand on the same page at the same place, within TOLERANCE of the page's
height and width. A draft whose table grid disagrees with its cells, or whose spacing differs,
fails here (issue 11: a 23-page PDF became 38 pages in LibreOffice).
"""

import io
import shutil
import subprocess

import pdfplumber
import pytest

from tests.documents.conftest import KIND_FIXTURES
from thidua.documents.kinds import KINDS
from thidua.documents.render import render_kind_docx, render_pdf

pytestmark = pytest.mark.django_db

TOLERANCE = 0.015  # of the page: 4.5 mm down, 3 mm across (measured: at most 3.1 and 0.3 mm)
TIMEOUT = 180  # seconds for one conversion; a first start builds the profile

HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:"]
DECISION = ["QUYẾT ĐỊNH", "QUYẾT ĐỊNH:", "Điều 1.", "Điều 2.", "Điều 3.", "Nơi nhận:",
            "Ma Văn Bình", "DANH SÁCH"]
# What each kind must show, in reading order, besides the heading.
ANCHORS = {
    "decision": DECISION,
    "amendment": DECISION,
    "upward_proposal": ["TỜ TRÌNH", "Kính gửi:", "Kính trình", "Nơi nhận:", "Ma Văn Bình",
                        "DANH SÁCH"],
    "unit_proposal": ["TỜ TRÌNH", "Kính gửi:", "Hồ sơ đề nghị khen thưởng được gửi qua",
                      "Nơi nhận:", "Hoàng Văn Tâm", "DANH SÁCH"],
    "return_notice": ["THÔNG BÁO", "Kính gửi:", "Qua kiểm tra", "1. Tờ trình", "3. Nội dung khác",
                      "Nơi nhận:", "CHÁNH VĂN PHÒNG"],
    "committee_proposal": ["TỜ TRÌNH", "Kính gửi:", "Ban Chỉ đạo đã họp xét",
                           "Kính trình Hội đồng", "Nơi nhận:", "TRƯỞNG BAN", "DANH SÁCH"],
    "committee_minutes": ["BIÊN BẢN", "I. THÀNH PHẦN", "II. NỘI DUNG", "III. KẾT LUẬN",
                          "THƯ KÝ", "CHỦ TRÌ"],
    "council_minutes": ["BIÊN BẢN", "I. THÀNH PHẦN", "II. NỘI DUNG VÀ KẾT QUẢ BỎ PHIẾU",
                        "III. KẾT LUẬN", "THƯ KÝ", "CHỦ TRÌ"],
}


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """LibreOffice with a profile of this run's own (a profile in use by another process, or
    the user's own, would block or alter the conversion)."""
    program = shutil.which("soffice")
    assert program, ("LibreOffice is missing: sudo apt-get install -y libreoffice-writer-nogui "
                     "(make install-test does it)")
    profile = tmp_path_factory.mktemp("libreoffice-profile")

    def convert(docx: bytes, folder) -> bytes:
        source = folder / "draft.docx"
        source.write_bytes(docx)
        subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=TIMEOUT)
        return (folder / "draft.pdf").read_bytes()

    return convert


def positions(data: bytes, anchors: list[str]) -> tuple[int, dict[str, tuple[int, float, float]]]:
    """(pages, {anchor: (page, top, left)}) with top and left as fractions of the page; each
    anchor is looked for after the previous one, so a word that recurs is found in its place."""
    found = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page_no, after = 0, -1.0
        for anchor in anchors:
            while page_no < len(pdf.pages):
                page = pdf.pages[page_no]
                hits = [h for h in page.search(anchor, regex=False, case=True)
                        if h["top"] > after]
                if hits:
                    hit = min(hits, key=lambda h: (round(h["top"]), h["x0"]))
                    found[anchor] = (page_no + 1, hit["top"] / float(page.height),
                                     hit["x0"] / float(page.width))
                    after = hit["top"] - 1
                    break
                page_no, after = page_no + 1, -1.0
            else:
                raise AssertionError(f"«{anchor}» is not in the document")
        return len(pdf.pages), found


def compare(key: str, obj, soffice, folder, extra=()):
    anchors = [*HEADER, *ANCHORS[key], *extra]
    ours = render_pdf(key, obj)
    theirs = soffice(render_kind_docx(key, obj), folder)
    pages, expected = positions(ours, anchors)
    lo_pages, got = positions(theirs, anchors)
    assert lo_pages == pages, f"{key}: {pages} pages in PDF, {lo_pages} in LibreOffice"
    for anchor in anchors:
        (page, top, left), (lo_page, lo_top, lo_left) = expected[anchor], got[anchor]
        assert lo_page == page, f"{key}: «{anchor}» on page {page}, LibreOffice {lo_page}"
        assert abs(lo_top - top) <= TOLERANCE, (
            f"{key}: «{anchor}» at {top:.1%} of the page height, LibreOffice {lo_top:.1%}")
        assert abs(lo_left - left) <= TOLERANCE, (
            f"{key}: «{anchor}» at {left:.1%} of the page width, LibreOffice {lo_left:.1%}")
    return pages


def test_every_document_kind_is_compared():
    """Every kind that has a PDF of ours. A DOCX-only kind (the movement's summary report, a
    draft whose narrative the office writes) has nothing to compare with: its own test has
    LibreOffice lay it out (tests/reports/test_summary_report.py)."""
    assert set(ANCHORS) == set(KIND_FIXTURES) == {key for key, kind in KINDS.items()
                                                  if "pdf" in kind.formats}


@pytest.mark.parametrize("key", list(KIND_FIXTURES))
def test_libreoffice_lays_the_draft_out_as_the_pdf(key, request, soffice, tmp_path):
    compare(key, request.getfixturevalue(KIND_FIXTURES[key]), soffice, tmp_path)


def test_a_long_decision_breaks_its_pages_alike(long_decision, soffice, tmp_path):
    """300 lines in the annex: every page break of the list falls where the PDF's does, so the
    last line stands on the same page at the same height."""
    pages = compare("decision", long_decision, soffice, tmp_path, extra=["Lê Thị Hà 302"])
    assert pages > 20
