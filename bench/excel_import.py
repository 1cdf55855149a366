"""Benchmark: reading a 5,000-row nomination list, against openpyxl reading the same file.

Floor: ``openpyxl.load_workbook(read_only=True, data_only=False)`` (formulas are read as formulas, to
be refused) and ``iter_rows(values_only=True)`` over every cell, which ``parse_nominee_sheet`` cannot
avoid. The ratio is what our header
detection, validation and normalisation add on top; the target is at most 3×.

    DJANGO_SETTINGS_MODULE=thidua.settings .venv/bin/python -m bench.excel_import
"""

import io
import os
import statistics
import tempfile
import time
from pathlib import Path

ROWS = 5000
# Floor and parse run in turns and the ratio is the median of each turn's: on a shared machine the
# load drifts between two separate batches of runs, and the ratio with it.
REPEAT = 5
TARGET_RATIO = 3.0
FORMS = [
    ("bk_tinh", "Bằng khen của Chủ tịch UBND tỉnh"),
    ("giay_khen", "Giấy khen của Chủ tịch UBND thành phố"),
    ("cstd_cs", "Chiến sĩ thi đua cơ sở"),
    ("ldtt", "Lao động tiên tiến"),
]
SUMMARY = (
    "Hoàn thành xuất sắc nhiệm vụ được giao năm 2024; có sáng kiến cải tiến quy trình tiếp nhận hồ sơ "
    "được Hội đồng sáng kiến cấp cơ sở công nhận; tích cực tham gia các phong trào thi đua của đơn vị."
)


def _setup_django() -> None:
    """The enumerations' labels and the messages go through gettext, which needs the app registry."""
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("THIDUA_VAR_DIR", tempfile.mkdtemp(prefix="thidua-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()


def build_sheet(path: Path, rows: int = ROWS) -> bytes:
    """An office-style list, written to ``path``: the tests' office sheet (title rows, a two-row header
    with Năm sinh over Nam | Nữ) holding ``rows`` rows, one in ten a collective."""
    from tests.nominations.test_excel import line, office_sheet

    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Đinh"]

    def nominee(i: int) -> list:
        common = {
            "stt": i,
            "summary": SUMMARY,
            "award": FORMS[i % len(FORMS)][1],
            "note": "Lần thứ hai" if i % 7 == 0 else None,
            "citation": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2024",
        }
        if i % 10 == 0:
            return line(
                **common,
                name=f"Trường Tiểu học số {i}",
                position_unit="Phòng Giáo dục và Đào tạo",
                kind="Tập thể",
                category="Cơ quan, đơn vị",
            )
        born = 1960 + i % 40 if i % 3 else f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}"
        return line(
            **common,
            **{"male" if i % 2 == 0 else "female": born},
            name=f"{surnames[i % 8]} Văn Người {i}",
            ethnicity="Tày" if i % 4 else "Kinh",
            position_unit=f"Chuyên viên – Phòng {i % 17} Sở Nội vụ",
            kind="Cá nhân",
            category="Người trực tiếp lao động, công tác",
        )

    data = office_sheet(*(nominee(i) for i in range(1, rows + 1)))
    path.write_bytes(data)
    return data


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def full_import(movement, ward, form, officer, rolled_back=None) -> dict:
    """The whole import of a 5,000-row list into a new draft (read, validate, match subjects,
    write), against two floors measured in the same turns:

    - the issue's floor, openpyxl reading the file (target ≤ 3×): it writes nothing, so the ratio
      also counts inserting 5,000 subjects and 5,000 nominees, which no import can skip;
    - the same read plus inserting the same rows with ``bulk_create`` and nothing else (no
      validation, matching or normalising): the ratio to it is what our checks add.

    ``rolled_back(fn)`` wraps each turn in a transaction that is undone (scale data keeps its
    size); without it the imported rows stay (the demo database is thrown away after)."""
    import openpyxl

    from thidua.nominations import actions
    from thidua.nominations.excel import parse_nominee_sheet
    from thidua.nominations.models import Nominee, Subject

    with tempfile.TemporaryDirectory(prefix="thidua-bench-excel-") as tmp:
        data = build_sheet(Path(tmp) / "danh-sach.xlsx")
    wrap = rolled_back or (lambda fn: fn)

    def read() -> None:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        for _row in wb.active.iter_rows(values_only=True):
            pass
        wb.close()

    def ours() -> None:
        dossier = actions.create_dossier(movement=movement, organisation=ward, award_form=form,
                                         by=officer)
        result = parse_nominee_sheet(data, FORMS)
        assert result.ok, result.errors[:3]
        # The bench sheet names several forms by made-up codes; a dossier takes one form only
        # (its rows then take the dossier's), as a real list of one form does.
        for row in result.rows:
            row.award_form_code = ""
        assert actions.import_nominees(dossier, result.rows, by=officer) == ROWS

    rows = parse_nominee_sheet(data, FORMS).rows
    fields = ("kind", "full_name", "gender", "birth_year", "ethnicity", "position", "unit_name",
              "category", "achievement_summary", "citation", "note")

    def bare_insert() -> None:
        read()
        dossier = actions.create_dossier(movement=movement, organisation=ward, award_form=form,
                                         by=officer)
        subjects = Subject.objects.bulk_create(
            [Subject(kind=r.kind, name=r.full_name, birth_year=r.birth_year, unit_name=r.unit_name,
                     name_folded=r.full_name, unit_folded=r.unit_name) for r in rows],
            batch_size=1000)
        Nominee.objects.bulk_create(
            [Nominee(dossier=dossier, subject=s, order=i, name_folded=r.full_name,
                     **{f: getattr(r, f) or (None if f == "birth_year" else "") for f in fields})
             for i, (r, s) in enumerate(zip(rows, subjects, strict=True))], batch_size=1000)

    turns = [(_time(read), _time(wrap(ours)), _time(wrap(bare_insert))) for _ in range(REPEAT)]
    read_s, ours_s, bare_s = (statistics.median(t[i] for t in turns) for i in range(3))
    ratio = statistics.median(o / r for r, o, _b in turns)
    own = statistics.median(o / b for _r, o, b in turns)
    print(f"full import of {ROWS:,} rows: {ours_s:.3f} s; openpyxl read {read_s:.3f} s → "
          f"{ratio:.2f}× (target ≤ {TARGET_RATIO:g}×); read + bare bulk insert of the same rows "
          f"{bare_s:.3f} s → {own:.2f}×")
    return {"import_s": ours_s, "read_s": read_s, "ratio": ratio, "bare_insert_s": bare_s,
            "ratio_to_bare_insert": own}


def run() -> dict:
    _setup_django()
    import openpyxl

    from thidua.nominations.excel import parse_nominee_sheet

    with tempfile.TemporaryDirectory(prefix="thidua-bench-excel-") as tmp:
        data = build_sheet(Path(tmp) / "danh-sach.xlsx")

    def floor() -> None:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        for _row in wb.active.iter_rows(values_only=True):
            pass
        wb.close()

    def parse() -> None:
        result = parse_nominee_sheet(data, FORMS)
        assert result.ok and len(result.rows) == ROWS, result.errors[:5]

    parse()  # warm up (imports, gettext catalogues) and check the sheet reads cleanly
    turns = [(_time(floor), _time(parse)) for _ in range(REPEAT)]
    floor_s = statistics.median(f for f, _p in turns)
    parse_s = statistics.median(p for _f, p in turns)
    ratio = statistics.median(p / f for f, p in turns)
    print(f"{ROWS:,} rows, {len(data) / 1024:.0f} KiB; median of {REPEAT} turns")
    print(f"openpyxl read (floor)   {floor_s:8.3f} s")
    print(f"parse_nominee_sheet     {parse_s:8.3f} s")
    print(f"ratio                   {ratio:8.2f} ×  (target ≤ {TARGET_RATIO:g}×)")
    return {
        "rows": ROWS,
        "floor_s": floor_s,
        "parse_s": parse_s,
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
    }


if __name__ == "__main__":
    run()
