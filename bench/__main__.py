"""Benchmarks, reported as ratios to a floor measured in the same run (`make bench`).

Each benchmark times a real operation and a floor: the cheapest operation of the same kind on
this machine (for a page, Django answering a bare view through the same middleware). The ratio
says how much our work costs on top of the framework, whatever the machine's speed.
"""

import statistics
import sys
import time

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
    from bench import packages

    packages.run()
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
    from bench.excel_import import full_import
    from thidua.movements.models import Movement
    from thidua.orgs.models import Organisation, User
    from thidua.rulesets.models import AwardForm

    movement = Movement.objects.get(number="23/KH-UBND")
    full_import(movement, Organisation.objects.get(code="phuong-song-cau"),
                AwardForm.objects.get(rule_set=movement.rule_set,
                                      code="giay-khen-chu-tich-ubnd-huyen"),
                User.objects.get(username="canbo.songcau"))


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
