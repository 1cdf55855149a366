"""A dossier from Excel list to acceptance, clicked through as the three people who handle it."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.pipeline import pdf_bytes
from thidua.nominations.excel import build_template
from thidua.nominations.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "Giấy khen của Chủ tịch UBND thành phố"


def office_sheet(path):
    """The ward health station's list, in the office layout (title rows, Nam | Nữ)."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template([("x", FORM)])))
    ws = wb.worksheets[0]
    start = ws.max_row + 1
    people = [("Nguyễn Thị Lan", None, 1985, "Y sĩ – Trạm Y tế phường Sông Cầu"),
              ("Hoàng Văn Nam", 1979, None, "Tổ trưởng tổ dân phố 3 – Phường Sông Cầu")]
    for i, (name, male, female, job) in enumerate(people):
        r = start + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, name)
        ws.cell(r, 3, male)
        ws.cell(r, 4, female)
        ws.cell(r, 5, "Tày")
        ws.cell(r, 6, job)
        ws.cell(r, 7, "Trực chốt kiểm soát dịch 60 ngày")
        ws.cell(r, 8, FORM)
    wb.save(path)
    return path


def upload(page, doc_type, path, nominee=None, original="Bản chính"):
    box = page.get_by_test_id("upload-form")
    if nominee:  # a nominee's document: from the actions of that nominee's row (htmx)
        row = page.get_by_test_id("nominees").locator("tr", has_text=nominee)
        row.get_by_role("link", name="Sửa, tài liệu…").click()
        box = row.get_by_test_id("nominee-upload")
    box.get_by_label("Loại tài liệu").select_option(label=doc_type)
    box.locator("select[name=original]").select_option(label=original)
    box.locator("input[type=file]").set_input_files(str(path))
    box.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text("Đã tải lên tài liệu.")).to_be_visible()


def test_officer_to_head_to_office_and_back(demo, live_server, browser, screenshot, tmp_path,
                                            settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    sheet = office_sheet(tmp_path / "danh-sach-tram-y-te.xlsx")
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(pdf_bytes("bien ban hop xet"))
    better_minutes = tmp_path / "bien-ban-co-chu-ky.pdf"
    better_minutes.write_bytes(pdf_bytes("bien ban co chu ky"))
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(pdf_bytes("bao cao thanh tich"))

    # Chị Hạnh prepares the dossier from the health station's Excel list.
    hanh = sign_in(browser, live_server, "canbo.songcau")
    hanh.get_by_role("link", name="Hồ sơ", exact=True).click()
    hanh.get_by_role("link", name="Lập hồ sơ").click()
    hanh.get_by_label("Hình thức đề nghị").select_option(label=FORM)
    hanh.get_by_label("Ngày họp xét của đơn vị").fill("2021-11-15")
    hanh.get_by_label("Kết quả họp xét").fill("10/10 thành viên nhất trí đề nghị")
    hanh.get_by_role("button", name="Lưu").click()
    expect(hanh.get_by_text("Đã tạo hồ sơ")).to_be_visible()
    hanh.get_by_role("link", name="Nhập từ Excel").click()
    hanh.get_by_label("Tệp Excel danh sách").set_input_files(str(sheet))
    hanh.get_by_role("button", name="Nhập danh sách").click()
    expect(hanh.get_by_text("Đã nhập 2 dòng vào danh sách.")).to_be_visible()
    expect(hanh.get_by_test_id("nominees").locator("tbody tr")).to_have_count(2)
    upload(hanh, "Tờ trình của đơn vị", minutes, original="Bản sao")
    upload(hanh, "Biên bản họp xét của đơn vị", minutes, original="Bản sao")
    upload(hanh, "Báo cáo thành tích", report, nominee="Nguyễn Thị Lan")
    upload(hanh, "Báo cáo thành tích", report, nominee="Hoàng Văn Nam")
    expect(hanh.get_by_text("Hồ sơ đã đủ; thủ trưởng đơn vị đăng nhập để trình.")).to_be_visible()
    screenshot(hanh, "dossier-ready")
    dossier_url = hanh.url.split("#")[0]

    # Her chairman submits.
    tam = sign_in(browser, live_server, "chutich.songcau")
    tam.goto(dossier_url)
    tam.get_by_role("button", name="Trình hồ sơ tới").click()
    expect(tam.get_by_test_id("dossier-state")).to_have_text("Đã trình, chờ tiếp nhận")

    # Anh Dũng at the city office finds it in his queue and returns it with a precise reason.
    dung = sign_in(browser, live_server, "vanphong")
    dung.get_by_role("link", name="Tiếp nhận", exact=True).click()
    expect(dung.get_by_test_id("queue")).to_contain_text("Ủy ban nhân dân phường Sông Cầu")
    dung.get_by_test_id("queue").get_by_role("link").first.click()
    item = dung.locator('[data-item="unit_minutes"]')
    item.get_by_label("Nhận xét").fill("Biên bản chưa có chữ ký của chủ trì")
    item.get_by_role("button", name="Chưa đạt").click()
    expect(dung.locator('[data-item="unit_minutes"]').get_by_test_id("mark")).to_have_text("Chưa đạt")
    screenshot(dung, "dossier-review")
    dung.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(dung.get_by_test_id("dossier-state")).to_have_text("Trả lại để bổ sung")

    # Chị Hạnh sees the reason, replaces the minutes; the chairman resubmits.
    hanh.goto(dossier_url)
    expect(hanh.get_by_test_id("deficiencies")).to_contain_text("chưa có chữ ký của chủ trì")
    row = hanh.get_by_test_id("attachments").locator("li", has_text="Biên bản họp xét của đơn vị")
    row.locator("input[type=file]").set_input_files(str(better_minutes))
    row.get_by_role("button", name="Thay bản mới").click()
    expect(hanh.get_by_text("Đã tải lên tài liệu.")).to_be_visible()
    expect(hanh.get_by_test_id("attachments")).to_contain_text("bien-ban-co-chu-ky.pdf")
    tam.goto(dossier_url)
    tam.get_by_role("button", name="Trình hồ sơ tới").click()
    expect(tam.get_by_test_id("dossier-state")).to_have_text("Đã trình, chờ tiếp nhận")

    # The office sees what changed and accepts.
    dung.goto(dossier_url)
    dung.get_by_role("link", name="Thay đổi ở lần trình 2").click()
    expect(dung.get_by_test_id("diff")).to_contain_text("bien-ban-co-chu-ky.pdf")
    dung.go_back()
    dung.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(dung.get_by_test_id("dossier-state")).to_have_text("Đã tiếp nhận")
    screenshot(dung, "dossier-accepted")

    dossier = Dossier.objects.get()
    assert dossier.state == Dossier.State.ACCEPTED and dossier.round == 2
    assert dossier.nominees.count() == 2
    for page in (hanh, tam, dung):
        page.context.close()
