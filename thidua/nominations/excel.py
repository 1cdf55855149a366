"""Nomination lists in Excel: the blank template, the reader with row-level errors, the error
workbook handed back to the officer, the export, and the reader for past awards (the register).

Pure functions over bytes: no ORM access. The caller passes the movement's award forms as
``(code, name)`` pairs and decides what to do with the rows (all or nothing).

The sheet vocabulary (header labels, "Cá nhân"/"Tập thể", the Đối tượng labels) is Vietnamese
whatever the interface language, because the sheets are Vietnamese administrative documents;
error messages go through gettext.

Offices' sheets vary: title rows on top, a two-row header with "Năm sinh" merged over Nam | Nữ,
a row of column numbers under the header, section rows ("I. CÁ NHÂN"), a signature block at the
bottom. Headers are matched by their folded text (no diacritics, đ→d, no punctuation), so
"HỌ VÀ TÊN (cá nhân) / Tên tập thể" and "Họ và tên" are the same column.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain
from typing import BinaryIO

import openpyxl
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.core.text import fold, nfc

from .choices import CollectiveKind, Gender, IndividualCategory, NomineeKind, NomineeRow

__all__ = [
    "CellError",
    "ParseResult",
    "PastAwardRow",
    "RegisterParseResult",
    "build_template",
    "error_workbook",
    "export_nominees",
    "parse_award_register",
    "parse_nominee_sheet",
]

MAX_NAME_LENGTH = 150
MIN_AGE = 15
MIN_YEAR = 1900
HEADER_SCAN_ROWS = 15
# A run of this many blank rows ends the list: sheets formatted down to row 1,048,576 would
# otherwise be read to the end.
MAX_BLANK_RUN = 1000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The template's example row: STT "VD" and this name. A "VD" row with another name was typed over
# the example; it is reported rather than silently skipped.
EXAMPLE_MARKS = ("vd", "vi du")
EXAMPLE_NAME = "Nguyễn Văn A"
ERROR_FILL_RGB = "FFC7CE"


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem: ``row`` is the 1-based sheet row (0 for the whole sheet), ``column`` the
    column's label as this module names it (e.g. "Họ và tên", "Nam", "Năm sinh"; "" for the sheet)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return _("Dòng %(row)d, cột “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ParseResult:
    rows: list[NomineeRow] = field(default_factory=list)  # only rows without errors
    errors: list[CellError] = field(default_factory=list)
    sheet_name: str = ""
    header_row: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class PastAwardRow:
    full_name: str
    birth_year: int | None = None
    unit_name: str = ""
    award_name: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    issuer_name: str = ""
    note: str = ""
    row_number: int = 0


@dataclass
class RegisterParseResult:
    rows: list[PastAwardRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    sheet_name: str = ""
    header_row: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- columns -------------------------------------------------------------------------------------

STT = "stt"
NAME = "name"
BIRTH = "birth"
MALE = "birth_male"
FEMALE = "birth_female"
GENDER = "gender"
GENDER_MALE = "gender_male"  # "x" marks under a "Giới tính" header split into Nam | Nữ
GENDER_FEMALE = "gender_female"
ETHNICITY = "ethnicity"
POSITION_UNIT = "position_unit"
POSITION = "position"
UNIT = "unit"
SUMMARY = "summary"
AWARD = "award"
NOTE = "note"
KIND = "kind"
CATEGORY = "category"
CITATION = "citation"
LEADER = "leader"
AWARD_NAME = "award_name"
DECISION_NUMBER = "decision_number"
DECISION_DATE = "decision_date"
ISSUER = "issuer"
ERRORS = "errors"

LABELS = {
    STT: "STT",
    NAME: "Họ và tên",
    BIRTH: "Năm sinh",
    MALE: "Nam",
    FEMALE: "Nữ",
    GENDER: "Giới tính",
    GENDER_MALE: "Giới tính",
    GENDER_FEMALE: "Giới tính",
    ETHNICITY: "Dân tộc",
    POSITION_UNIT: "Chức vụ – Đơn vị công tác",
    POSITION: "Chức vụ",
    UNIT: "Đơn vị công tác",
    SUMMARY: "Tóm tắt thành tích",
    AWARD: "Hình thức đề nghị",
    NOTE: "Ghi chú",
    KIND: "Loại",
    CATEGORY: "Đối tượng",
    CITATION: "Trích lời khen",
    LEADER: "Người đứng đầu",
    AWARD_NAME: "Hình thức khen thưởng",
    DECISION_NUMBER: "Số quyết định",
    DECISION_DATE: "Ngày quyết định",
    ISSUER: "Cơ quan quyết định",
    ERRORS: "Lỗi",
}
REGISTER_LABELS = {**LABELS, UNIT: "Đơn vị"}

# Aliases are folded header texts (see _header_key). One-word aliases match exactly; longer ones
# also match as a prefix ("ho va ten" matches "ho va ten ca nhan ten tap the"); the longest wins.
_COMMON_ALIASES = {
    STT: ["stt", "tt", "so tt", "so thu tu"],
    NAME: [
        "ho va ten",
        "ho ten",
        "ten tap the",
        "ten ca nhan tap the",
        "ten ca nhan",
        "ho va ten ten tap the",
    ],
    BIRTH: ["nam sinh", "ngay sinh", "ngay thang nam sinh", "sinh ngay"],
    MALE: ["nam", "nam sinh nam"],
    FEMALE: ["nu", "nam sinh nu"],
    GENDER: ["gioi tinh", "gioi"],
    NOTE: ["ghi chu"],
    ERRORS: ["loi"],
}
NOMINEE_ALIASES = {
    **_COMMON_ALIASES,
    ETHNICITY: ["dan toc"],
    POSITION_UNIT: [
        "chuc vu don vi",
        "chuc vu va don vi",
        "chuc vu noi cong tac",
        "chuc vu co quan",
        "chuc danh don vi",
        "chuc vu chuc danh don vi",
        "chuc vu chuc danh noi cong tac",
    ],
    POSITION: ["chuc vu", "chuc danh", "chuc vu chuc danh"],
    UNIT: ["don vi", "don vi cong tac", "noi cong tac", "co quan don vi", "co quan don vi cong tac"],
    SUMMARY: ["tom tat thanh tich", "thanh tich", "thanh tich dat duoc", "tom tat thanh tich dat duoc"],
    AWARD: [
        "hinh thuc de nghi",
        "hinh thuc khen thuong",
        "hinh thuc khen thuong de nghi",
        "hinh thuc de nghi khen thuong",
        "de nghi hinh thuc",
        "de nghi khen thuong",
    ],
    KIND: ["loai", "loai ca nhan tap the", "ca nhan tap the", "ca nhan hay tap the"],
    CATEGORY: ["doi tuong", "phan loai doi tuong"],
    CITATION: ["trich loi khen", "loi khen", "noi dung trich loi khen", "loi trich"],
    LEADER: ["nguoi dung dau", "thu truong", "thu truong don vi", "ho ten thu truong"],
}
REGISTER_ALIASES = {
    **_COMMON_ALIASES,
    UNIT: [
        "don vi",
        "don vi cong tac",
        "noi cong tac",
        "co quan don vi",
        "chuc vu don vi",
        "chuc vu va don vi",
        "chuc vu noi cong tac",
    ],
    AWARD_NAME: [
        "hinh thuc khen thuong",
        "hinh thuc",
        "hinh thuc danh hieu",
        "danh hieu",
        "danh hieu hinh thuc",
        "danh hieu thi dua",
    ],
    DECISION_NUMBER: ["so quyet dinh", "so qd", "quyet dinh so", "so ky hieu", "so ky hieu quyet dinh"],
    DECISION_DATE: ["ngay quyet dinh", "ngay qd", "ngay ky", "ngay ban hanh", "ngay ky quyet dinh"],
    ISSUER: ["co quan quyet dinh", "co quan ban hanh", "cap quyet dinh", "co quan khen thuong", "cap khen"],
}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _header_key(value) -> str:
    if value is None or isinstance(value, (int, float, datetime, date)):
        return ""
    return _NON_ALNUM.sub(" ", fold(str(value))).strip()


class _Matcher:
    def __init__(self, aliases: dict[str, list[str]]):
        self.exact = {alias: key for key, names in aliases.items() for alias in names}
        self.prefixes = sorted(
            ((alias + " ", key) for key, names in aliases.items() for alias in names if " " in alias),
            key=lambda pair: -len(pair[0]),
        )

    def __call__(self, value) -> str | None:
        text = _header_key(value)
        if not text:
            return None
        if text in self.exact:
            return self.exact[text]
        for prefix, key in self.prefixes:
            if text.startswith(prefix):
                return key
        return None


_NOMINEE_MATCH = _Matcher(NOMINEE_ALIASES)
_REGISTER_MATCH = _Matcher(REGISTER_ALIASES)


@dataclass
class _Layout:
    header_row: int  # 1-based
    data_start: int  # 1-based first row after the header (and its sub-row, numbering row)
    cols: dict[str, int]  # column key → 0-based index


def _cell(row: tuple, index: int | None):
    if index is None or index >= len(row):
        return None
    return row[index]


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


_NUMBERING = re.compile(r"\(?\d{1,2}\)?")


def _find_layout(head: list[tuple], match: _Matcher) -> _Layout | None:
    """Find the header among the first rows: the row with the name column, then an optional
    sub-header row (Nam | Nữ under a merged "Năm sinh") and an optional row of column numbers."""
    for i, row in enumerate(head[:HEADER_SCAN_ROWS]):
        top = [match(value) for value in row]
        if NAME not in top:
            continue
        # Merged header cells read as one value and blanks to its right: a sub-header cell under a
        # blank belongs to the group on its left.
        groups, group = [], None
        for key, value in zip(top, row, strict=True):
            if _filled(value):
                group = key
            groups.append(group)
        cols: dict[str, int] = {}
        below = head[i + 1] if i + 1 < len(head) else ()
        sub = [match(value) for value in below]
        below_filled = [j for j, value in enumerate(below) if _filled(value)]
        is_sub = bool(below_filled) and all(sub[j] for j in below_filled) and NAME not in sub
        if is_sub and _filled(_cell(below, top.index(NAME))):
            is_sub = False
        width = max(len(row), len(below) if is_sub else 0)
        for j in range(width):
            key = top[j] if j < len(top) else None
            sub_key = sub[j] if is_sub and j < len(sub) else None
            if sub_key in (MALE, FEMALE):
                group = groups[j] if j < len(groups) else None
                key = (GENDER_MALE if sub_key == MALE else GENDER_FEMALE) if group == GENDER else sub_key
            elif sub_key:
                key = sub_key
            if key and key not in cols:
                cols[key] = j
        data_start = i + 2 + (1 if is_sub else 0)
        numbering = head[data_start - 1] if data_start - 1 < len(head) else ()
        numbers = [value for value in numbering if _filled(value)]
        if len(numbers) >= 3 and all(
            isinstance(v, int) or (isinstance(v, str) and _NUMBERING.fullmatch(v.strip())) for v in numbers
        ):
            data_start += 1
        return _Layout(header_row=i + 1, data_start=data_start, cols=cols)
    return None


# --- values --------------------------------------------------------------------------------------


def _open_read_only(data: bytes | BinaryIO):
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    return openpyxl.load_workbook(source, read_only=True, data_only=True)


def _not_a_workbook() -> CellError:
    return CellError(
        0, "", _("Tệp không phải là bảng tính Excel (.xlsx) đọc được; hãy lưu lại dưới dạng .xlsx")
    )


def _sheet_rows(ws) -> Iterator[tuple]:
    ws.reset_dimensions()  # some writers store a wrong size; read what is really there
    return ws.iter_rows(values_only=True)


def _worksheets(wb) -> list:
    """The visible worksheets, the active one first (the active sheet may be a chart)."""
    active = wb.active
    sheets = ([active] if active in wb.worksheets else []) + [ws for ws in wb.worksheets if ws is not active]
    return [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]


def _locate(
    wb, match: _Matcher, result: ParseResult | RegisterParseResult
) -> tuple[_Layout, Iterator[tuple]] | None:
    """The header of the first sheet (the active one first) whose first rows hold it, noted in
    ``result``, and all that sheet's rows from the first; a sheet error when no sheet has it."""
    for ws in _worksheets(wb):
        rows = _sheet_rows(ws)
        head = []
        for row in rows:
            head.append(row)
            if len(head) >= HEADER_SCAN_ROWS + 3:
                break
        layout = _find_layout(head, match)
        if layout:
            result.sheet_name, result.header_row = ws.title, layout.header_row
            return layout, chain(head, rows)
    result.errors.append(
        CellError(
            0,
            "",
            _("Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong %(n)d dòng đầu của trang tính")
            % {"n": HEADER_SCAN_ROWS},
        )
    )
    return None


def _display(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def _plain(value) -> str:
    """A cell as text, NFC with whitespace collapsed (line breaks kept in multi-line cells);
    a leading apostrophe put by our export in front of = + - @ is taken off."""
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
            value = value[1:]
        if "\n" in value or "\r" in value:
            lines = (nfc(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            return "\n".join(line for line in lines if line)
        return nfc(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def _is_formula_text(value) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=")


_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _parse_when(
    value, today: date, *, what: str, year_ok: bool = True
) -> tuple[int | None, date | None, str]:
    """(year, date, error) from a year or a date, as a number, an Excel date or text."""
    day = None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, bool):
        return None, None, _unreadable(value, what, year_ok)
    elif isinstance(value, int | float):
        if not float(value).is_integer():
            return None, None, _unreadable(value, what, year_ok)
        if not year_ok:
            return None, None, _needs_full_date(value, what)
        return _check_year(int(value), today, what)
    else:
        text = nfc(str(value))
        if m := _YEAR.fullmatch(text):
            if not year_ok:
                return None, None, _needs_full_date(value, what)
            return _check_year(int(m[1]), today, what)
        if m := _DMY.fullmatch(text):
            d, mo, y = int(m[1]), int(m[3]), int(m[4])
        elif m := _ISO.fullmatch(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        else:
            return None, None, _unreadable(value, what, year_ok)
        try:
            day = date(y, mo, d)
        except ValueError:
            return None, None, _("ngày “%(value)s” không có trên lịch") % {"value": text}
    if day.year < MIN_YEAR:
        return (
            None,
            None,
            _("%(what)s “%(value)s” trước năm %(min)d")
            % {
                "what": what,
                "value": _display(day),
                "min": MIN_YEAR,
            },
        )
    if day > today:
        return None, None, _("%(what)s “%(value)s” ở tương lai") % {"what": what, "value": _display(day)}
    return day.year, day, ""


def _check_year(year: int, today: date, what: str) -> tuple[int | None, date | None, str]:
    if MIN_YEAR <= year <= today.year:
        return year, None, ""
    return (
        None,
        None,
        _("%(what)s “%(value)d” phải từ %(min)d đến %(max)d")
        % {
            "what": what,
            "value": year,
            "min": MIN_YEAR,
            "max": today.year,
        },
    )


def _unreadable(value, what: str, year_ok: bool) -> str:
    hint = _("ghi năm (ví dụ 1985) hoặc ngày dạng dd/mm/yyyy") if year_ok else _("ghi ngày dạng dd/mm/yyyy")
    return _("không đọc được %(what)s “%(value)s”: %(hint)s") % {
        "what": what.lower(),
        "value": _display(value),
        "hint": hint,
    }


def _needs_full_date(value, what: str) -> str:
    return _("%(what)s cần đủ ngày, tháng, năm (dd/mm/yyyy), không chỉ “%(value)s”") % {
        "what": what,
        "value": _display(value),
    }


def _age(born_year: int, born: date | None, today: date) -> int:
    if born is None:
        return today.year - born_year
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _vn_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@lru_cache(maxsize=1)
def _vocab() -> dict:
    """Folded label/code → value for the sheet's drop-downs, and the labels, in Vietnamese."""
    with translation.override("vi"):
        kinds = {fold(str(c.label)): c.value for c in NomineeKind} | {c.value: c.value for c in NomineeKind}
        categories = {fold(str(c.label)): c.value for c in IndividualCategory}
        categories |= {c.value: c.value for c in IndividualCategory}
        collective = {fold(str(c.label)): c.value for c in CollectiveKind}
        collective |= {c.value: c.value for c in CollectiveKind}
        genders = {fold(str(c.label)): c.value for c in Gender} | {c.value: c.value for c in Gender}
        labels = {
            "kind": {c.value: str(c.label) for c in NomineeKind},
            "category": {c.value: str(c.label) for c in IndividualCategory},
            "collective": {c.value: str(c.label) for c in CollectiveKind},
        }
    return {
        "kind": kinds,
        "category": categories,
        "collective": collective,
        "gender": genders,
        "labels": labels,
    }


def _award_lookup(award_forms: Iterable[tuple[str, str]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in award_forms:
        lookup.setdefault(fold(name), code)
    for code, _name in award_forms:
        lookup.setdefault(fold(code), code)
    return lookup


# Rows that are not nominees, recognised only when they carry no number, no award and no birth:
# section headings ("I. CÁ NHÂN", "Danh sách tập thể") and the signature block at the bottom.
_SECTION = re.compile(
    r"(?:(?:[ivx]+|[a-e]|\d{1,2}) )?(?:danh sach )?(?:(?:de nghi|khen thuong) )?(ca nhan|tap the)(?: \d+)?"
)
_FOOTER = re.compile(
    r"nguoi lap|thu truong|\(ky|ky ten|ky ghi ro|tong cong|tong so|ngay\s*\S*\s*thang\s*\S*\s*nam"
)
_MAX_DECORATION_CELLS = 4


def _decoration(row: tuple, stt, folded) -> str | None:
    """ "individual"/"collective" for a section heading, "footer" for the signature block, else None."""
    if isinstance(stt, int | float) or (isinstance(stt, str) and stt.strip().isdigit()):
        return None
    texts = [folded(_plain(v)) for v in row if _filled(v)]
    if len(texts) > _MAX_DECORATION_CELLS:
        return None
    if m := _SECTION.fullmatch(_NON_ALNUM.sub(" ", " ".join(texts)).strip()):
        return NomineeKind.INDIVIDUAL if m[1] == "ca nhan" else NomineeKind.COLLECTIVE
    if _FOOTER.search(" ".join(texts)):
        return "footer"
    return None


# --- reading rows: what both lists share ---------------------------------------------------------


def _read_workbook(data: bytes | BinaryIO, result: ParseResult | RegisterParseResult, read) -> None:
    """Open ``data`` and hand the workbook to ``read``; a file openpyxl cannot open is a sheet error."""
    try:
        wb = _open_read_only(data)
    except Exception:  # openpyxl raises zipfile, KeyError, InvalidFileException… on bad files
        result.errors.append(_not_a_workbook())
        return
    try:
        read(wb)
    finally:
        wb.close()


def _missing_columns(labels: list[str]) -> CellError:
    return CellError(
        0, "", _("Thiếu cột bắt buộc: %(columns)s") % {"columns": ", ".join(f"“{m}”" for m in labels)}
    )


def _folder() -> Callable[[str], str]:
    """:func:`fold` with a cache for one sheet, whose rows repeat the same few labels."""
    cache: dict[str, str] = {}

    def folded(text: str) -> str:
        if text not in cache:
            cache[text] = fold(text)
        return cache[text]

    return folded


def _is_example(stt, folded) -> bool:
    """STT "VD": the template's example row, or a row typed over it."""
    return isinstance(stt, str) and folded(stt) in EXAMPLE_MARKS


class _Rows:
    """The entries of a sheet, as (1-based row number, values), from the layout's first data row.

    Left out: blank rows (a run of MAX_BLANK_RUN of them ends the list); the template's example
    row (STT "VD"; with ``example_name_col``, only while its name is blank or the example's); and,
    among the rows where none of ``entry_cols`` is filled, section headings and the signature
    block. ``section`` is the kind the last heading named. Past ``max_rows`` entries the sheet
    error is put first in ``errors`` and reading stops."""

    def __init__(
        self,
        layout: _Layout,
        rows: Iterator[tuple],
        *,
        max_rows: int,
        errors: list[CellError],
        folded,
        stt_col: int | None,
        entry_cols: list[int],
        example_name_col: int | None = None,
    ):
        self.layout, self.rows, self.max_rows, self.errors = layout, rows, max_rows, errors
        self.folded, self.stt_col, self.entry_cols = folded, stt_col, entry_cols
        self.example_name_col = example_name_col
        self.section = ""

    def __iter__(self) -> Iterator[tuple[int, tuple]]:
        folded, stt_col, entry_cols = self.folded, self.stt_col, self.entry_cols
        name_col = self.example_name_col
        data_start, max_rows = self.layout.data_start, self.max_rows
        count = blank_run = 0
        for number, row in enumerate(self.rows, start=1):
            if number < data_start:
                continue
            if not any(_filled(v) for v in row):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    return
                continue
            blank_run = 0
            stt = _cell(row, stt_col)
            if _is_example(stt, folded) and (
                name_col is None or folded(_plain(_cell(row, name_col))) in ("", fold(EXAMPLE_NAME))
            ):
                continue
            if not any(_filled(_cell(row, c)) for c in entry_cols) and (
                decoration := _decoration(row, stt, folded)
            ):
                if decoration != "footer":
                    self.section = decoration
                continue
            count += 1
            if count > max_rows:
                self.errors.insert(
                    0,
                    CellError(
                        0,
                        "",
                        _("Danh sách có hơn %(max)s dòng; hãy chia thành nhiều tệp nhỏ hơn")
                        % {"max": _vn_number(max_rows)},
                    ),
                )
                return
            yield number, row


class _RowErrors(list):
    """One row's errors; ``err(key, message)`` adds one under the column's label."""

    def __init__(self, row: int, labels: dict[str, str]):
        super().__init__()
        self.row, self.labels = row, labels

    def __call__(self, key: str, message: str) -> None:
        self.append(CellError(self.row, self.labels[key], message))


def _formula(value) -> str:
    return _("ô chứa công thức “%(value)s”; hãy ghi giá trị, không ghi công thức") % {
        "value": nfc(value)[:60]
    }


def _text(err: _RowErrors, key: str, value, missing: str = "") -> str:
    """The cell as text (see :func:`_plain`). Formula text is reported and read as ""; a blank
    cell is reported with the ``missing`` message, if any."""
    if _is_formula_text(value):
        err(key, _formula(value))
        return ""
    text = _plain(value)
    if missing and not text:
        err(key, missing)
    return text


def _check_name_length(err: _RowErrors, name: str) -> None:
    if len(name) > MAX_NAME_LENGTH:
        err(
            NAME,
            _("họ và tên dài quá %(max)d ký tự (có %(n)d ký tự)") % {"max": MAX_NAME_LENGTH, "n": len(name)},
        )


# The longest text each column may hold, as the database stores it.
MAX_LENGTHS = {ETHNICITY: 64, POSITION: 255, UNIT: 255, LEADER: 255, NOTE: 500, AWARD_NAME: 255,
               DECISION_NUMBER: 64, ISSUER: 255}


def _check_lengths(err: _RowErrors, values: dict[str, str], keys: tuple[str, ...]) -> None:
    for key in keys:
        value, limit = values.get(key, ""), MAX_LENGTHS[key]
        if len(value) > limit:
            err(key, _("dài quá %(max)d ký tự (có %(n)d ký tự)") % {"max": limit, "n": len(value)})


def _birth_cell(err: _RowErrors, male, female, birth) -> tuple[str, object]:
    """Where the birth year is written: (key, value) of the first filled of Nam, Nữ and Năm sinh,
    (BIRTH, None) when all are blank. Nam and Nữ both filled is an error, and gives ("", None)."""
    if _filled(male) and _filled(female):
        err(BIRTH, _("ghi năm sinh ở một cột Nam hoặc Nữ, không ghi cả hai"))
        return "", None
    if _filled(male):
        return MALE, male
    if _filled(female):
        return FEMALE, female
    return BIRTH, birth if _filled(birth) else None


def _when(
    err: _RowErrors, key: str, value, today: date, what: str, *, year_ok: bool = True
) -> tuple[int | None, date | None]:
    """(year, date) from a filled cell (see :func:`_parse_when`); (None, None) with the problem reported."""
    if _is_formula_text(value):
        err(key, _formula(value))
        return None, None
    year, day, problem = _parse_when(value, today, what=what, year_ok=year_ok)
    if problem:
        err(key, problem)
    return year, day


# --- the nominee list ----------------------------------------------------------------------------


def parse_nominee_sheet(
    data: bytes | BinaryIO,
    award_forms: list[tuple[str, str]],
    max_rows: int = 5000,
    *,
    today: date | None = None,
) -> ParseResult:
    """Read a nomination list; every problem in the sheet becomes a :class:`CellError`."""
    today = today or timezone.localdate()
    result = ParseResult()
    _read_workbook(data, result, lambda wb: _read_nominees(wb, award_forms, max_rows, today, result))
    return result


_GENDER_OF = {MALE: Gender.MALE, FEMALE: Gender.FEMALE}


def _read_nominees(wb, award_forms, max_rows: int, today: date, result: ParseResult) -> None:
    errors = result.errors
    found = _locate(wb, _NOMINEE_MATCH, result)
    if not found:
        return
    layout, sheet_rows = found
    cols = layout.cols

    missing = []
    if NAME not in cols:
        missing.append(LABELS[NAME])
    if MALE not in cols and FEMALE not in cols:
        if BIRTH not in cols:
            missing.append(_("Năm sinh (Nam, Nữ)"))
        elif GENDER not in cols and GENDER_MALE not in cols and GENDER_FEMALE not in cols:
            missing.append(LABELS[GENDER])
    if AWARD not in cols:
        missing.append(LABELS[AWARD])
    if missing:
        errors.append(_missing_columns(missing))
        return

    vocab = _vocab()
    kinds, categories, collectives, genders = (
        vocab["kind"],
        vocab["category"],
        vocab["collective"],
        vocab["gender"],
    )
    awards = _award_lookup(award_forms)
    folded = _folder()

    c_stt, c_name, c_birth, c_male, c_female = (cols.get(k) for k in (STT, NAME, BIRTH, MALE, FEMALE))
    c_gender, c_gmale, c_gfemale = (cols.get(k) for k in (GENDER, GENDER_MALE, GENDER_FEMALE))
    text_cols = [
        (key, cols[key])
        for key in (
            ETHNICITY,
            POSITION_UNIT,
            POSITION,
            UNIT,
            SUMMARY,
            NOTE,
            CITATION,
            LEADER,
            KIND,
            CATEGORY,
            AWARD,
        )
        if key in cols
    ]
    birth_cols = [c for c in (c_birth, c_male, c_female, c_gender, c_gmale, c_gfemale) if c is not None]
    what_birth, no_name = _("năm sinh"), _("chưa ghi họ và tên (hoặc tên tập thể)")
    rows = _Rows(
        layout,
        sheet_rows,
        max_rows=max_rows,
        errors=errors,
        folded=folded,
        stt_col=c_stt,
        entry_cols=[cols[AWARD], *birth_cols],
        example_name_col=c_name,
    )

    for r, row in rows:
        err = _RowErrors(r, LABELS)
        stt = _cell(row, c_stt)
        if _is_example(stt, folded):
            err(
                STT,
                _(
                    "dòng ví dụ (STT “%(value)s”) đã bị ghi đè: ghi số thứ tự nếu đây là người được đề nghị, "
                    "hoặc xoá dòng"
                )
                % {"value": nfc(stt)},
            )

        values = {key: _text(err, key, _cell(row, c)) for key, c in text_cols}
        name = _text(err, NAME, _cell(row, c_name), no_name).replace("\n", " ")
        _check_name_length(err, name)

        category_text = values.get(CATEGORY, "")
        kind_text = values.get(KIND, "")
        if kind_text:
            kind = kinds.get(folded(kind_text), "")
            if not kind:
                err(
                    KIND,
                    _("loại “%(value)s” không hợp lệ; ghi “Cá nhân” hoặc “Tập thể”") % {"value": kind_text},
                )
                kind = NomineeKind.INDIVIDUAL
        elif rows.section:
            kind = rows.section
        elif (
            category_text
            and folded(category_text) in collectives
            and folded(category_text) not in categories
            and not any(_filled(_cell(row, c)) for c in birth_cols)
        ):
            kind = NomineeKind.COLLECTIVE  # "Doanh nghiệp" with no birth year: a collective
        else:
            kind = NomineeKind.INDIVIDUAL

        category = collective_kind = ""
        if category_text:
            if kind == NomineeKind.INDIVIDUAL:
                category = categories.get(folded(category_text), "")
                if not category:
                    err(
                        CATEGORY,
                        _("đối tượng “%(value)s” không có trong danh sách đối tượng cá nhân")
                        % {"value": category_text},
                    )
            else:
                collective_kind = collectives.get(folded(category_text), "")
                if not collective_kind:
                    err(
                        CATEGORY,
                        _("đối tượng “%(value)s” không có trong danh sách loại tập thể")
                        % {"value": category_text},
                    )

        male, female, birth = _cell(row, c_male), _cell(row, c_female), _cell(row, c_birth)
        gender_text, gmale, gfemale = _cell(row, c_gender), _cell(row, c_gmale), _cell(row, c_gfemale)
        gender, birth_year, birth_date = "", None, None
        if kind == NomineeKind.COLLECTIVE:
            if any(_filled(v) for v in (male, female, birth, gender_text, gmale, gfemale)):
                err(BIRTH, _("tập thể không ghi năm sinh, giới tính"))
        else:
            source_key, source = _birth_cell(err, male, female, birth)
            gender = _GENDER_OF.get(source_key, "")
            if source is not None:
                birth_year, birth_date = _when(err, source_key, source, today, what_birth)
                if birth_year is not None and _age(birth_year, birth_date, today) < MIN_AGE:
                    err(
                        source_key,
                        _("người được đề nghị chưa đủ %(min)d tuổi (sinh %(value)s)")
                        % {"min": MIN_AGE, "value": _display(birth_date or birth_year)},
                    )
            elif not source_key:
                pass  # Nam and Nữ both filled: reported
            elif MALE in cols or FEMALE in cols:
                err(BIRTH, _("chưa ghi năm sinh (ở cột Nam hoặc cột Nữ)"))
            else:
                err(BIRTH, _("chưa ghi năm sinh"))
            if not gender and source_key:
                if _filled(gender_text):
                    gender = genders.get(folded(_plain(gender_text)), "")
                    if not gender:
                        err(
                            GENDER,
                            _("giới tính “%(value)s” không hợp lệ; ghi “Nam” hoặc “Nữ”")
                            % {"value": _plain(gender_text)},
                        )
                elif _filled(gmale) and _filled(gfemale):
                    err(GENDER, _("chỉ đánh dấu một ô giới tính, Nam hoặc Nữ"))
                elif _filled(gmale) or _filled(gfemale):
                    gender = Gender.MALE if _filled(gmale) else Gender.FEMALE
                elif source is not None:
                    err(GENDER, _("chưa ghi giới tính (Nam hoặc Nữ)"))

        award_text = values.get(AWARD, "")
        award_code = ""
        if award_text:
            award_code = awards.get(folded(award_text), "")
            if not award_code:
                err(
                    AWARD,
                    _("“%(value)s” không có trong danh sách hình thức của phong trào")
                    % {"value": award_text},
                )
        elif not _is_formula_text(_cell(row, cols[AWARD])):
            err(AWARD, _("chưa ghi hình thức đề nghị"))

        position, unit_name = values.get(POSITION, ""), values.get(UNIT, "")
        if combined := values.get(POSITION_UNIT, ""):
            if kind == NomineeKind.COLLECTIVE:
                unit_name = unit_name or combined.lstrip("–—- ").strip()
            else:
                split_position, split_unit = _split_position_unit(combined)
                position = position or split_position
                unit_name = unit_name or split_unit
        values[POSITION], values[UNIT] = position, unit_name
        _check_lengths(err, values, (ETHNICITY, POSITION, UNIT, LEADER, NOTE))

        if err:
            errors.extend(err)
            continue
        result.rows.append(
            NomineeRow(
                kind=str(kind),
                full_name=name,
                gender=str(gender),
                birth_year=birth_year,
                birth_date=birth_date,
                ethnicity=values.get(ETHNICITY, "") if kind == NomineeKind.INDIVIDUAL else "",
                position=position,
                unit_name=unit_name,
                category=category,
                collective_kind=collective_kind,
                leader=values.get(LEADER, ""),
                achievement_summary=values.get(SUMMARY, ""),
                citation=values.get(CITATION, ""),
                award_form_code=award_code,
                note=values.get(NOTE, ""),
                row_number=r,
            )
        )


_SEPARATORS = (" – ", " — ", " - ", ",")


def _split_position_unit(text: str) -> tuple[str, str]:
    """ "Trưởng phòng – Sở Nội vụ" → ("Trưởng phòng", "Sở Nội vụ"). The dashes are tried before
    the comma, because positions often hold commas ("Phó Giám đốc, Bí thư Chi bộ") and the dash
    is what our own export writes. A leading dash means "no position": "– Sở Nội vụ"."""
    for dash in ("–", "—", "-"):
        if text.startswith(dash + " "):
            return "", text[2:].strip()
    for separator in _SEPARATORS:
        if separator in text:
            position, unit = text.split(separator, 1)
            return position.strip(), unit.strip()
    return text, ""


# --- the register of past awards -----------------------------------------------------------------


def parse_award_register(
    data: bytes | BinaryIO, max_rows: int = 20000, *, today: date | None = None
) -> RegisterParseResult:
    """Read a register of past awards (to import history); same error style as the nominee list."""
    today = today or timezone.localdate()
    result = RegisterParseResult()
    _read_workbook(data, result, lambda wb: _read_register(wb, max_rows, today, result))
    return result


def _read_register(wb, max_rows: int, today: date, result: RegisterParseResult) -> None:
    errors = result.errors
    found = _locate(wb, _REGISTER_MATCH, result)
    if not found:
        return
    layout, sheet_rows = found
    cols = layout.cols
    missing = [REGISTER_LABELS[k] for k in (NAME, AWARD_NAME, DECISION_NUMBER) if k not in cols]
    if missing:
        errors.append(_missing_columns(missing))
        return

    text_cols = [(k, cols[k]) for k in (NAME, UNIT, AWARD_NAME, DECISION_NUMBER, ISSUER, NOTE) if k in cols]
    c_stt, c_male, c_female, c_birth, c_date = (
        cols.get(k) for k in (STT, MALE, FEMALE, BIRTH, DECISION_DATE)
    )
    what_birth, what_date = _("năm sinh"), _("ngày quyết định")
    required = {
        NAME: _("chưa ghi họ và tên (hoặc tên tập thể)"),
        AWARD_NAME: _("chưa ghi hình thức khen thưởng"),
        DECISION_NUMBER: _("chưa ghi số quyết định"),
    }
    rows = _Rows(
        layout,
        sheet_rows,
        max_rows=max_rows,
        errors=errors,
        folded=_folder(),
        stt_col=c_stt,
        entry_cols=[cols[DECISION_NUMBER], cols[AWARD_NAME]],
    )

    for r, row in rows:
        err = _RowErrors(r, REGISTER_LABELS)
        values = {key: _text(err, key, _cell(row, c), required.get(key, "")) for key, c in text_cols}
        name = values[NAME].replace("\n", " ")
        _check_name_length(err, name)

        source_key, source = _birth_cell(err, _cell(row, c_male), _cell(row, c_female), _cell(row, c_birth))
        birth_year = None
        if source is not None:
            birth_year, _day = _when(err, source_key, source, today, what_birth)

        decision_date = None
        if _filled(raw_date := _cell(row, c_date)):
            _year, decision_date = _when(err, DECISION_DATE, raw_date, today, what_date, year_ok=False)

        _check_lengths(err, values, (UNIT, AWARD_NAME, DECISION_NUMBER, ISSUER, NOTE))

        if err:
            errors.extend(err)
            continue
        result.rows.append(
            PastAwardRow(
                full_name=name,
                birth_year=birth_year,
                unit_name=values.get(UNIT, ""),
                award_name=values[AWARD_NAME],
                decision_number=values[DECISION_NUMBER],
                decision_date=decision_date,
                issuer_name=values.get(ISSUER, ""),
                note=values.get(NOTE, ""),
                row_number=r,
            )
        )


# --- the error workbook --------------------------------------------------------------------------


def error_workbook(data: bytes, errors: list[CellError]) -> bytes:
    """The uploaded workbook, layout kept, with a last column "Lỗi" holding each row's messages,
    the faulty cells filled light red and the sheet-level errors in a note on the column's top cell.
    Works for nominee lists and registers; a "Lỗi" column from an earlier round is reused.
    Only for files the parser could open (openpyxl's own exception otherwise); openpyxl drops
    pictures and charts from the copy it writes."""
    wb = openpyxl.load_workbook(io.BytesIO(data))  # not read-only: the layout is kept
    ws, layout = (_worksheets(wb) or wb.worksheets)[0], None
    for sheet in _worksheets(wb):
        head = list(sheet.iter_rows(max_row=HEADER_SCAN_ROWS + 3, values_only=True))
        if layout := _find_layout(head, _NOMINEE_MATCH):
            ws = sheet
            break

    columns: dict[str, list[int]] = {}  # label → 1-based columns
    header_row = 1
    if layout:
        header_row = layout.header_row
        register = _find_layout(head, _REGISTER_MATCH)
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


def _free_column(ws, header_row: int) -> int:
    """The column after the last header cell, unless data sits there; then after the last column."""
    last = 0
    for row in ws.iter_rows(min_row=header_row, max_row=header_row + 1):
        for cell in row:
            if _filled(cell.value):
                last = max(last, cell.column)
    candidate = last + 1
    for (cell,) in ws.iter_rows(min_col=candidate, max_col=candidate):
        if _filled(cell.value):
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
        ]
    )
}
HEADER_ROW = 4
FIRST_DATA_ROW = 6
LISTS_SHEET = "Danh mục"
VALIDATION_SPARE_ROWS = 5000


def _excel_text(text: str) -> str:
    """Escape text Excel or LibreOffice would run as a formula (CSV/formula injection)."""
    if text and text[0] in FORMULA_PREFIXES:
        return "'" + text
    return text


def build_template(award_forms: list[tuple[str, str]], title: str = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG") -> bytes:
    """The blank list an office fills in, with drop-downs and one example row (STT "VD")."""
    return _write_list([], award_forms, title, "", example=True)


def export_nominees(
    rows: list[NomineeRow], award_forms: list[tuple[str, str]], title: str, unit: str
) -> bytes:
    """The nominees in the template's layout; reads back through :func:`parse_nominee_sheet`."""
    return _write_list(rows, award_forms, title, unit, example=False)


def _write_list(rows: list[NomineeRow], award_forms, title: str, unit: str, *, example: bool) -> bytes:
    vocab = _vocab()["labels"]
    award_names = dict(award_forms)
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
            },
        )
        r += 1

    _add_drop_downs(
        wb, ws, award_forms, vocab, FIRST_DATA_ROW, max(r, FIRST_DATA_ROW) + VALIDATION_SPARE_ROWS
    )
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _add_drop_downs(wb, ws, award_forms, vocab, first_row: int, last_row: int) -> None:
    """Lists live on a hidden sheet: inline lists break on commas ("Cơ quan, đơn vị") and at 255
    characters, which a movement's award forms exceed."""
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    columns = {
        "kind": [vocab["kind"][k] for k in NomineeKind.values],
        "category": list(vocab["category"].values()) + list(vocab["collective"].values()),
        "award": [nfc(name) for _code, name in award_forms],
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
        validation.add(f"{target}{first_row}:{target}{last_row}")
        ws.add_data_validation(validation)
