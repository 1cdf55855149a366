"""Nomination lists in Excel: the blank template, the reader with row-level errors, the error
workbook handed back to the officer, the export, and the reader for past awards (the register).

Pure functions over bytes: no ORM access. The caller passes the movement's award forms as
``(code, name)`` pairs (and its content areas as ``(code, title)`` pairs, for the optional
"Nội dung thi đua" column) and decides what to do with the rows (all or nothing).

The sheet vocabulary (header labels, "Cá nhân"/"Tập thể", the Đối tượng labels) is Vietnamese
whatever the interface language, because the sheets are Vietnamese administrative documents;
error messages go through gettext.

One module per job, each importing only those below it:
- ``labels``: the columns' keys, labels and header aliases, the drop-downs' words;
- ``sheet``: opening a workbook, finding the header, reading cells, years and dates, walking rows;
- ``nominees``: the nominee list, one validator per column;
- ``register``: the register of past awards;
- ``writer``: the template, the export and the error workbook.
"""

from .nominees import ParseResult, parse_nominee_sheet
from .register import PastAwardRow, RegisterParseResult, parse_award_register
from .sheet import CellError
from .writer import build_template, error_workbook, export_nominees

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
