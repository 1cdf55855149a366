"""Benchmarks, reported as ratios to a floor measured in the same run (`make bench`).

Each benchmark times a real operation and a floor: the cheapest operation of the same kind on
this machine (for a page, Django answering a bare view through the same middleware). The ratio
says how much our work costs on top of the framework, whatever the machine's speed.
"""

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.setup import demo_database, signed_in_client


def _best(fn, repeat=30) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    demo_database()
    from bench import demo

    demo.run()  # first: the pages below are then measured on the living city
    print()
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import path

    import thidua.urls as urls
    from thidua.orgs.models import Organisation

    urls.urlpatterns.append(path("__bench_floor__/", lambda r: HttpResponse("ok")))
    client = Client()
    client.get("/")  # warm up

    floor = _best(lambda: client.get("/__bench_floor__/"))
    rows = []
    for label, url, who in [
        ("public movement page", "/phong-trao/phong-chong-covid-19-tp-bac-kan-2021/", None),
        ("public home", "/", None),
        ("officer's home", "/viec-cua-toi/", "canbo.songcau"),
        ("chairman's unit tree", "/don-vi/", "chutich"),
    ]:
        c = signed_in_client(who)
        assert c.get(url).status_code == 200, (url, who)
        t = _best(lambda c=c, url=url: c.get(url))
        rows.append((label, t, t / floor))

    city = Organisation.objects.get(code="ubnd-tp-bac-kan")
    q_floor = _best(lambda: list(Organisation.objects.filter(pk=city.pk)), 100)
    q = _best(lambda: list(Organisation.objects.subtrees([city])), 100)
    rows.append(("subtree query (city)", q, q / q_floor))

    print(f"floor: bare view {floor * 1000:.2f} ms; single-row query {q_floor * 1000:.3f} ms")
    print(f"{'benchmark':<26}{'median ms':>12}{'× floor':>10}")
    for label, t, ratio in rows:
        print(f"{label:<26}{t * 1000:>12.2f}{ratio:>10.1f}")
    print()
    from bench import excel_import

    excel_import.run()
    print()
    _full_import()
    print()
    from bench import certificates

    certificates.run()
    print()
    _decision_documents()
    print()
    from bench import rendered

    rendered.run()
    print()
    from bench import exemplars

    exemplars.run()
    print()
    from bench import reports

    reports.run()
    return 0


def _decision_documents() -> None:
    """A decision with 500 awardees rendered to DOCX and PDF (seconds; no floor applies)."""
    from datetime import date

    from thidua.decisions.models import Award, Decision
    from thidua.documents.render import decision_docx, decision_pdf
    from thidua.movements.models import Movement
    from thidua.nominations.models import Nominee
    from thidua.orgs.models import User
    from thidua.rulesets.models import AwardForm

    movement = Movement.objects.get(number="23/KH-UBND")
    form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-huyen")
    # Rows written directly: the benchmark measures rendering, not the council's workflow.
    decision = Decision.objects.create(
        movement=movement, issuer=movement.issuer, award_form=form, number=9999, year=2021,
        issued_on=date(2021, 12, 20), place="TP. Bắc Kạn", signer=User.objects.get(username="chutich"),
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;\nTheo đề nghị của Hội đồng.")
    Award.objects.bulk_create([
        Award(decision=decision, nominee=n, kind=n.kind, name=n.full_name, position=n.position,
              unit_name=n.unit_name, citation="Đã có thành tích xuất sắc", cash=447_000, order=i)
        for i, n in enumerate(Nominee.objects.all()[:500], start=1)])
    t0 = time.perf_counter()
    docx = decision_docx(decision)
    t1 = time.perf_counter()
    pdf = decision_pdf(decision)
    t2 = time.perf_counter()
    print(f"decision with 500 awardees: DOCX {t1 - t0:.2f} s ({len(docx) // 1024} KiB), "
          f"PDF {t2 - t1:.2f} s ({len(pdf) // 1024} KiB)")


def _full_import() -> None:
    """Import a 5,000-row list into a dossier (read, validate, write), against openpyxl reading it."""
    import openpyxl

    from bench.excel_import import FORMS, ROWS, build_sheet
    from thidua.movements.models import Movement
    from thidua.nominations import actions
    from thidua.nominations.excel import parse_nominee_sheet
    from thidua.orgs.models import Organisation, User
    from thidua.rulesets.models import AwardForm

    with tempfile.TemporaryDirectory() as tmp:
        data = build_sheet(Path(tmp) / "list.xlsx")
    officer = User.objects.get(username="canbo.songcau")
    movement = Movement.objects.get(number="23/KH-UBND")
    form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-huyen")
    ward = Organisation.objects.get(code="phuong-song-cau")

    def floor():
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for _row in wb.active.iter_rows(values_only=True):
            pass
        wb.close()

    def full():
        dossier = actions.create_dossier(movement=movement, organisation=ward, award_form=form,
                                         by=officer)
        result = parse_nominee_sheet(data, FORMS)
        assert result.ok, result.errors[:3]
        # The bench sheet names several forms by made-up codes; a dossier takes one form only
        # (its rows then take the dossier's), as a real list of one form does.
        for row in result.rows:
            row.award_form_code = ""
        assert actions.import_nominees(dossier, result.rows, by=officer) == ROWS

    floor_s = statistics.median(_time(floor) for _ in range(3))
    full_s = statistics.median(_time(full) for _ in range(3))
    print(f"full import of {ROWS:,} rows into a dossier (SQLite): {full_s:.3f} s; "
          f"openpyxl read {floor_s:.3f} s; ratio {full_s / floor_s:.2f}× (target ≤ 3×)")


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
