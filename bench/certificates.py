"""Benchmark: 1,000 print-on-blank certificates, against a bare reportlab loop writing the same
text on the same machine (the floor). Target: at least 0.5 × the floor's pages per second.

    .venv/bin/python -m bench.certificates
"""

import gc
import io
import statistics
import time

PAGES = 1000
ROUNDS = 5


def run() -> dict:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from thidua.documents import certificates
    from thidua.documents.fonts import reportlab_fonts
    from thidua.documents.models import CertificateLayout

    names = reportlab_fonts()
    texts = [certificates.CertificateText(
        issuer_title="CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN", name=f"Nguyễn Thị Người {i}",
        unit="Y sĩ – Trạm Y tế phường Sông Cầu",
        citation="Đã có thành tích xuất sắc trong phòng, chống dịch COVID-19",
        decision="Quyết định số 1234/QĐ-UBND ngày 20/12/2021", serial=f"Số vào sổ: 2021.003.{i:05d}",
        place_date="TP. Bắc Kạn, ngày 20 tháng 12 năm 2021",
        signer_title="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", signer_name="Ma Văn Bình",
        verify_url=f"https://thidua.example/xac-minh/2021.003.{i:05d}/") for i in range(PAGES)]
    layout = CertificateLayout(name="A4 ngang")
    fields = layout.merged_fields()

    def floor():
        """The same strings at the same places with reportlab alone: no wrapping, no QR."""
        out = io.BytesIO()
        c = canvas.Canvas(out, pagesize=(297 * mm, 210 * mm), pageCompression=1)
        for t in texts:
            for key, spec in fields.items():
                if key != "qr":
                    c.setFont(names["regular"], float(spec["size"]))
                    c.drawString(float(spec["x"]) * mm, (210 - float(spec["y"])) * mm,
                                 getattr(t, key))
            c.showPage()
        c.save()

    def ours():
        certificates.render(texts, layout)

    def timed(fn):
        gc.collect()  # the previous run's garbage is not charged to this one
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    # Warmed up first (fonts, the QR symbol tables), then floor and ours in turns, so a burst of
    # load on the machine weighs on both sides alike; the medians are compared.
    floor(), ours()
    floor_times, ours_times = [], []
    for _ in range(ROUNDS):
        floor_times.append(timed(floor))
        ours_times.append(timed(ours))
    floor_s, ours_s = statistics.median(floor_times), statistics.median(ours_times)
    ratio = (PAGES / ours_s) / (PAGES / floor_s)
    print(f"{PAGES:,} print-on-blank pages: ours {PAGES / ours_s:,.0f} pages/s ({ours_s:.2f} s); "
          f"bare reportlab {PAGES / floor_s:,.0f} pages/s ({floor_s:.2f} s); "
          f"ratio {ratio:.2f} (target ≥ 0.5)")
    return {"pages": PAGES, "ours_s": ours_s, "floor_s": floor_s, "ratio": ratio}


if __name__ == "__main__":
    run()
