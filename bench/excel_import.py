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
