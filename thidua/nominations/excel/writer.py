"""The workbooks we write: the blank list an office fills in, a dossier's nominees exported in the
same layout, and the error workbook (the officer's own sheet with a "Lỗi" column).

Every text we write has its formula prefix neutralised (CSV/formula injection), the officer's own
cells in the error workbook included: no workbook we hand out holds a formula or a text a
spreadsheet would run as one (:func:`thidua.core.text.neutralise_formula`).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from thidua.core.text import formula_prefix, neutralise_formula, nfc
from thidua.movements.choices import ParticipantKind
from thidua.nominations import limits
from thidua.nominations.choices import Gender, IndividualCategory, NomineeKind, NomineeRow

from .labels import (
    BIRTH,
    ERRORS,
    FEMALE,
    GENDER,
    GENDER_FEMALE,
    GENDER_MALE,
    LABELS,
    MALE,
    REGISTER_LABELS,
    vocabulary,
)
from .sheet import (
    EXAMPLE_NAME,
    HEADER_SCAN_ROWS,
    NOMINEE_MATCH,
    REGISTER_MATCH,
    CellError,
    filled,
    find_layout,
    worksheets,
)

ERROR_FILL_RGB = "FFC7CE"


# --- the error workbook --------------------------------------------------------------------------


def error_workbook(data: bytes, errors: list[CellError]) -> bytes:
    """The uploaded workbook, layout kept, with a last column "Lỗi" holding each row's messages,
    the faulty cells filled light red and the sheet-level errors in a note on the column's top cell.
    Works for nominee lists and registers; a "Lỗi" column from an earlier round is reused.
    Only for files the parser could open (openpyxl's own exception otherwise); openpyxl drops
    pictures and charts from the copy it writes."""
    wb = openpyxl.load_workbook(io.BytesIO(data))  # not read-only: the layout is kept
    for sheet in wb.worksheets:
        _neutralise_cells(sheet)
    ws, layout = (worksheets(wb) or wb.worksheets)[0], None
    for sheet in worksheets(wb):
        head = list(sheet.iter_rows(max_row=HEADER_SCAN_ROWS + 3, values_only=True))
        if layout := find_layout(head, NOMINEE_MATCH):
            ws = sheet
            break

    columns: dict[str, list[int]] = {}  # label → 1-based columns
    header_row = 1
    if layout:
        header_row = layout.header_row
        register = find_layout(head, REGISTER_MATCH)
        for found, table in ((layout, LABELS), (register, REGISTER_LABELS)):
            for key, index in found.cols.items():
                columns.setdefault(table[key], [])
                if index + 1 not in columns[table[key]]:
                    columns[table[key]].append(index + 1)
        groups = ((BIRTH, (BIRTH, MALE, FEMALE)), (GENDER, (GENDER, GENDER_MALE, GENDER_FEMALE)))
        for group, members in groups:
            columns[LABELS[group]] = sorted({layout.cols[k] + 1 for k in members if k in layout.cols})

    if layout and ERRORS in layout.cols:
        error_col = layout.cols[ERRORS] + 1
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=error_col, max_col=error_col):
            cell.value = None
        for row in ws.iter_rows(min_row=header_row + 1):
            for cell in row:
                if (
                    cell.fill is not None
                    and cell.fill.fill_type == "solid"
                    and str(cell.fill.fgColor.rgb).upper().endswith(ERROR_FILL_RGB)
                ):
                    cell.fill = PatternFill(fill_type=None)
    else:
        error_col = _free_column(ws, header_row)

    red = PatternFill(fill_type="solid", fgColor=ERROR_FILL_RGB)
    thin = Side(style="thin", color="999999")
    head_cell = ws.cell(row=header_row, column=error_col, value="Lỗi")
    head_cell.font = Font(bold=True, color="C00000")
    head_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.column_dimensions[get_column_letter(error_col)].width = 60

    by_row: dict[int, list[CellError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    for r, row_errors in sorted(by_row.items()):
        if r <= 0:
            continue
        cell = ws.cell(row=r, column=error_col)
        cell.value = _excel_text(
            "; ".join(f"{e.column}: {e.message}" if e.column else e.message for e in row_errors)
        )
        cell.font = Font(color="C00000")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for e in row_errors:
            for c in columns.get(e.column, []):
                ws.cell(row=r, column=c).fill = red

    if sheet_level := [e.message for e in by_row.get(0, [])]:
        top = ws.cell(row=1, column=error_col)
        text = "\n".join(sheet_level)
        if top.row != header_row:
            top.value = _excel_text(text)
            top.font = Font(bold=True, color="C00000")
            top.alignment = Alignment(wrap_text=True, vertical="top")
        top.fill = red
        note = Comment(text, "Thi đua – Khen thưởng")
        note.width, note.height = 320, 40 + 20 * len(sheet_level)
        top.comment = note

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _neutralise_cells(ws) -> None:
    """The officer's formulas, and texts a spreadsheet would run as formulas, become plain text
    behind an apostrophe: the workbook we hand back runs nothing."""
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                text = value.text if isinstance(value, ArrayFormula) else str(value)
                if isinstance(value, DataTableFormula):
                    text = "=TABLE()"
                cell.value = "'" + (text if text.startswith("=") else "=" + text)
                cell.data_type = "s"
            elif isinstance(value, str) and formula_prefix(value):
                cell.value = neutralise_formula(value)


def _free_column(ws, header_row: int) -> int:
    """The column after the last header cell, unless data sits there; then after the last column."""
    last = 0
    for row in ws.iter_rows(min_row=header_row, max_row=header_row + 1):
        for cell in row:
            if filled(cell.value):
                last = max(last, cell.column)
    candidate = last + 1
    for (cell,) in ws.iter_rows(min_col=candidate, max_col=candidate):
        if filled(cell.value):
            return ws.max_column + 1
    return candidate


# --- writing: template and export ----------------------------------------------------------------

# (header, width); Nam and Nữ sit under a merged "Năm sinh".
SHEET_COLUMNS = [
    ("STT", 6),
    ("Họ và tên (cá nhân) / Tên tập thể", 28),
    ("Nam", 8),
    ("Nữ", 8),
    ("Dân tộc", 10),
    ("Chức vụ – Đơn vị công tác", 34),
    ("Tóm tắt thành tích", 50),
    ("Hình thức đề nghị", 30),
    ("Ghi chú", 20),
    ("Loại (Cá nhân/Tập thể)", 13),
    ("Đối tượng", 28),
    ("Trích lời khen", 40),
    ("Nội dung thi đua", 34),
    ("Đối tượng thi đua", 28),
]
_C = {
    name: i + 1
    for i, name in enumerate(
        [
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
            "content_area",
            "participant_kind",
        ]
    )
}
HEADER_ROW = 4
FIRST_DATA_ROW = 6
LISTS_SHEET = "Danh mục"
VALIDATION_SPARE_ROWS = 5000


def _excel_text(text: str) -> str:
    """Escape text Excel or LibreOffice would run as a formula (CSV/formula injection)."""
    return neutralise_formula(text)


# The longest text of each free-text column (nominations.limits), stated in a note on its header
# and checked by Excel while the officer types; the import checks the same limits per cell.
_POSITION_UNIT_LIMIT = limits.NOMINEE["position"] + 3 + limits.NOMINEE["unit_name"]
TEXT_LIMITS = {
    "name": limits.NOMINEE["full_name"],
    "ethnicity": limits.NOMINEE["ethnicity"],
    "position_unit": _POSITION_UNIT_LIMIT,
    "summary": limits.NOMINEE["achievement_summary"],
    "note": limits.NOMINEE["note"],
    "citation": limits.NOMINEE["citation"],
}


def _limit_note(name: str) -> str:
    if name == "position_unit":
        position = limits.vn_number(limits.NOMINEE["position"])
        unit = limits.vn_number(limits.NOMINEE["unit_name"])
        return f"Chức vụ tối đa {position} ký tự, đơn vị công tác tối đa {unit} ký tự."
    return f"Tối đa {limits.vn_number(TEXT_LIMITS[name])} ký tự."


def build_template(
    award_forms: list[tuple[str, str]],
    title: str = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
    content_areas: list[tuple[str, str]] = (),
) -> bytes:
    """The blank list an office fills in, with drop-downs and one example row (STT "VD").
    ``content_areas`` (code, title) are the movement's, offered in "Nội dung thi đua"."""
    return _write_list([], award_forms, title, "", example=True, content_areas=content_areas)


def export_nominees(
    rows: list[NomineeRow],
    award_forms: list[tuple[str, str]],
    title: str,
    unit: str,
    content_areas: list[tuple[str, str]] = (),
) -> bytes:
    """The nominees in the template's layout; reads back through :func:`parse_nominee_sheet`."""
    return _write_list(rows, award_forms, title, unit, example=False, content_areas=content_areas)


def area_label(code: str, title: str) -> str:
    """A content area as the sheet writes it and its drop-down offers it: "2.1. Tiêu đề"."""
    return f"{code}. {title}"


def _write_list(
    rows: list[NomineeRow], award_forms, title: str, unit: str, *, example: bool, content_areas=()
) -> bytes:
    vocab = vocabulary()["labels"]
    award_names = dict(award_forms)
    area_labels = {code: area_label(code, area_title) for code, area_title in content_areas}
    last = len(SHEET_COLUMNS)
    last_letter = get_column_letter(last)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")

    ws.merge_cells(f"A1:{last_letter}1")
    ws["A1"] = _excel_text(nfc(title))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 28
    ws.merge_cells(f"A2:{last_letter}2")
    ws["A2"] = _excel_text(nfc(f"Đơn vị: {unit}" if unit else "Đơn vị: ……………………………………"))
    ws["A2"].font = Font(italic=not unit, size=12)
    ws["A2"].alignment = Alignment(horizontal="center")

    header_fill = PatternFill(fill_type="solid", fgColor="DDEBF7")
    for col, (label, width) in enumerate(SHEET_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        if col in (_C["male"], _C["female"]):
            ws.cell(row=HEADER_ROW + 1, column=col, value=label)
        else:
            ws.cell(row=HEADER_ROW, column=col, value=label)
            ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW + 1, end_column=col)
    ws.cell(row=HEADER_ROW, column=_C["male"], value="Năm sinh")
    ws.merge_cells(start_row=HEADER_ROW, start_column=_C["male"], end_row=HEADER_ROW, end_column=_C["female"])
    for r in (HEADER_ROW, HEADER_ROW + 1):
        for col in range(1, last + 1):
            cell = ws.cell(row=r, column=col)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
            cell.fill = header_fill
    ws.row_dimensions[HEADER_ROW].height = 30
    for name in TEXT_LIMITS:
        note = Comment(_limit_note(name), "Thi đua – Khen thưởng")
        note.width, note.height = 220, 50
        ws.cell(row=HEADER_ROW, column=_C[name]).comment = note
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=_C["male"])
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    def put(r: int, values: dict[str, object], font: Font | None = None) -> None:
        for name, col in _C.items():
            value = values.get(name)
            if isinstance(value, str):
                value = _excel_text(value) if value else None
            cell = ws.cell(row=r, column=col, value=value)
            cell.alignment = wrap_top
            cell.border = border
            if font:
                cell.font = font
            if isinstance(value, datetime | date):
                cell.number_format = "DD/MM/YYYY"
            elif name in ("male", "female", "stt") and isinstance(value, int):
                cell.number_format = "0"
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif name not in ("male", "female"):
                cell.number_format = "@"

    r = FIRST_DATA_ROW
    if example:
        first_award = award_forms[0][1] if award_forms else ""
        put(
            r,
            {
                "stt": "VD",
                "name": EXAMPLE_NAME,
                "male": 1980,
                "ethnicity": "Kinh",
                "position_unit": "Trưởng phòng – Phòng Tổ chức cán bộ, Sở Nội vụ",
                "summary": "Hoàn thành xuất sắc nhiệm vụ năm …; sáng kiến … được công nhận.",
                "award": first_award,
                "note": "Dòng ví dụ: không được đọc; ghi đè hoặc xoá đi",
                "kind": vocab["kind"][NomineeKind.INDIVIDUAL],
                "category": vocab["category"][IndividualCategory.OTHER_LEADER],
                "citation": "Đã có thành tích xuất sắc trong …",
                "content_area": next(iter(area_labels.values()), ""),
                "participant_kind": vocab["participant_kind"][ParticipantKind.AGENCIES],
            },
            Font(italic=True, color="7F7F7F"),
        )
        r += 1
    for number, nominee in enumerate(rows, start=1):
        individual = nominee.kind != NomineeKind.COLLECTIVE
        born = nominee.birth_date or nominee.birth_year
        if individual:
            if nominee.position and nominee.unit_name:
                position_unit = f"{nominee.position} – {nominee.unit_name}"
            elif nominee.unit_name:
                position_unit = f"– {nominee.unit_name}"
            else:
                position_unit = nominee.position
            category = vocab["category"].get(nominee.category, nominee.category)
        else:
            position_unit = nominee.unit_name
            category = vocab["collective"].get(nominee.collective_kind, nominee.collective_kind)
        put(
            r,
            {
                "stt": number,
                "name": nominee.full_name,
                "male": born if individual and nominee.gender == Gender.MALE else None,
                "female": born if individual and nominee.gender == Gender.FEMALE else None,
                "ethnicity": nominee.ethnicity if individual else "",
                "position_unit": position_unit,
                "summary": nominee.achievement_summary,
                "award": award_names.get(nominee.award_form_code, nominee.award_form_code),
                "note": nominee.note,
                "kind": vocab["kind"].get(nominee.kind, nominee.kind),
                "category": category,
                "citation": nominee.citation,
                "content_area": area_labels.get(nominee.content_area, nominee.content_area),
                "participant_kind": vocab["participant_kind"].get(
                    nominee.participant_kind, nominee.participant_kind
                ),
            },
        )
        r += 1

    last_row = max(r, FIRST_DATA_ROW) + VALIDATION_SPARE_ROWS
    _add_drop_downs(wb, ws, award_forms, vocab, FIRST_DATA_ROW, last_row, list(area_labels.values()))
    _add_length_checks(ws, FIRST_DATA_ROW, last_row)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _add_drop_downs(wb, ws, award_forms, vocab, first_row: int, last_row: int, areas=()) -> None:
    """Lists live on a hidden sheet: inline lists break on commas ("Cơ quan, đơn vị") and at 255
    characters, which a movement's award forms exceed."""
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    columns = {
        "kind": [vocab["kind"][k] for k in NomineeKind.values],
        "category": list(vocab["category"].values()) + list(vocab["collective"].values()),
        "award": [nfc(name) for _code, name in award_forms],
        "content_area": [nfc(label) for label in areas],
        "participant_kind": list(vocab["participant_kind"].values()),
    }
    for index, (name, values) in enumerate(columns.items(), start=1):
        if not values:
            continue
        for r, value in enumerate(values, start=1):
            lists.cell(row=r, column=index, value=_excel_text(value))
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không có trong danh sách",
            error="Hãy chọn một giá trị trong danh sách thả xuống.",
        )
        target = get_column_letter(_C[name])
        if name == "content_area":
            # The code alone ("2.1") is accepted too: Excel warns, the officer may keep it; the
            # column is text, so "2.1" stays "2.1" rather than a number or a date.
            validation.errorStyle = "warning"
            validation.error = "Hãy chọn trong danh sách, hoặc ghi số mục của nội dung (ví dụ 2.1)."
            ws.column_dimensions[target].number_format = "@"
        validation.add(f"{target}{first_row}:{target}{last_row}")
        ws.add_data_validation(validation)


def _add_length_checks(ws, first_row: int, last_row: int) -> None:
    """Excel refuses a text over its column's limit as it is typed, and says the limit when the
    cell is selected."""
    for name, limit in TEXT_LIMITS.items():
        validation = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(limit),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="Quá dài",
            error=_limit_note(name),
            promptTitle="Độ dài",
            prompt=_limit_note(name),
        )
        target = get_column_letter(_C[name])
        validation.add(f"{target}{first_row}:{target}{last_row}")
        ws.add_data_validation(validation)
