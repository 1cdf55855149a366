"""Benchmark: a 500-line decision's PDF, rendered once by the worker and then served from storage.

Prints the first render (what the worker spends, and what a request used to spend), the time
to answer `/van-ban/decision/<pk>.pdf` once the file is stored (the request still builds the
context and hashes it, to know the file is current), reading the same file from storage
directly, and a bare view answering with that file through the same middleware (the floor of
any page). What a served request adds to the bare view is mostly building the context to hash
it: the price of never serving a file that no longer says what the decision says.

    make bench                                   (SQLite, with the other benchmarks)
    .venv/bin/python -m bench.rendered           (alone; any DATABASE_URL)
"""

import io
import os
import statistics
import time
from datetime import date

LINES = 500
REPEAT = 15


def _decision():
    from thidua.decisions.models import Award, Decision
    from thidua.movements.models import Movement
    from thidua.nominations.models import Nominee
    from thidua.orgs.models import User
    from thidua.rulesets.models import AwardForm

    movement = Movement.objects.get(number="23/KH-UBND")
    form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-huyen")
    nominee = Nominee.objects.first()
    # Rows written directly: the benchmark measures rendering and serving, not the workflow.
    decision = Decision.objects.create(
        movement=movement, issuer=movement.issuer, award_form=form, number=9998, year=2021,
        issued_on=date(2021, 12, 20), place="TP. Bắc Kạn",
        signer=User.objects.get(username="chutich"),
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;\nTheo đề nghị của Hội đồng.")
    Award.objects.bulk_create([
        Award(decision=decision, nominee=nominee, kind="individual", name=f"Lê Thị Hà {n:03d}",
              position="Y sĩ", unit_name="Trạm Y tế phường Sông Cầu, Trung tâm Y tế thành phố",
              citation="Đã có thành tích xuất sắc trong công tác phòng, chống dịch COVID-19 năm "
                       "2021", cash=447_000, order=n)
        for n in range(1, LINES + 1)])
    return decision


def _client(username: str):
    from bench.setup import signed_in_client

    return signed_in_client(username)


def run() -> tuple[float, float, float]:
    from django.core.files.storage import default_storage
    from django.http import FileResponse
    from django.urls import clear_url_caches, path

    from thidua.documents import tasks
    from thidua.documents.models import RenderedDocument
    from thidua.documents.render import prepare

    decision = _decision()
    client = _client("noivu")
    url = f"/van-ban/decision/{decision.pk}.pdf"
    asked = client.get(url)
    assert asked.status_code == 302 and "/dang-tao/" in asked["Location"], asked.status_code
    job = RenderedDocument.objects.get(kind="decision", object_id=decision.pk, format="pdf")
    t0 = time.perf_counter()
    tasks.run_render(job.pk)  # what the worker does with the queued task
    first = time.perf_counter() - t0
    job.refresh_from_db()
    assert job.state == "done", job.error

    def served():
        response = client.get(url)
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    def floor():
        with default_storage.open(job.file.name, "rb") as f:
            return f.read()

    # The floor of a page: Django answering a bare view with the same file, through the same
    # middleware and session.
    import thidua.urls as urls

    urls.urlpatterns.append(path("__bench_file__/", lambda request: FileResponse(
        default_storage.open(job.file.name, "rb"), as_attachment=True, filename="x.pdf")))
    clear_url_caches()

    def bare():
        return b"".join(client.get("/__bench_file__/").streaming_content)

    assert served() == floor() == bare()
    serve = statistics.median(_time(served) for _ in range(REPEAT))
    read = statistics.median(_time(floor) for _ in range(REPEAT))
    view = statistics.median(_time(bare) for _ in range(REPEAT))
    hashing = statistics.median(_time(lambda: prepare("decision", decision, "pdf"))
                                for _ in range(REPEAT))
    size = len(floor()) // 1024
    print(f"decision of {LINES} lines as PDF ({size} KiB, {job.pages_done} pages)")
    print(f"  first render (worker)        {first:>9.2f} s")
    print(f"  served from storage          {serve * 1000:>9.1f} ms  "
          f"({first / serve:.0f}× faster than rendering)")
    print(f"  of which context + hash      {hashing * 1000:>9.1f} ms")
    print(f"  storage read of the file     {read * 1000:>9.2f} ms  served / read {serve / read:.0f}×")
    print(f"  bare view serving the file   {view * 1000:>9.1f} ms  served / bare view "
          f"{serve / view:.1f}×")
    return first, serve, read


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    if "DATABASE_URL" not in os.environ:
        import tempfile

        os.environ["THIDUA_VAR_DIR"] = tempfile.mkdtemp(prefix="thidua-bench-")
    os.environ.setdefault("THIDUA_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
