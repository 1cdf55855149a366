"""Benchmark: reading a 5,000-row nomination list, against openpyxl reading the same file.

Floor: ``openpyxl.load_workbook(read_only=True, data_only=True)`` and ``iter_rows(values_only=True)``
over every cell, which ``parse_nominee_sheet`` cannot avoid. The ratio is what our header
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
REPEAT = 3
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
    """An office-style list: title rows, a two-row header with Năm sinh over Nam | Nữ, ``rows`` rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN"])
    ws.append(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025"])
    ws.append([])
    ws.append(
        [
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
    )
    ws.append([None, None, "Nam", "Nữ"])
    for merge in ["A1:L1", "A2:L2", "C4:D4"] + [f"{c}4:{c}5" for c in "ABEFGHIJKL"]:
        ws.merge_cells(merge)
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Đinh"]
    for i in range(1, rows + 1):
        collective = i % 10 == 0
        male = i % 2 == 0
        born = 1960 + i % 40 if i % 3 else f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}"
        ws.append(
            [
                i,
                f"Trường Tiểu học số {i}" if collective else f"{surnames[i % 8]} Văn Người {i}",
                None if collective or not male else born,
                None if collective or male else born,
                None if collective else ("Tày" if i % 4 else "Kinh"),
                "Phòng Giáo dục và Đào tạo" if collective else f"Chuyên viên – Phòng {i % 17} Sở Nội vụ",
                SUMMARY,
                FORMS[i % len(FORMS)][1],
                "Lần thứ hai" if i % 7 == 0 else None,
                "Tập thể" if collective else "Cá nhân",
                "Cơ quan, đơn vị" if collective else "Người trực tiếp lao động, công tác",
                "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2024",
            ]
        )
    wb.save(path)
    return path.read_bytes()


def _median(fn) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> dict:
    _setup_django()
    import openpyxl

    from thidua.nominations.excel import parse_nominee_sheet

    with tempfile.TemporaryDirectory(prefix="thidua-bench-excel-") as tmp:
        data = build_sheet(Path(tmp) / "danh-sach.xlsx")

    def floor() -> None:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for _row in wb.active.iter_rows(values_only=True):
            pass
        wb.close()

    def parse() -> None:
        result = parse_nominee_sheet(data, FORMS)
        assert result.ok and len(result.rows) == ROWS, result.errors[:5]

    parse()  # warm up (imports, gettext catalogues) and check the sheet reads cleanly
    floor_s = _median(floor)
    parse_s = _median(parse)
    ratio = parse_s / floor_s
    print(f"{ROWS:,} rows, {len(data) / 1024:.0f} KiB; median of {REPEAT} runs")
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
