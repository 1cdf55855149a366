"""Excel nomination lists: reading offices' sheets with row-level errors, the error workbook, the
template and the export (formula injection, round trip), and the register of past awards.

No database: the sheets are built here with openpyxl, the way offices lay them out.
"""

import ast
import io
import re
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from thidua.nominations.choices import NomineeRow
from thidua.nominations.excel import (
    CellError,
    build_template,
    error_workbook,
    export_nominees,
    parse_award_register,
    parse_nominee_sheet,
)

FORMS = [
    ("bk_tinh", "Bằng khen của Chủ tịch UBND tỉnh"),
    ("giay_khen", "Giấy khen"),
    ("cstd_cs", "Chiến sĩ thi đua cơ sở"),
]
TODAY = date(2025, 6, 1)

COLUMNS = [
    "stt",
    "name",
    "male",
    "female",
    "ethnicity",
    "position_unit",
    "summary",
    "award",
    "note",
    "kind",
    "category",
    "citation",
]
HEADER = [
    "STT",
    "Họ và tên (cá nhân) / Tên tập thể",
    "Năm sinh",
    None,
    "Dân tộc",
    "Chức vụ – Đơn vị công tác",
    "Tóm tắt thành tích",
    "Hình thức đề nghị",
    "Ghi chú",
    "Loại (Cá nhân/Tập thể)",
    "Đối tượng",
    "Trích lời khen",
]
SUBHEADER = [None, None, "Nam", "Nữ"] + [None] * 8
FIRST = 6  # first data row of office_sheet (three title rows, two header rows)


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx(rows, merges=(), edit=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    for merge in merges:
        ws.merge_cells(merge)
    if edit:
        edit(ws)
    return saved(wb)


def edited(data: bytes, cells: dict[str, object]) -> bytes:
    """``data`` with these cells of the active sheet overwritten."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for coordinate, value in cells.items():
        wb.active[coordinate] = value
    return saved(wb)


def line(**values):
    return [values.get(column) for column in COLUMNS]


def office_sheet(*rows, numbering=False, edit=None) -> bytes:
    """A list as offices send it: title rows, a merged two-row header, Năm sinh over Nam | Nữ
    (the template's header). The benchmark builds its sheet with it too."""
    top = [
        ["ỦY BAN NHÂN DÂN PHƯỜNG SÔNG CẦU"],
        ["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025"],
        [],
        HEADER,
        SUBHEADER,
    ]
    if numbering:
        top.append([f"({i})" for i in range(1, 13)])
    merges = ["A1:L1", "A2:L2", "C4:D4"] + [f"{c}4:{c}5" for c in "ABEFGHIJKL"]
    return xlsx(top + [list(r) for r in rows], merges, edit)


def parse(data, **kwargs):
    return parse_nominee_sheet(data, FORMS, today=TODAY, **kwargs)


def messages(result, row=None):
    return [e.message for e in result.errors if row is None or e.row == row]


def as_string_cell(coordinate, value):
    """Text that starts with "=" typed into a text-formatted cell: a string, not a formula."""

    def edit(ws):
        ws[coordinate] = value
        ws[coordinate].data_type = "s"

    return edit


# --- good sheets ---------------------------------------------------------------------------------


def test_office_sheet_with_title_rows_and_merged_birth_header_is_read():
    data = office_sheet(
        line(
            stt=1,
            name="Nguyễn Văn An",
            male=1980,
            ethnicity="Kinh",
            position_unit="Trưởng phòng – Phòng Tổ chức cán bộ, Sở Nội vụ",
            summary="Hoàn thành xuất sắc nhiệm vụ",
            award="giấy khen",
            kind="Cá nhân",
            category="lãnh đạo khác",
            citation="Đã có thành tích xuất sắc",
        ),
        line(
            stt=2,
            name="Trần Thị Bình",
            female="05/03/1985",
            ethnicity="Tày",
            position_unit="Chuyên viên",
            award="BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH",
            note="Lần đầu",
        ),
        line(
            stt=3,
            name="Phòng Văn hóa và Thông tin",
            position_unit="UBND thành phố",
            award="cstd_cs",
            kind="Tập thể",
            category="Cơ quan, đơn vị",
        ),
    )
    result = parse(data)
    assert result.ok, result.errors
    assert result.header_row == 4
    assert result.rows == [
        NomineeRow(
            kind="individual",
            full_name="Nguyễn Văn An",
            gender="male",
            birth_year=1980,
            ethnicity="Kinh",
            position="Trưởng phòng",
            unit_name="Phòng Tổ chức cán bộ, Sở Nội vụ",
            category="other_leader",
            achievement_summary="Hoàn thành xuất sắc nhiệm vụ",
            citation="Đã có thành tích xuất sắc",
            award_form_code="giay_khen",
            row_number=6,
        ),
        NomineeRow(
            kind="individual",
            full_name="Trần Thị Bình",
            gender="female",
            birth_year=1985,
            birth_date=date(1985, 3, 5),
            ethnicity="Tày",
            position="Chuyên viên",
            award_form_code="bk_tinh",
            note="Lần đầu",
            row_number=7,
        ),
        NomineeRow(
            kind="collective",
            full_name="Phòng Văn hóa và Thông tin",
            unit_name="UBND thành phố",
            collective_kind="public_body",
            award_form_code="cstd_cs",
            row_number=8,
        ),
    ]


def test_single_birth_column_with_gender_column_is_accepted():
    data = xlsx(
        [
            ["Họ và tên", "Năm sinh", "Giới tính", "Hình thức đề nghị"],
            ["Lê Văn Cường", 1979, "nam", "Giấy khen"],
            ["Phạm Thị Dung", "12/11/1990", "Nữ", "Giấy khen"],
        ]
    )
    result = parse(data)
    assert result.ok, result.errors
    assert [(r.full_name, r.gender, r.birth_year, r.birth_date, r.row_number) for r in result.rows] == [
        ("Lê Văn Cường", "male", 1979, None, 2),
        ("Phạm Thị Dung", "female", 1990, date(1990, 11, 12), 3),
    ]


def test_gender_marks_under_a_split_gioi_tinh_header():
    data = xlsx(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", None, "Hình thức đề nghị"],
            [None, None, "Nam", "Nữ", None],
            ["Lê Văn Cường", "01/02/1979", "x", None, "Giấy khen"],
            ["Phạm Thị Dung", 1990, None, "x", "Giấy khen"],
            ["Hà Văn Em", 1990, "x", "x", "Giấy khen"],
        ],
        ["C1:D1"],
    )
    result = parse(data)
    assert [(r.full_name, r.gender, r.birth_year) for r in result.rows] == [
        ("Lê Văn Cường", "male", 1979),
        ("Phạm Thị Dung", "female", 1990),
    ]
    assert result.errors == [CellError(5, "Giới tính", "chỉ đánh dấu một ô giới tính, Nam hoặc Nữ")]


def test_header_labels_match_without_diacritics_case_or_extra_spaces():
    data = xlsx(
        [
            [
                "  HO VA  TEN ",
                "NĂM SINH",
                "gioi tinh",
                "Hình   thức đề nghị khen thưởng",
                "CHỨC VỤ, ĐƠN VỊ CÔNG TÁC",
                " Loại ",
            ],
            ["Đỗ Đức Đạt", 1970, "Nam", "Giấy khen", "Giáo viên, Trường THCS Sông Cầu", "Cá nhân"],
        ]
    )
    result = parse(data)
    assert result.ok, result.errors
    row = result.rows[0]
    assert (row.full_name, row.award_form_code, row.position, row.unit_name, row.kind) == (
        "Đỗ Đức Đạt",
        "giay_khen",
        "Giáo viên",
        "Trường THCS Sông Cầu",
        "individual",
    )


def test_row_of_column_numbers_under_the_header_is_skipped():
    result = parse(
        office_sheet(line(stt=1, name="Nguyễn Văn An", male=1980, award="Giấy khen"), numbering=True)
    )
    assert result.ok, result.errors
    assert [(r.full_name, r.row_number) for r in result.rows] == [("Nguyễn Văn An", 7)]


def test_section_rows_set_the_kind_and_the_signature_block_is_ignored():
    data = office_sheet(
        ["I. CÁ NHÂN"],
        line(stt=1, name="Nguyễn Văn An", male=1980, award="Giấy khen"),
        [None, "II. TẬP THỂ"],
        line(stt=1, name="Tổ Dân phố 3", award="Giấy khen"),
        [],
        [None, "NGƯỜI LẬP BIỂU", None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, "(Ký, ghi rõ họ tên)", None, None, None, None, "(Ký tên, đóng dấu)"],
    )
    result = parse(data)
    assert result.ok, result.errors
    assert [(r.full_name, r.kind) for r in result.rows] == [
        ("Nguyễn Văn An", "individual"),
        ("Tổ Dân phố 3", "collective"),
    ]


@pytest.mark.parametrize(
    ("text", "position", "unit"),
    [
        ("Trưởng phòng – Sở Nội vụ", "Trưởng phòng", "Sở Nội vụ"),
        ("Trưởng phòng - Sở Nội vụ", "Trưởng phòng", "Sở Nội vụ"),
        ("Giáo viên, Trường THCS Sông Cầu", "Giáo viên", "Trường THCS Sông Cầu"),
        ("Phó Giám đốc, Bí thư Chi bộ – Sở Tài chính", "Phó Giám đốc, Bí thư Chi bộ", "Sở Tài chính"),
        ("Nông dân", "Nông dân", ""),
        ("– Trường Tiểu học Đức Xuân", "", "Trường Tiểu học Đức Xuân"),
    ],
)
def test_position_and_unit_are_split_on_the_first_separator(text, position, unit):
    result = parse(
        office_sheet(line(stt=1, name="Hoàng Văn Giang", male=1975, position_unit=text, award="Giấy khen"))
    )
    assert result.ok, result.errors
    assert (result.rows[0].position, result.rows[0].unit_name) == (position, unit)


@pytest.mark.parametrize(
    ("cell", "year", "day"),
    [
        (1985, 1985, None),
        (1985.0, 1985, None),
        ("1985", 1985, None),
        (" 1985 ", 1985, None),
        ("05/03/1985", 1985, date(1985, 3, 5)),
        ("5/3/1985", 1985, date(1985, 3, 5)),
        ("05-03-1985", 1985, date(1985, 3, 5)),
        ("05.03.1985", 1985, date(1985, 3, 5)),
        (datetime(1985, 3, 5), 1985, date(1985, 3, 5)),
    ],
)
def test_birth_year_or_date_in_every_usual_form(cell, year, day):
    def edit(ws):
        if isinstance(cell, datetime):
            ws["C6"].number_format = "DD/MM/YYYY"

    result = parse(office_sheet(line(stt=1, name="Vũ Thị Hoa", female=cell, award="Giấy khen"), edit=edit))
    assert result.ok, result.errors
    assert (result.rows[0].gender, result.rows[0].birth_year, result.rows[0].birth_date) == (
        "female",
        year,
        day,
    )


def test_decomposed_vietnamese_comes_out_composed():
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    data = office_sheet(
        line(
            stt=1,
            name=nfd("Nguyễn  Thị   Ánh"),
            female=1990,
            ethnicity=nfd("Ê Đê"),
            award=nfd("Chiến sĩ thi đua cơ sở"),
            category=nfd("Tuyến đầu: y tế"),
        )
    )
    result = parse(data)
    assert result.ok, result.errors
    row = result.rows[0]
    assert (row.full_name, row.ethnicity, row.award_form_code, row.category) == (
        "Nguyễn Thị Ánh",
        "Ê Đê",
        "cstd_cs",
        "frontline_health",
    )
    assert unicodedata.is_normalized("NFC", row.full_name)


def test_numbers_in_text_columns_become_text():
    data = office_sheet(
        line(
            stt=1,
            name="Đinh Văn Khoa",
            male="1980",
            position_unit=2024.0,
            note=12.5,
            citation=7,
            award="Giấy khen",
        )
    )
    row = parse(data).rows[0]
    assert (row.position, row.note, row.citation) == ("2024", "12.5", "7")


def test_line_breaks_inside_an_achievement_summary_are_kept():
    data = office_sheet(
        line(
            stt=1,
            name="Đinh Văn Khoa",
            male=1980,
            award="Giấy khen",
            summary="Năm 2024:\r\n\n- Hoàn thành  xuất sắc\r\n\n- Sáng kiến   cấp cơ sở ",
        )
    )
    summary = parse(data).rows[0].achievement_summary
    assert summary == "Năm 2024:\n- Hoàn thành xuất sắc\n- Sáng kiến cấp cơ sở"


# --- bad sheets ----------------------------------------------------------------------------------


def test_missing_required_columns_are_named_in_one_sheet_error():
    data = xlsx([["STT", "Họ và tên", "Dân tộc", "Ghi chú"], [1, "Nguyễn Văn An", "Kinh", None]])
    result = parse(data)
    assert not result.ok
    assert result.rows == []
    assert result.errors == [
        CellError(0, "", "Thiếu cột bắt buộc: “Năm sinh (Nam, Nữ)”, “Hình thức đề nghị”"),
    ]


def test_birth_column_without_gender_column_misses_gioi_tinh():
    data = xlsx([["Họ và tên", "Năm sinh", "Hình thức đề nghị"], ["Nguyễn Văn An", 1980, "Giấy khen"]])
    assert messages(parse(data)) == ["Thiếu cột bắt buộc: “Giới tính”"]


def test_sheet_without_a_header_row_is_refused():
    data = xlsx([["Danh sách"], ["Nguyễn Văn An", 1980]])
    assert messages(parse(data)) == [
        "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 15 dòng đầu của trang tính"
    ]


def test_a_file_that_is_not_xlsx_is_refused_without_an_exception():
    result = parse(b"STT;Ho va ten\n1;An\n")
    assert not result.ok
    assert "không phải là bảng tính Excel (.xlsx)" in result.errors[0].message


def test_every_error_of_the_sheet_is_collected_not_only_the_first():
    data = office_sheet(
        line(stt=1, name=None, male=1980, award="Giấy khen"),
        line(stt=2, name="Nguyễn Văn An", male=1980, award="Giấy khen"),
        line(stt=3, name="   ", female="31/02/1980", award="Huân chương Lao động hạng Ba"),
    )
    result = parse(data)
    assert not result.ok
    assert [r.full_name for r in result.rows] == ["Nguyễn Văn An"]
    assert result.errors == [
        CellError(6, "Họ và tên", "chưa ghi họ và tên (hoặc tên tập thể)"),
        CellError(8, "Họ và tên", "chưa ghi họ và tên (hoặc tên tập thể)"),
        CellError(8, "Nữ", "ngày “31/02/1980” không có trên lịch"),
        CellError(
            8,
            "Hình thức đề nghị",
            "“Huân chương Lao động hạng Ba” không có trong danh sách hình thức của phong trào",
        ),
    ]


def test_name_longer_than_150_characters_is_an_error():
    result = parse(office_sheet(line(stt=1, name="A" * 151, male=1980, award="Giấy khen")))
    assert messages(result) == ["họ và tên dài quá 150 ký tự (có 151 ký tự)"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/1980", "ngày “31/02/1980” không có trên lịch"),
        ("29/02/1981", "ngày “29/02/1981” không có trên lịch"),
        ("01/07/2025", "năm sinh “01/07/2025” ở tương lai"),
        (2031, "năm sinh “2031” phải từ 1900 đến 2025"),
        ("1850", "năm sinh “1850” phải từ 1900 đến 2025"),
        ("12/05/1899", "năm sinh “12/05/1899” trước năm 1900"),
        (2015, "người được đề nghị chưa đủ 15 tuổi (sinh 2015)"),
        ("02/06/2010", "người được đề nghị chưa đủ 15 tuổi (sinh 02/06/2010)"),
        ("sáu mươi", "không đọc được năm sinh “sáu mươi”: ghi năm (ví dụ 1985) hoặc ngày dạng dd/mm/yyyy"),
        (1985.5, "không đọc được năm sinh “1985.5”: ghi năm (ví dụ 1985) hoặc ngày dạng dd/mm/yyyy"),
        ("05/03/85", "không đọc được năm sinh “05/03/85”: ghi năm (ví dụ 1985) hoặc ngày dạng dd/mm/yyyy"),
    ],
)
def test_impossible_future_and_too_young_birth_dates_are_errors(cell, message):
    result = parse(office_sheet(line(stt=1, name="Vũ Văn Long", male=cell, award="Giấy khen")))
    assert result.errors == [CellError(FIRST, "Nam", message)]
    assert result.rows == []


def test_fifteenth_birthday_today_is_old_enough():
    result = parse(office_sheet(line(stt=1, name="Vũ Văn Long", male="01/06/2010", award="Giấy khen")))
    assert result.ok, result.errors


def test_birth_year_in_both_nam_and_nu_is_an_error():
    result = parse(office_sheet(line(stt=1, name="Vũ Văn Long", male=1980, female=1980, award="Giấy khen")))
    assert result.errors == [
        CellError(FIRST, "Năm sinh", "ghi năm sinh ở một cột Nam hoặc Nữ, không ghi cả hai")
    ]


def test_individual_needs_a_birth_year():
    result = parse(office_sheet(line(stt=1, name="Vũ Văn Long", award="Giấy khen")))
    assert result.errors == [CellError(FIRST, "Năm sinh", "chưa ghi năm sinh (ở cột Nam hoặc cột Nữ)")]


def test_collective_must_not_carry_a_birth_year():
    result = parse(
        office_sheet(
            line(stt=1, name="Trường Tiểu học Đức Xuân", male=1990, kind="Tập thể", award="Giấy khen")
        )
    )
    assert result.errors == [CellError(FIRST, "Năm sinh", "tập thể không ghi năm sinh, giới tính")]


def test_unknown_or_missing_award_form():
    result = parse(
        office_sheet(
            line(stt=1, name="Vũ Văn Long", male=1980, award="Bằng khen của Bộ trưởng"),
            line(stt=2, name="Vũ Văn Minh", male=1981),
        )
    )
    assert result.errors == [
        CellError(
            6,
            "Hình thức đề nghị",
            "“Bằng khen của Bộ trưởng” không có trong danh sách hình thức của phong trào",
        ),
        CellError(7, "Hình thức đề nghị", "chưa ghi hình thức đề nghị"),
    ]


def test_category_must_belong_to_the_kind_of_nominee():
    result = parse(
        office_sheet(
            line(stt=1, name="Vũ Văn Long", male=1980, award="Giấy khen", category="Doanh nghiệp"),
            line(
                stt=2,
                name="Công ty Cổ phần Bắc Kạn",
                award="Giấy khen",
                kind="Tập thể",
                category="Doanh nghiệp",
            ),
            line(stt=3, name="Hợp tác xã Nông Thượng", award="Giấy khen", category="Hộ gia đình"),
            line(stt=4, name="Vũ Văn Minh", male=1981, award="Giấy khen", kind="Cá nhân"),
            line(stt=5, name="Vũ Văn Nam", male=1982, award="Giấy khen", kind="Đoàn thể"),
        )
    )
    assert [(r.full_name, r.kind, r.category, r.collective_kind) for r in result.rows] == [
        ("Công ty Cổ phần Bắc Kạn", "collective", "", "enterprise"),
        ("Hợp tác xã Nông Thượng", "collective", "", "household"),  # kind inferred from Đối tượng
        ("Vũ Văn Minh", "individual", "", ""),
    ]
    assert result.errors == [
        CellError(6, "Đối tượng", "đối tượng “Doanh nghiệp” không có trong danh sách đối tượng cá nhân"),
        CellError(10, "Loại", "loại “Đoàn thể” không hợp lệ; ghi “Cá nhân” hoặc “Tập thể”"),
    ]


@pytest.mark.parametrize("formula", ["=1+1", '=HYPERLINK("http://example.com/x","Bấm vào đây")'])
def test_formula_text_in_a_cell_is_an_error(formula):
    data = office_sheet(line(stt=1, male=1980, award="Giấy khen"), edit=as_string_cell("B6", formula))
    result = parse(data)
    assert result.rows == []
    assert [(e.row, e.column) for e in result.errors] == [(FIRST, "Họ và tên")]
    assert result.errors[0].message.startswith("ô B6 chứa công thức “=")
    assert "hãy ghi giá trị, không ghi công thức" in result.errors[0].message


def test_the_same_formula_or_blank_in_several_rows_is_reported_on_each():
    def formulas(ws):
        for coordinate in ("H6", "H7"):
            as_string_cell(coordinate, "=A1")(ws)

    data = office_sheet(
        line(stt=1, name="Vũ Văn Long", male=1980),
        line(stt=2, name="Vũ Văn Minh", male=1981),
        edit=formulas,
    )
    assert [(e.row, e.column) for e in parse(data).errors] == [
        (6, "Hình thức đề nghị"),
        (7, "Hình thức đề nghị"),
    ]
    register = xlsx(
        [
            REGISTER_HEADER,
            [1, "  ", None, None, "Giấy khen", "1/QĐ"],
            [2, "  ", None, None, "Giấy khen", "2/QĐ"],
        ]
    )
    assert messages(parse_award_register(register, today=TODAY)) == [
        "chưa ghi họ và tên (hoặc tên tập thể)"
    ] * 2

def with_cached_values(data: bytes, cached: dict[str, tuple[str, str]]) -> bytes:
    """Give formula cells the cached results Excel stores next to the formula (openpyxl stores none)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                for ref, (kind, value) in cached.items():
                    xml, n = re.subn(
                        # openpyxl writes <v/> or <v></v> (with lxml), or no <v> at all.
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(?:<v ?/>|<v></v>)?',
                        rf'<c r="{ref}"\1 t="{kind}"><f>\2</f><v>{value}</v>',
                        xml,
                    )
                    assert n == 1, ref
                content = xml.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_formula_cells_are_refused_even_with_the_values_excel_cached():
    """A list holds values: a formula cell is named and refused, not read as its cached result."""
    data = office_sheet(line(stt=1, name='="Nguyễn"&" Văn An"', male="=1980+5", award='="Giấy khen"'))
    data = with_cached_values(
        data, {"B6": ("str", "Nguyễn Văn An"), "C6": ("n", "1985"), "H6": ("str", "Giấy khen")}
    )
    result = parse(data)
    assert result.rows == []
    cells = sorted(re.match(r"ô (\w+) chứa công thức", e.message)[1] for e in result.errors)
    assert cells == ["B6", "C6", "H6"]


def test_a_stt_formula_is_no_reason_to_refuse_a_row():
    """Numbering by formula (=ROW()-5) is common and the STT is never stored."""
    data = office_sheet(line(stt="=ROW()-5", name="Vũ Văn Long", male=1980, award="Giấy khen"))
    assert parse(data).ok


def test_more_than_max_rows_refuses_the_whole_list():
    rows = [line(stt=i, name=f"Người số {i}", male=1980, award="Giấy khen") for i in range(1, 5002)]
    result = parse(office_sheet(*rows))
    assert not result.ok
    assert result.errors[0] == CellError(
        0, "", "Danh sách có hơn 5.000 dòng; hãy chia thành nhiều tệp nhỏ hơn"
    )
    assert len(result.errors) == 1
    assert len(parse(office_sheet(*rows[:5000])).rows) == 5000


def test_max_rows_counts_data_rows_not_blank_or_example_rows():
    data = office_sheet(
        ["VD", "Nguyễn Văn A", 1980],
        line(stt=1, name="Vũ Văn Long", male=1980, award="Giấy khen"),
        [],
        line(stt=2, name="Vũ Văn Minh", male=1981, award="Giấy khen"),
    )
    assert parse(data, max_rows=2).ok
    assert messages(parse(data, max_rows=1)) == ["Danh sách có hơn 1 dòng; hãy chia thành nhiều tệp nhỏ hơn"]


# --- the error workbook --------------------------------------------------------------------------


def test_error_workbook_adds_a_loi_column_and_marks_the_bad_cells():
    data = office_sheet(
        line(stt=1, name=None, male=1980, award="Giấy khen"),
        line(stt=2, name="Nguyễn Văn An", male=1980, award="Giấy khen"),
        line(stt=3, name="Trần Thị Bình", female="31/02/1980", award="Giấy khen lạ"),
    )
    result = parse(data)
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook(data, result.errors))).active

    assert ws["M4"].value == "Lỗi"
    assert ws["M6"].value == "Họ và tên: chưa ghi họ và tên (hoặc tên tập thể)"
    assert ws["M7"].value is None
    assert ws["M8"].value == (
        "Nữ: ngày “31/02/1980” không có trên lịch; "
        "Hình thức đề nghị: “Giấy khen lạ” không có trong danh sách hình thức của phong trào"
    )
    red = {"B6", "D8", "H8"}
    for coordinate in red:
        assert ws[coordinate].fill.fgColor.rgb.endswith("FFC7CE"), coordinate
    for coordinate in ("B7", "C6", "B8", "H6"):
        assert ws[coordinate].fill.fill_type is None, coordinate
    # the office's layout is kept
    assert "C4:D4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025"


def test_error_workbook_puts_sheet_level_errors_in_a_note_on_the_top_cell():
    data = xlsx([["STT", "Họ và tên", "Ghi chú"], [1, "Nguyễn Văn An", None]])
    result = parse(data)
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook(data, result.errors))).active
    assert ws["D1"].value == "Lỗi"
    assert "Thiếu cột bắt buộc" in ws["D1"].comment.text
    assert "“Hình thức đề nghị”" in ws["D1"].comment.text


def test_error_workbook_on_a_corrected_sheet_reuses_its_loi_column():
    data = office_sheet(
        line(stt=1, name=None, male=1980, award="Giấy khen"),
        line(stt=2, name="Nguyễn Văn An", male=1980, award="Giấy khen"),
    )
    first = error_workbook(data, parse(data).errors)
    again = edited(first, {"B6": "Nguyễn Văn Ba", "C7": 2020})  # one fixed, one new mistake

    result = parse(again)
    assert result.errors == [CellError(7, "Nam", "người được đề nghị chưa đủ 15 tuổi (sinh 2020)")]
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook(again, result.errors))).active
    assert ws["M4"].value == "Lỗi" and ws["N4"].value is None
    assert ws["M6"].value is None
    assert ws["B6"].fill.fill_type is None
    assert ws["M7"].value == "Nam: người được đề nghị chưa đủ 15 tuổi (sinh 2020)"
    assert ws["C7"].fill.fgColor.rgb.endswith("FFC7CE")


# --- template and export -------------------------------------------------------------------------


def test_template_has_the_office_layout_drop_downs_and_an_example_row():
    ws = openpyxl.load_workbook(io.BytesIO(build_template(FORMS))).active
    assert ws["A1"].value == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    assert [ws.cell(4, c).value for c in range(1, 13)] == HEADER
    assert [ws.cell(5, c).value for c in range(1, 13)] == SUBHEADER
    assert "C4:D4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "C6"
    assert ws["A6"].value == "VD" and ws["B6"].font.i
    assert ws.column_dimensions["G"].width > ws.column_dimensions["A"].width

    lists = ws.parent["Danh mục"]
    assert lists.sheet_state == "hidden"
    lengths = {
        str(v.sqref).split(":")[0]: int(v.formula1)
        for v in ws.data_validations.dataValidation
        if v.type == "textLength"
    }
    assert lengths == {"B6": 150, "E6": 64, "F6": 513, "G6": 2000, "I6": 500, "L6": 500}
    validations = {
        str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"
    }
    assert set(validations) == {"H6", "J6", "K6", "N6"}  # N: Đối tượng thi đua
    names = [lists[f"C{i}"].value for i in range(1, 4)]
    assert names == [name for _code, name in FORMS]
    assert validations["H6"] == "'Danh mục'!$C$1:$C$3"
    kinds = [lists["A1"].value, lists["A2"].value]
    assert kinds == ["Cá nhân", "Tập thể"]
    assert "Lãnh đạo cấp bộ, cấp tỉnh trở lên" in [c.value for c in lists["B"]]
    assert "Lãnh đạo cấp vụ, sở, ngành và tương đương" in [c.value for c in lists["B"]]
    assert "Hộ gia đình" in [c.value for c in lists["B"]]


def test_empty_template_parses_to_no_rows():
    result = parse(build_template(FORMS))
    assert result.ok, result.errors
    assert result.rows == []


def test_example_row_typed_over_is_reported_not_skipped():
    result = parse(edited(build_template(FORMS), {"B6": "Hà Thị Oanh"}))
    assert result.rows == []
    assert result.errors == [
        CellError(
            6,
            "STT",
            "dòng ví dụ (STT “VD”) đã bị ghi đè: ghi số thứ tự nếu đây là người được đề nghị, hoặc xoá dòng",
        )
    ]


def test_template_filled_below_the_example_row_is_read():
    row_7 = {"A7": 1, "B7": "Hà Thị Oanh", "D7": "1/1/1991", "H7": "Giấy khen", "J7": "Cá nhân"}
    result = parse(edited(build_template(FORMS), row_7))
    assert result.ok, result.errors
    assert [(r.full_name, r.gender, r.birth_date, r.row_number) for r in result.rows] == [
        ("Hà Thị Oanh", "female", date(1991, 1, 1), 7)
    ]


FORMULAS = NomineeRow(
    kind="individual",
    full_name="=cmd|' /C calc'!A0",
    gender="male",
    birth_year=1980,
    ethnicity="Kinh",
    position="Trưởng phòng",
    unit_name="Sở Nội vụ",
    category="other_leader",
    achievement_summary="- Hoàn thành xuất sắc nhiệm vụ\n- Sáng kiến cấp cơ sở",
    citation="+ Có thành tích",
    award_form_code="giay_khen",
    note="@chú ý",
)
NOMINEES = [
    NomineeRow(
        kind="individual",
        full_name="Nông Văn Dũng",
        gender="male",
        birth_year=1980,
        ethnicity="Kinh",
        position="Trưởng phòng",
        unit_name="Sở Nội vụ",
        category="other_leader",
        achievement_summary="Năm 2024:\n- Hoàn thành xuất sắc nhiệm vụ\n- Sáng kiến cấp cơ sở",
        citation="Có thành tích",
        award_form_code="giay_khen",
        note="chú ý",
    ),
    NomineeRow(
        kind="individual",
        full_name="Trần Thị Bình",
        gender="female",
        birth_year=1985,
        birth_date=date(1985, 3, 5),
        ethnicity="Tày",
        unit_name="Trường Tiểu học Đức Xuân",
        category="frontline_health",
        award_form_code="cstd_cs",
    ),
    NomineeRow(
        kind="individual",
        full_name="Lê Văn Cường",
        gender="male",
        birth_year=1979,
        position="Nông dân",
        award_form_code="bk_tinh",
    ),
    NomineeRow(
        kind="collective",
        full_name="Phòng Văn hóa và Thông tin",
        unit_name="UBND thành phố",
        collective_kind="public_body",
        achievement_summary="Dẫn đầu phong trào",
        award_form_code="bk_tinh",
        citation="Đã có thành tích xuất sắc",
    ),
]


def test_export_escapes_text_that_excel_would_run_as_a_formula():
    ws = openpyxl.load_workbook(
        io.BytesIO(export_nominees([FORMULAS, *NOMINEES[1:]], FORMS, "Danh sách", "Phường Sông Cầu"))
    ).active
    name = ws["B6"]
    assert name.data_type == "s"
    assert name.value == "'=cmd|' /C calc'!A0"
    assert ws["G6"].value.startswith("'-")
    assert ws["L6"].value.startswith("'+")
    assert ws["I6"].value.startswith("'@")
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_export_writes_the_birth_year_under_nam_or_nu():
    ws = openpyxl.load_workbook(
        io.BytesIO(export_nominees(NOMINEES, FORMS, "Danh sách", "Phường Sông Cầu"))
    ).active
    assert ws["A2"].value == "Đơn vị: Phường Sông Cầu"
    assert (ws["C6"].value, ws["D6"].value) == (1980, None)
    assert ws["C7"].value is None and ws["D7"].value.date() == date(1985, 3, 5)
    assert (ws["C9"].value, ws["D9"].value, ws["J9"].value, ws["K9"].value) == (
        None,
        None,
        "Tập thể",
        "Cơ quan, đơn vị",
    )
    assert ws["H8"].value == "Bằng khen của Chủ tịch UBND tỉnh"


def test_an_exported_formula_is_refused_on_the_way_back_in():
    """Text stored before the import refused it comes out escaped, and is not read back as text."""
    result = parse(export_nominees([FORMULAS], FORMS, "Danh sách", "Phường Sông Cầu"))
    assert result.rows == []
    assert {(e.column, e.message.split(" ")[1]) for e in result.errors} == {
        ("Họ và tên", "B6"),
        ("Tóm tắt thành tích", "G6"),
        ("Trích lời khen", "L6"),
        ("Ghi chú", "I6"),
    }


def test_export_then_parse_gives_back_the_same_rows():
    result = parse(export_nominees(NOMINEES, FORMS, "Danh sách", "Phường Sông Cầu"))
    assert result.ok, result.errors
    assert [r.row_number for r in result.rows] == [6, 7, 8, 9]
    assert [replace(r, row_number=0) for r in result.rows] == NOMINEES


# --- the register of past awards -----------------------------------------------------------------

REGISTER_HEADER = [
    "STT",
    "Họ và tên / Tên tập thể",
    "Năm sinh",
    "Đơn vị",
    "Hình thức khen thưởng",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan quyết định",
    "Ghi chú",
]


def test_register_of_past_awards_is_read():
    data = xlsx(
        [
            ["SỔ VÀNG KHEN THƯỞNG"],
            [],
            REGISTER_HEADER,
            [
                1,
                "Nguyễn Văn An",
                1970,
                "Sở Nội vụ",
                "Bằng khen của Thủ tướng Chính phủ",
                "123/QĐ-TTg",
                "15/3/2018",
                "Thủ tướng Chính phủ",
                None,
            ],
            [
                2,
                unicodedata.normalize("NFD", "Trường Tiểu học Đức Xuân"),
                None,
                "Phòng GD&ĐT",
                "Tập thể lao động xuất sắc",
                45,
                datetime(2020, 8, 1),
                "UBND tỉnh",
                "Năm học 2019–2020",
            ],
        ]
    )
    result = parse_award_register(data, today=TODAY)
    assert result.ok, result.errors
    first, second = result.rows
    assert (
        first.full_name,
        first.birth_year,
        first.decision_number,
        first.decision_date,
        first.row_number,
    ) == ("Nguyễn Văn An", 1970, "123/QĐ-TTg", date(2018, 3, 15), 4)
    assert (
        second.full_name,
        second.birth_year,
        second.decision_number,
        second.decision_date,
        second.issuer_name,
        second.note,
    ) == ("Trường Tiểu học Đức Xuân", None, "45", date(2020, 8, 1), "UBND tỉnh", "Năm học 2019–2020")


def test_register_errors_are_collected_per_cell():
    data = xlsx(
        [
            REGISTER_HEADER,
            [1, None, 1970, "Sở Nội vụ", "Giấy khen", "1/QĐ", "31/04/2019", None, None],
            [2, "Lê Văn Cường", 1970, None, None, None, 2019, None, None],
            [3, "Hà Thị Oanh", None, None, "Giấy khen", "2/QĐ", "01/01/2030", None, None],
        ]
    )
    result = parse_award_register(data, today=TODAY)
    assert result.rows == []
    assert result.errors == [
        CellError(2, "Họ và tên", "chưa ghi họ và tên (hoặc tên tập thể)"),
        CellError(2, "Ngày quyết định", "ngày “31/04/2019” không có trên lịch"),
        CellError(3, "Hình thức khen thưởng", "chưa ghi hình thức khen thưởng"),
        CellError(3, "Số quyết định", "chưa ghi số quyết định"),
        CellError(
            3, "Ngày quyết định", "ngày quyết định cần đủ ngày, tháng, năm (dd/mm/yyyy), không chỉ “2019”"
        ),
        CellError(4, "Ngày quyết định", "ngày quyết định “01/01/2030” ở tương lai"),
    ]


def test_register_missing_columns_and_row_limit():
    missing = parse_award_register(xlsx([["Họ và tên", "Năm sinh"], ["An", 1970]]), today=TODAY)
    assert messages(missing) == ["Thiếu cột bắt buộc: “Hình thức khen thưởng”, “Số quyết định”"]
    rows = [REGISTER_HEADER] + [[i, f"Người {i}", None, None, "Giấy khen", f"{i}/QĐ"] for i in range(1, 5)]
    too_many = parse_award_register(xlsx(rows), max_rows=3, today=TODAY)
    assert messages(too_many) == ["Danh sách có hơn 3 dòng; hãy chia thành nhiều tệp nhỏ hơn"]


def test_error_workbook_marks_register_cells_too():
    data = xlsx([REGISTER_HEADER, [1, "Lê Văn Cường", 1970, None, "Giấy khen", None]])
    result = parse_award_register(data, today=TODAY)
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook(data, result.errors))).active
    assert ws["J2"].value == "Số quyết định: chưa ghi số quyết định"
    assert ws["F2"].fill.fgColor.rgb.endswith("FFC7CE")


# --- the package ---------------------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2] / "thidua" / "nominations" / "excel"
# Each module imports only those below it (labels at the bottom); nothing imports the package itself.
BELOW = {
    "labels": set(),
    "sheet": {"labels"},
    "nominees": {"labels", "sheet"},
    "register": {"labels", "sheet"},
    "writer": {"labels", "sheet"},
    "__init__": {"sheet", "nominees", "register", "writer"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_the_excel_package_is_one_module_per_job_each_importing_only_those_below():
    assert {p.stem for p in PACKAGE.glob("*.py")} == set(BELOW)
    for module, allowed in BELOW.items():
        siblings = {name.lstrip(".") for name in _imports(PACKAGE / f"{module}.py") if name.startswith(".")}
        assert siblings <= allowed, module


def test_the_excel_package_reads_and_writes_bytes_without_the_orm():
    for path in PACKAGE.glob("*.py"):
        for name in _imports(path):
            assert not name.startswith("django.db"), (path.name, name)
            assert "models" not in name.split("."), (path.name, name)
