"""The nominee list (danh sách đề nghị khen thưởng): each row read into a :class:`NomineeRow`, each
column checked by its own validator, every problem of the sheet collected as a :class:`CellError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import BinaryIO, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.text import fold, nfc
from thidua.nominations.choices import Gender, NomineeKind, NomineeRow

from .labels import (
    AWARD,
    BIRTH,
    CATEGORY,
    CITATION,
    CONTENT_AREA,
    ETHNICITY,
    FEMALE,
    GENDER,
    GENDER_FEMALE,
    GENDER_MALE,
    KIND,
    LABELS,
    LEADER,
    MALE,
    NAME,
    NOTE,
    PARTICIPANT_KIND,
    POSITION,
    POSITION_UNIT,
    STT,
    SUMMARY,
    UNIT,
    vocabulary,
)
from .sheet import (
    NOMINEE_MATCH,
    RowErrors,
    Rows,
    SheetResult,
    birth_cell,
    cell_at,
    check_length,
    check_name_length,
    display,
    filled,
    folder,
    is_example,
    is_formula_text,
    locate,
    missing_columns,
    plain,
    read_when,
    read_workbook,
    text_reader,
)

MIN_AGE = 15
# Bound once: looking a member up on its enumeration costs on every row.
INDIVIDUAL, COLLECTIVE = NomineeKind.INDIVIDUAL, NomineeKind.COLLECTIVE


class ParseResult(SheetResult):
    """Rows are NomineeRows."""


def parse_nominee_sheet(
    data: bytes | BinaryIO,
    award_forms: list[tuple[str, str]],
    max_rows: int = 5000,
    *,
    today: date | None = None,
    dossier_form: str = "",
    content_areas: Iterable[tuple[str, str]] = (),
) -> ParseResult:
    """Read a nomination list; every problem in the sheet becomes a :class:`CellError`.

    ``award_forms`` are the movement's forms as (code, name); ``dossier_form``, when given, is
    the code of the dossier's own form: a row naming another of the movement's forms is an
    error of that row (a dossier proposes one form). ``content_areas`` are the movement's
    content areas as (code, title): the optional "Nội dung thi đua" column names one of them."""
    today = today or timezone.localdate()
    result = ParseResult()
    areas = list(content_areas)
    read_workbook(
        data,
        result,
        lambda wb: _read_nominees(wb, award_forms, dossier_form, max_rows, today, result, areas),
    )
    return result


def _read_nominees(
    wb, award_forms, dossier_form: str, max_rows: int, today: date, result: ParseResult, areas=()
) -> None:
    found = locate(wb, NOMINEE_MATCH, result)
    if not found:
        return
    layout, sheet_rows = found
    if missing := _missing_labels(layout.cols):
        result.errors.append(missing_columns(missing))
        return
    sheet = _Sheet(layout.cols, award_forms, dossier_form, today, areas)
    rows = Rows(
        layout,
        sheet_rows,
        max_rows=max_rows,
        errors=result.errors,
        folded=sheet.folded,
        stt_col=layout.cols.get(STT),
        entry_cols=[layout.cols[AWARD], *sheet.birth_cols],
        example_name_col=layout.cols.get(NAME),
    )
    for number, cells in rows:
        row = _Row(sheet, number, cells, rows.section)
        row.read()
        if row.err:
            result.errors.extend(row.err)
        else:
            result.rows.append(row.nominee())


def _missing_labels(cols: dict[str, int]) -> list[str]:
    """The labels of the required columns the header lacks."""
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
    return missing


def _award_lookup(award_forms: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Folded award name or code → code; a name wins over another form's code."""
    lookup: dict[str, str] = {}
    for code, name in award_forms:
        lookup.setdefault(fold(name), code)
    for code, _name in award_forms:
        lookup.setdefault(fold(code), code)
    return lookup


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def area_key(text: str) -> str:
    """A content area's code or title as compared: folded, punctuation as one space ("2.1",
    "2.1." and "2 . 1" alike; "phòng, chống" as "phong chong")."""
    return _NOT_ALNUM.sub(" ", fold(text)).strip()


def _area_lookup(areas: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Compared code, title, or "code. title" (what the drop-down offers) → code."""
    lookup: dict[str, str] = {}
    for code, title in areas:
        lookup.setdefault(area_key(f"{code}. {title}"), code)
        lookup.setdefault(area_key(title), code)
    for code, _title in areas:
        lookup.setdefault(area_key(code), code)
    return lookup


class _Sheet:
    """What the rows of one sheet share: where the columns are, the vocabularies, today."""

    def __init__(self, cols: dict[str, int], award_forms, dossier_form: str, today: date, areas=()):
        words = vocabulary()
        self.cols, self.today = cols, today
        self.kinds, self.categories = words["kind"], words["category"]
        self.collectives, self.genders = words["collective"], words["gender"]
        self.participants = words["participant_kind"]
        self.areas = _area_lookup(areas)
        self.any_area = bool(areas)
        self.area_keys: dict[str, str] = {}  # cell text → compared key, for this sheet
        self.awards = _award_lookup(award_forms)
        self.dossier_form = dossier_form
        self.form_names = dict(award_forms)
        self.folded = folder()
        self.read_text = text_reader()
        self.text_cols = [(key, cols[key]) for key in _TEXT_COLUMNS if key in cols]
        # Any of these filled says the row is a person's: a list entry, not a section heading.
        self.birth_cols = [
            cols[key] for key in (BIRTH, MALE, FEMALE, GENDER, GENDER_MALE, GENDER_FEMALE) if key in cols
        ]
        self.nam_nu = MALE in cols or FEMALE in cols
        self.what_birth = _("năm sinh")
        self.no_name = _("chưa ghi họ và tên (hoặc tên tập thể)")


class _Texts(dict):
    """Column key → the cell as text; "" for a formula (reported) and for a column the sheet lacks."""

    def __missing__(self, key: str) -> str:
        return ""


class _Row:
    """One row as the validators see it: its cells, its text columns (read once), its errors,
    and the values the validators before found (``found``: column key → value)."""

    __slots__ = ("sheet", "number", "cells", "section", "err", "texts", "found")

    def __init__(self, sheet: _Sheet, number: int, cells: tuple, section: str):
        self.sheet, self.number, self.cells, self.section = sheet, number, cells, section
        self.err = RowErrors(number, LABELS)
        self.texts = _Texts()
        self.found: dict[str, object] = {}

    def raw(self, key: str):
        """The cell as the sheet holds it (None when the column is absent)."""
        index, cells = self.sheet.cols.get(key), self.cells
        return cells[index] if index is not None and index < len(cells) else None

    def read(self) -> None:
        """Check the row, problems reported in the order the officer reads them: the example row
        typed over, formulas typed as text, then each column's validator in turn."""
        err, cells = self.err, self.cells
        stt = self.raw(STT)
        if is_example(stt, self.sheet.folded):
            err(
                STT,
                _(
                    "dòng ví dụ (STT “%(value)s”) đã bị ghi đè: ghi số thứ tự nếu đây là người được đề nghị, "
                    "hoặc xoá dòng"
                )
                % {"value": nfc(stt)},
            )
        texts, read_text = self.texts, self.sheet.read_text
        for key, c in self.sheet.text_cols:
            texts[key] = read_text(err, key, cells[c] if c < len(cells) else None, c)
        found = self.found
        for key, validate in _VALIDATORS:
            found[key] = validate(self)

    def nominee(self) -> NomineeRow:
        """The nominee the row describes, once :meth:`read` found no problem."""
        found = self.found
        individual = found[KIND] == INDIVIDUAL
        born: _Birth = found[BIRTH]
        return NomineeRow(
            kind=str(found[KIND]),
            full_name=found[NAME],
            gender=str(found[GENDER]),
            birth_year=born.year,
            birth_date=born.day,
            ethnicity=found[ETHNICITY],
            position=found[POSITION],
            unit_name=found[UNIT],
            category=found[CATEGORY] if individual else "",
            collective_kind="" if individual else found[CATEGORY],
            leader=found[LEADER],
            achievement_summary=self.texts[SUMMARY],
            citation=self.texts[CITATION],
            award_form_code=found[AWARD],
            content_area=found[CONTENT_AREA],
            participant_kind=found[PARTICIPANT_KIND],
            note=found[NOTE],
            row_number=self.number,
        )


# --- the validators: one per column, each given the row, reporting through row.err ---------------


def _name(row: _Row) -> str:
    name = row.texts[NAME]
    if not name and not is_formula_text(row.raw(NAME)):
        row.err(NAME, row.sheet.no_name)
    name = name.replace("\n", " ")
    check_name_length(row.err, name)
    return name


def _kind(row: _Row) -> str:
    """Loại as written; else the section heading's; else a collective when Đối tượng names only a
    kind of collective ("Doanh nghiệp") and no birth year is written; else an individual."""
    sheet = row.sheet
    if text := row.texts[KIND]:
        if kind := sheet.kinds.get(sheet.folded(text), ""):
            return kind
        row.err(KIND, _("loại “%(value)s” không hợp lệ; ghi “Cá nhân” hoặc “Tập thể”") % {"value": text})
        return INDIVIDUAL
    if row.section:
        return row.section
    category = sheet.folded(row.texts[CATEGORY])
    if (
        category
        and category in sheet.collectives
        and category not in sheet.categories
        and not any(filled(cell_at(row.cells, c)) for c in sheet.birth_cols)
    ):
        return COLLECTIVE
    return INDIVIDUAL


def _category(row: _Row) -> str:
    """Đối tượng: an individual category or a kind of collective, as the row's kind says."""
    text = row.texts[CATEGORY]
    if not text:
        return ""
    sheet = row.sheet
    if row.found[KIND] == INDIVIDUAL:
        if not (code := sheet.categories.get(sheet.folded(text), "")):
            row.err(
                CATEGORY,
                _("đối tượng “%(value)s” không có trong danh sách đối tượng cá nhân") % {"value": text},
            )
    elif not (code := sheet.collectives.get(sheet.folded(text), "")):
        row.err(CATEGORY, _("đối tượng “%(value)s” không có trong danh sách loại tập thể") % {"value": text})
    return code


class _Birth(NamedTuple):
    key: str  # where it is written: MALE, FEMALE or BIRTH; "" for none (a collective, or Nam and Nữ both)
    cell: object  # the cell it is read from; None when blank
    year: int | None
    day: date | None


_NO_BIRTH = _Birth("", None, None, None)


def _birth(row: _Row) -> _Birth:
    """Năm sinh, under Nam or Nữ or in one column: a person's, at least MIN_AGE years ago; a
    collective has none."""
    male, female, birth = row.raw(MALE), row.raw(FEMALE), row.raw(BIRTH)
    err = row.err
    if row.found[KIND] == COLLECTIVE:
        marks = (row.raw(GENDER), row.raw(GENDER_MALE), row.raw(GENDER_FEMALE))
        if any(filled(v) for v in (male, female, birth, *marks)):
            err(BIRTH, _("tập thể không ghi năm sinh, giới tính"))
        return _NO_BIRTH
    key, cell = birth_cell(err, male, female, birth)
    year = day = None
    today = row.sheet.today
    if cell is not None:
        year, day = read_when(err, key, cell, today, row.sheet.what_birth, col=row.sheet.cols.get(key))
        if year is not None and _age(year, day, today) < MIN_AGE:
            err(
                key,
                _("người được đề nghị chưa đủ %(min)d tuổi (sinh %(value)s)")
                % {"min": MIN_AGE, "value": display(day or year)},
            )
    elif not key:
        pass  # Nam and Nữ both filled: reported
    elif row.sheet.nam_nu:
        err(BIRTH, _("chưa ghi năm sinh (ở cột Nam hoặc cột Nữ)"))
    else:
        err(BIRTH, _("chưa ghi năm sinh"))
    return _Birth(key, cell, year, day)


def _age(born_year: int, born: date | None, today: date) -> int:
    if born is None:
        return today.year - born_year
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


_GENDER_OF = {MALE: Gender.MALE, FEMALE: Gender.FEMALE}


def _gender(row: _Row) -> str:
    """A person's gender: the column the birth year is under (Nam, Nữ), else Giới tính as a word
    or as a mark under its Nam | Nữ."""
    if row.found[KIND] == COLLECTIVE:
        return ""
    born: _Birth = row.found[BIRTH]
    if gender := _GENDER_OF.get(born.key, ""):
        return gender
    if not born.key:
        return ""  # Nam and Nữ both filled: reported
    word, male, female = row.raw(GENDER), row.raw(GENDER_MALE), row.raw(GENDER_FEMALE)
    if filled(word):
        word = plain(word)
        if not (gender := row.sheet.genders.get(row.sheet.folded(word), "")):
            row.err(GENDER, _("giới tính “%(value)s” không hợp lệ; ghi “Nam” hoặc “Nữ”") % {"value": word})
        return gender
    if filled(male) and filled(female):
        row.err(GENDER, _("chỉ đánh dấu một ô giới tính, Nam hoặc Nữ"))
    elif filled(male) or filled(female):
        return Gender.MALE if filled(male) else Gender.FEMALE
    elif born.cell is not None:
        row.err(GENDER, _("chưa ghi giới tính (Nam hoặc Nữ)"))
    return ""


def _award(row: _Row) -> str:
    """Hình thức đề nghị: one of the movement's award forms, by name or code, and the dossier's
    own form when the sheet is read for a dossier."""
    if text := row.texts[AWARD]:
        sheet = row.sheet
        if not (code := sheet.awards.get(sheet.folded(text), "")):
            row.err(
                AWARD, _("“%(value)s” không có trong danh sách hình thức của phong trào") % {"value": text}
            )
        elif sheet.dossier_form and code != sheet.dossier_form:
            dossier_form = sheet.form_names.get(sheet.dossier_form, sheet.dossier_form)
            row.err(AWARD, other_form_message(text, dossier_form))
        return code
    if not is_formula_text(row.raw(AWARD)):
        row.err(AWARD, _("chưa ghi hình thức đề nghị"))
    return ""


def other_form_message(value: str, dossier_form: str) -> str:
    return _(
        "dòng đề nghị “%(value)s” nhưng hồ sơ này đề nghị “%(form)s”; mỗi hồ sơ chỉ đề nghị một "
        "hình thức: chuyển dòng này sang hồ sơ của hình thức đó"
    ) % {"value": value, "form": dossier_form}


def _content_area(row: _Row) -> str:
    """Nội dung thi đua (optional): one of the movement's content areas, by its code ("2.1"),
    its title, or both as the drop-down writes them; compared folded."""
    text = row.texts[CONTENT_AREA]
    if not text:
        return ""
    raw = row.raw(CONTENT_AREA)
    if isinstance(raw, datetime | date):
        # "2.1" typed in a day-month locale becomes 2 January: read it back as typed.
        text = f"{raw.day}.{raw.month}"
    sheet = row.sheet
    key = sheet.area_keys.get(text)
    if key is None:
        key = sheet.area_keys[text] = area_key(text)
    if code := sheet.areas.get(key, ""):
        return code
    if not sheet.any_area:
        row.err(CONTENT_AREA, _("phong trào này không có nội dung thi đua; để trống cột này"))
    else:
        row.err(
            CONTENT_AREA,
            _(
                "nội dung thi đua “%(value)s” không có trong kế hoạch của phong trào; ghi số mục "
                "(ví dụ “2.1”) hoặc tên nội dung"
            )
            % {"value": text},
        )
    return ""


def _participant_kind(row: _Row) -> str:
    """Đối tượng thi đua (optional): one of the plan's participant kinds, by its label."""
    text = row.texts[PARTICIPANT_KIND]
    if not text:
        return ""
    sheet = row.sheet
    if kind := sheet.participants.get(sheet.folded(text), ""):
        return kind
    row.err(
        PARTICIPANT_KIND,
        _("đối tượng thi đua “%(value)s” không có trong danh sách; chọn trong danh sách thả xuống")
        % {"value": text},
    )
    return ""


def _ethnicity(row: _Row) -> str:
    text = row.texts[ETHNICITY]
    check_length(row.err, ETHNICITY, text)
    return text if row.found[KIND] == INDIVIDUAL else ""


def _position_unit(row: _Row) -> tuple[str, str]:
    """(position, unit) from "Chức vụ – Đơn vị công tác"; a collective's cell is its parent unit."""
    combined = row.texts[POSITION_UNIT]
    if not combined:
        return "", ""
    if row.found[KIND] == COLLECTIVE:
        return "", combined.lstrip("–—- ").strip()
    return _split_position_unit(combined)


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


def _position(row: _Row) -> str:
    """Chức vụ: its own column, else the first part of "Chức vụ – Đơn vị công tác"."""
    position = row.texts[POSITION] or row.found[POSITION_UNIT][0]
    check_length(row.err, POSITION, position)
    return position


def _unit(row: _Row) -> str:
    """Đơn vị công tác: its own column, else the second part of "Chức vụ – Đơn vị công tác"."""
    unit = row.texts[UNIT] or row.found[POSITION_UNIT][1]
    check_length(row.err, UNIT, unit)
    return unit


def _fits(key: str) -> Callable[[_Row], str]:
    """A free text column, no longer than the database stores."""

    def validate(row: _Row) -> str:
        text = row.texts[key]
        check_length(row.err, key, text)
        return text

    return validate


# The columns read as text, each once, before the validators run; a formula typed as text is
# reported here (in this order) and reads as "".
_TEXT_COLUMNS = (
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
    NAME,
    CONTENT_AREA,
    PARTICIPANT_KIND,
)

# Column key → validator(row) → the value. A validator reads its cells from the row, reports each
# problem with row.err(key, message) and may use what the validators above it found (row.found):
# the category and the birth year depend on the kind, the gender on where the birth year is.
# The order is the order the officer is told about a row's problems.
_VALIDATORS: tuple[tuple[str, Callable[[_Row], object]], ...] = (
    (NAME, _name),
    (KIND, _kind),
    (CATEGORY, _category),
    (BIRTH, _birth),
    (GENDER, _gender),
    (AWARD, _award),
    (ETHNICITY, _ethnicity),
    (POSITION_UNIT, _position_unit),
    (POSITION, _position),
    (UNIT, _unit),
    (LEADER, _fits(LEADER)),
    (NOTE, _fits(NOTE)),
    (SUMMARY, _fits(SUMMARY)),
    (CITATION, _fits(CITATION)),
    (CONTENT_AREA, _content_area),
    (PARTICIPANT_KIND, _participant_kind),
)
