"""Benchmark: 1,000 print-on-blank certificates, against a bare reportlab loop writing the same
text and drawing the same QR code made with segno, on the same machine (the floor).
Target: at least 0.7 × the floor's pages per second (floor time / our time ≥ 0.7).

    .venv/bin/python -m bench.certificates
"""

import gc
import io
import re
import statistics
import time

PAGES = 1000
ROUNDS = 5


def run() -> dict:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    import segno
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
    qr = fields["qr"]
    dark_run = re.compile(b"\x01+")

    def floor():
        """The same strings at the same places with reportlab alone (one font, no wrapping), and
        each page's QR code from segno with the same options, drawn the cheapest way: one filled
        path of a rectangle per horizontal run of dark modules, in module units under one
        transform."""
        out = io.BytesIO()
        c = canvas.Canvas(out, pagesize=(297 * mm, 210 * mm), pageCompression=1)
        for t in texts:
            for key, spec in fields.items():
                if key != "qr":
                    c.setFont(names["regular"], float(spec["size"]))
                    c.drawString(float(spec["x"]) * mm, (210 - float(spec["y"])) * mm,
                                 getattr(t, key))
            matrix = segno.make(t.verify_url, error="m", mask=0, micro=False).matrix
            stride = len(matrix) + 1
            cell = float(qr["size"]) * mm / len(matrix)
            runs = " ".join(f"{m.start() % stride} {m.start() // stride} {m.end() - m.start()} 1 re"
                            for m in dark_run.finditer(b"\x00".join(matrix)))
            c.addLiteral(f"q {cell:.4f} 0 0 {-cell:.4f} {float(qr['x']) * mm:.2f} "
                         f"{(210 - float(qr['y'])) * mm:.2f} cm {runs} f Q")
            c.showPage()
        c.save()

    def ours():
        certificates.render(texts, layout)

    def timed(fn):
        gc.collect()  # the previous run's garbage is not charged to this one
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    # Warmed up first (fonts, segno's tables), then floor and ours in turns, so a burst of
    # load on the machine weighs on both sides alike; the medians are compared.
    floor(), ours()
    floor_times, ours_times = [], []
    for _ in range(ROUNDS):
        floor_times.append(timed(floor))
        ours_times.append(timed(ours))
    floor_s, ours_s = statistics.median(floor_times), statistics.median(ours_times)
    ratio = (PAGES / ours_s) / (PAGES / floor_s)
    print(f"{PAGES:,} print-on-blank pages: ours {PAGES / ours_s:,.0f} pages/s ({ours_s:.2f} s); "
          f"floor (bare reportlab + segno) {PAGES / floor_s:,.0f} pages/s ({floor_s:.2f} s); "
          f"ratio {ratio:.2f} (floor time / ours, target ≥ 0.7)")
    return {"pages": PAGES, "ours_s": ours_s, "floor_s": floor_s, "ratio": ratio}


if __name__ == "__main__":
    run()
