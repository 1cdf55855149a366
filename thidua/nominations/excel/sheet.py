"""What every sheet we read shares: opening the workbook, finding the header, reading cells as
text, years and dates, walking the rows, and collecting each row's errors.

Offices' sheets vary: title rows on top, a two-row header with "Năm sinh" merged over Nam | Nữ,
a row of column numbers under the header, section rows ("I. CÁ NHÂN"), a signature block at the
bottom. Headers are matched by their folded text (no diacritics, đ→d, no punctuation), so
"HỌ VÀ TÊN (cá nhân) / Tên tập thể" and "Họ và tên" are the same column.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from typing import BinaryIO

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from thidua.core.text import FORMULA_PREFIXES, fold, formula_prefix, nfc
from thidua.nominations import limits
from thidua.nominations.choices import NomineeKind

from .labels import (
    AWARD_NAME,
    BIRTH,
    CITATION,
    DECISION_NUMBER,
    ETHNICITY,
    FEMALE,
    GENDER,
    GENDER_FEMALE,
    GENDER_MALE,
    ISSUER,
    LEADER,
    MALE,
    NAME,
    NOMINEE_ALIASES,
    NOTE,
    POSITION,
    REGISTER_ALIASES,
    SUMMARY,
    UNIT,
)

MAX_NAME_LENGTH = limits.NAME
MIN_YEAR = 1900
HEADER_SCAN_ROWS = 15
# A run of this many blank rows ends the list: sheets formatted down to row 1,048,576 would
# otherwise be read to the end.
MAX_BLANK_RUN = 1000
# The template's example row: STT "VD" and this name. A "VD" row with another name was typed over
# the example; it is reported rather than silently skipped.
EXAMPLE_MARKS = ("vd", "vi du")
EXAMPLE_NAME = "Nguyễn Văn A"
# The longest text each column may hold (nominations.limits: the same limits as the forms).
MAX_LENGTHS = {
    NAME: limits.NAME,
    ETHNICITY: limits.NOMINEE["ethnicity"],
    POSITION: limits.NOMINEE["position"],
    UNIT: limits.NOMINEE["unit_name"],
    LEADER: limits.NOMINEE["leader"],
    NOTE: limits.NOMINEE["note"],
    SUMMARY: limits.NOMINEE["achievement_summary"],
    CITATION: limits.NOMINEE["citation"],
    AWARD_NAME: limits.REGISTER["award_name"],
    DECISION_NUMBER: limits.REGISTER["decision_number"],
    ISSUER: limits.REGISTER["issuer_name"],
}
assert limits.REGISTER["unit_name"] == limits.NOMINEE["unit_name"]
assert limits.REGISTER["note"] == limits.NOMINEE["note"]


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem: ``row`` is the 1-based sheet row (0 for the whole sheet), ``column`` the
    column's label as this package names it (e.g. "Họ và tên", "Nam", "Năm sinh"; "" for the sheet)."""

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
class SheetResult:
    """What reading a sheet gave: the clean rows (only rows without errors), every error, and
    where the list was found."""

    rows: list = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    sheet_name: str = ""
    header_row: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- the header ----------------------------------------------------------------------------------

NON_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(value) -> str:
    if value is None or isinstance(value, (int, float, datetime, date)):
        return ""
    return NON_ALNUM.sub(" ", fold(str(value))).strip()


class Matcher:
    """A header cell → the key of the column it names, or None."""

    def __init__(self, aliases: dict[str, list[str]]):
        self.exact = {alias: key for key, names in aliases.items() for alias in names}
        self.prefixes = sorted(
            ((alias + " ", key) for key, names in aliases.items() for alias in names if " " in alias),
            key=lambda pair: -len(pair[0]),
        )

    def __call__(self, value) -> str | None:
        text = header_key(value)
        if not text:
            return None
        if text in self.exact:
            return self.exact[text]
        for prefix, key in self.prefixes:
            if text.startswith(prefix):
                return key
        return None


NOMINEE_MATCH = Matcher(NOMINEE_ALIASES)
REGISTER_MATCH = Matcher(REGISTER_ALIASES)


@dataclass
class Layout:
    header_row: int  # 1-based
    data_start: int  # 1-based first row after the header (and its sub-row, numbering row)
    cols: dict[str, int]  # column key → 0-based index


_NUMBERING = re.compile(r"\(?\d{1,2}\)?")


def find_layout(head: list[tuple], match: Matcher) -> Layout | None:
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
            if filled(value):
                group = key
            groups.append(group)
        cols: dict[str, int] = {}
        below = head[i + 1] if i + 1 < len(head) else ()
        sub = [match(value) for value in below]
        below_filled = [j for j, value in enumerate(below) if filled(value)]
        is_sub = bool(below_filled) and all(sub[j] for j in below_filled) and NAME not in sub
        if is_sub and filled(cell_at(below, top.index(NAME))):
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
        numbers = [value for value in numbering if filled(value)]
        if len(numbers) >= 3 and all(
            isinstance(v, int) or (isinstance(v, str) and _NUMBERING.fullmatch(v.strip())) for v in numbers
        ):
            data_start += 1
        return Layout(header_row=i + 1, data_start=data_start, cols=cols)
    return None


# --- the workbook --------------------------------------------------------------------------------


def _open_read_only(data: bytes | BinaryIO):
    """Formulas are read as formulas ("=…"), not as the results Excel cached beside them: a list
    must hold values, and a formula cell is reported like any text that starts one."""
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    return openpyxl.load_workbook(source, read_only=True, data_only=False)


def _not_a_workbook() -> CellError:
    return CellError(
        0, "", _("Tệp không phải là bảng tính Excel (.xlsx) đọc được; hãy lưu lại dưới dạng .xlsx")
    )


def read_workbook(data: bytes | BinaryIO, result: SheetResult, read: Callable) -> None:
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


def _sheet_rows(ws) -> Iterator[tuple]:
    ws.reset_dimensions()  # some writers store a wrong size; read what is really there
    return ws.iter_rows(values_only=True)


def worksheets(wb) -> list:
    """The visible worksheets, the active one first (the active sheet may be a chart)."""
    active = wb.active
    sheets = ([active] if active in wb.worksheets else []) + [ws for ws in wb.worksheets if ws is not active]
    return [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]


def locate(wb, match: Matcher, result: SheetResult) -> tuple[Layout, Iterator[tuple]] | None:
    """The header of the first sheet (the active one first) whose first rows hold it, noted in
    ``result``, and all that sheet's rows from the first; a sheet error when no sheet has it."""
    for ws in worksheets(wb):
        rows = _sheet_rows(ws)
        head = []
        for row in rows:
            head.append(row)
            if len(head) >= HEADER_SCAN_ROWS + 3:
                break
        layout = find_layout(head, match)
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


def missing_columns(labels: list[str]) -> CellError:
    return CellError(
        0, "", _("Thiếu cột bắt buộc: %(columns)s") % {"columns": ", ".join(f"“{m}”" for m in labels)}
    )


# --- cells ---------------------------------------------------------------------------------------


def cell_at(row: tuple, index: int | None):
    if index is None or index >= len(row):
        return None
    return row[index]


def filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def display(value) -> str:
    """A value quoted back in a message as the officer typed it."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def plain(value) -> str:
    """A cell as text, normalised (:func:`thidua.core.text.nfc`; line breaks kept in multi-line
    cells); a leading apostrophe put by our export in front of = + - @ is taken off (the text is
    then refused as the formula prefix it shields, see :func:`formula_in`)."""
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


def formula_in(value) -> str:
    """The character that makes a cell a formula, or one a spreadsheet would run as such (the
    OWASP list: = + - @, a tab, a carriage return; also behind our export's apostrophe); ""
    for anything else. A formula cell reads as "=…" (or an array formula object)."""
    if value.__class__ is str:
        if value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
            value = value[1:]
        return formula_prefix(value)
    if isinstance(value, ArrayFormula | DataTableFormula):
        return "="
    return ""


def is_formula_text(value) -> bool:
    return bool(formula_in(value))


def address(row: int, index: int | None) -> str:
    """ "H7" for the 0-based column ``index`` of sheet row ``row``; "" when unknown."""
    return f"{get_column_letter(index + 1)}{row}" if index is not None else ""


# --- years and dates -----------------------------------------------------------------------------

_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_when(value, today: date, *, what: str, year_ok: bool = True) -> tuple[int | None, date | None, str]:
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
                "value": display(day),
                "min": MIN_YEAR,
            },
        )
    if day > today:
        return None, None, _("%(what)s “%(value)s” ở tương lai") % {"what": what, "value": display(day)}
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
        "value": display(value),
        "hint": hint,
    }


def _needs_full_date(value, what: str) -> str:
    return _("%(what)s cần đủ ngày, tháng, năm (dd/mm/yyyy), không chỉ “%(value)s”") % {
        "what": what,
        "value": display(value),
    }


# --- rows ----------------------------------------------------------------------------------------

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
    texts = [folded(plain(v)) for v in row if filled(v)]
    if len(texts) > _MAX_DECORATION_CELLS:
        return None
    if m := _SECTION.fullmatch(NON_ALNUM.sub(" ", " ".join(texts)).strip()):
        return NomineeKind.INDIVIDUAL if m[1] == "ca nhan" else NomineeKind.COLLECTIVE
    if _FOOTER.search(" ".join(texts)):
        return "footer"
    return None


def folder() -> Callable[[str], str]:
    """:func:`fold` with a cache for one sheet, whose rows repeat the same few labels."""
    cache: dict[str, str] = {}

    def folded(text: str) -> str:
        if text not in cache:
            cache[text] = fold(text)
        return cache[text]

    return folded


def is_example(stt, folded) -> bool:
    """STT "VD": the template's example row, or a row typed over it."""
    return isinstance(stt, str) and folded(stt) in EXAMPLE_MARKS


class Rows:
    """The entries of a sheet, as (1-based row number, values), from the layout's first data row.

    Left out: blank rows (a run of MAX_BLANK_RUN of them ends the list); the template's example
    row (STT "VD"; with ``example_name_col``, only while its name is blank or the example's); and,
    among the rows where none of ``entry_cols`` is filled, section headings and the signature
    block. ``section`` is the kind the last heading named. Past ``max_rows`` entries the sheet
    error is put first in ``errors`` and reading stops."""

    def __init__(
        self,
        layout: Layout,
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
            if not any(filled(v) for v in row):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    return
                continue
            blank_run = 0
            stt = cell_at(row, stt_col)
            if is_example(stt, folded) and (
                name_col is None or folded(plain(cell_at(row, name_col))) in ("", fold(EXAMPLE_NAME))
            ):
                continue
            if not any(filled(cell_at(row, c)) for c in entry_cols) and (
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
                        % {"max": limits.vn_number(max_rows)},
                    ),
                )
                return
            yield number, row


class RowErrors(list):
    """One row's errors; ``err(key, message)`` adds one under the column's label."""

    def __init__(self, row: int, labels: dict[str, str]):
        super().__init__()
        self.row, self.labels = row, labels

    def __call__(self, key: str, message: str) -> None:
        self.append(CellError(self.row, self.labels[key], message))


_PREFIX_NAMES = {"\t": gettext_lazy("dấu tab"), "\r": gettext_lazy("dấu xuống dòng")}


def formula_message(value, prefix: str, cell: str) -> str:
    """Why the cell ``cell`` (e.g. "B7"), holding ``value``, is refused."""
    shown = value.text if isinstance(value, ArrayFormula) else str(value)
    shown = nfc(shown.lstrip("'"))[:60]
    if prefix == "=":
        return _("ô %(cell)s chứa công thức “%(value)s”; hãy ghi giá trị, không ghi công thức") % {
            "cell": cell,
            "value": shown,
        }
    return _(
        "ô %(cell)s bắt đầu bằng “%(prefix)s” nên bảng tính có thể chạy nó như công thức "
        "(“%(value)s”); hãy bỏ ký tự này ở đầu ô"
    ) % {"cell": cell, "prefix": str(_PREFIX_NAMES.get(prefix, prefix)), "value": shown}


# Longer texts (achievements, citations written for one person) seldom repeat: not remembered.
MEMO_LENGTH = 100


def text_reader() -> Callable[..., str]:
    """``read(err, key, value, col, missing="")``: the cell (in 0-based column ``col``) as text
    (see :func:`plain`). A formula, or text that starts like one, is reported naming the cell
    and read as ""; a blank cell is reported with the ``missing`` message, if any.

    One reader per sheet: it remembers the text of each short string it has read, since a list
    repeats the same few values down a column (award form, Loại, Đối tượng, Dân tộc, units)."""
    known: dict[str, str] = {}

    def read(err: RowErrors, key: str, value, col: int | None, missing: str = "") -> str:
        if value is None:
            text = ""
        elif value.__class__ is str and len(value) <= MEMO_LENGTH:  # a subclass might read differently
            text = known.get(value)
            if text is None:
                if prefix := formula_in(value):
                    err(key, formula_message(value, prefix, address(err.row, col)))
                    return ""
                text = known[value] = plain(value)
        elif prefix := formula_in(value):
            err(key, formula_message(value, prefix, address(err.row, col)))
            return ""
        else:
            text = plain(value)
        if missing and not text:
            err(key, missing)
        return text

    return read


def read_when(
    err: RowErrors, key: str, value, today: date, what: str, *, col: int | None, year_ok: bool = True
) -> tuple[int | None, date | None]:
    """(year, date) from a filled cell (see :func:`parse_when`); (None, None) with the problem reported."""
    if prefix := formula_in(value):
        err(key, formula_message(value, prefix, address(err.row, col)))
        return None, None
    year, day, problem = parse_when(value, today, what=what, year_ok=year_ok)
    if problem:
        err(key, problem)
    return year, day


def birth_cell(err: RowErrors, male, female, birth) -> tuple[str, object]:
    """Where the birth year is written: (key, value) of the first filled of Nam, Nữ and Năm sinh,
    (BIRTH, None) when all are blank. Nam and Nữ both filled is an error, and gives ("", None)."""
    if filled(male) and filled(female):
        err(BIRTH, _("ghi năm sinh ở một cột Nam hoặc Nữ, không ghi cả hai"))
        return "", None
    if filled(male):
        return MALE, male
    if filled(female):
        return FEMALE, female
    return BIRTH, birth if filled(birth) else None


def check_name_length(err: RowErrors, name: str) -> None:
    if len(name) > MAX_NAME_LENGTH:
        err(
            NAME,
            _("họ và tên dài quá %(max)s ký tự (có %(n)s ký tự)")
            % {"max": limits.vn_number(MAX_NAME_LENGTH), "n": limits.vn_number(len(name))},
        )


def check_length(err: RowErrors, key: str, value: str) -> None:
    """The text fits its limit (see MAX_LENGTHS)."""
    limit = MAX_LENGTHS[key]
    if len(value) > limit:
        err(
            key,
            _("dài quá %(max)s ký tự (có %(n)s ký tự)")
            % {"max": limits.vn_number(limit), "n": limits.vn_number(len(value))},
        )


def check_lengths(err: RowErrors, values: dict[str, str], keys: tuple[str, ...]) -> None:
    for key in keys:
        check_length(err, key, values.get(key, ""))
