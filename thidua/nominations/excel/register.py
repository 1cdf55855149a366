"""The register of past awards (sổ khen thưởng): an office's record of the awards its people and
collectives received before, read to import history. Same error style as the nominee list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _

from .labels import (
    AWARD_NAME,
    BIRTH,
    DECISION_DATE,
    DECISION_NUMBER,
    FEMALE,
    ISSUER,
    MALE,
    NAME,
    NOTE,
    REGISTER_LABELS,
    STT,
    UNIT,
)
from .sheet import (
    REGISTER_MATCH,
    RowErrors,
    Rows,
    SheetResult,
    birth_cell,
    cell_at,
    check_lengths,
    check_name_length,
    filled,
    folder,
    locate,
    missing_columns,
    read_when,
    read_workbook,
    text_reader,
)


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


class RegisterParseResult(SheetResult):
    """Rows are PastAwardRows."""


def parse_award_register(
    data: bytes | BinaryIO, max_rows: int = 20000, *, today: date | None = None
) -> RegisterParseResult:
    """Read a register of past awards (to import history); same error style as the nominee list."""
    today = today or timezone.localdate()
    result = RegisterParseResult()
    read_workbook(data, result, lambda wb: _read_register(wb, max_rows, today, result))
    return result


def _read_register(wb, max_rows: int, today: date, result: RegisterParseResult) -> None:
    errors = result.errors
    found = locate(wb, REGISTER_MATCH, result)
    if not found:
        return
    layout, sheet_rows = found
    cols = layout.cols
    missing = [REGISTER_LABELS[k] for k in (NAME, AWARD_NAME, DECISION_NUMBER) if k not in cols]
    if missing:
        errors.append(missing_columns(missing))
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
    read_text = text_reader()
    rows = Rows(
        layout,
        sheet_rows,
        max_rows=max_rows,
        errors=errors,
        folded=folder(),
        stt_col=c_stt,
        entry_cols=[cols[DECISION_NUMBER], cols[AWARD_NAME]],
    )

    for r, row in rows:
        err = RowErrors(r, REGISTER_LABELS)
        values = {key: read_text(err, key, cell_at(row, c), c, required.get(key, "")) for key, c in text_cols}
        name = values[NAME].replace("\n", " ")
        check_name_length(err, name)

        source_key, source = birth_cell(
            err, cell_at(row, c_male), cell_at(row, c_female), cell_at(row, c_birth)
        )
        birth_year = None
        if source is not None:
            birth_year, _day = read_when(err, source_key, source, today, what_birth, col=cols.get(source_key))

        decision_date = None
        if filled(raw_date := cell_at(row, c_date)):
            _year, decision_date = read_when(
                err, DECISION_DATE, raw_date, today, what_date, col=c_date, year_ok=False
            )

        check_lengths(err, values, (UNIT, AWARD_NAME, DECISION_NUMBER, ISSUER, NOTE))

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
