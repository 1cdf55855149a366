"""Benchmark: a 500-line decision's package (trọn bộ ZIP) and a proposal's package with large
files, as the request used to make them and as the worker makes them now.

Prints, for the decision: the request that made the package itself (the old code: everything
in memory) against the request that now answers with the job's page, the worker's time, serving
the stored package, and Python's peak memory (tracemalloc) of the old request and of the
worker; then the request time of a decision package made in the request, line count by line
count, against the plan's cost estimate (``documents.packages``: where a package goes to the
worker); then a proposal's package carrying 40 MB of scans: peak memory, old and new.

    .venv/bin/python -m bench.packages          (alone: SQLite in a temporary folder)
"""

import gc
import hashlib
import io
import json
import os
import statistics
import time
import tracemalloc
import zipfile
from datetime import date

LINES = 500
SWEEP = (20, 50, 80, 88, 89, 100, 120)
SCANS = 8  # of 5 MB each, on the proposal's dossier
SCAN_MB = 5


def _decision(lines: int, number: int):
    from thidua.decisions.models import Award, Decision
    from thidua.home.demo import CITY_CERTIFICATE, new_draft
    from thidua.movements.models import Movement
    from thidua.orgs.models import User
    from thidua.rulesets.models import AwardForm

    movement = Movement.objects.get(number="23/KH-UBND")
    form = AwardForm.objects.get(rule_set=movement.rule_set, code=CITY_CERTIFICATE)
    nominee = new_draft(movement, form, User.objects.get(username="canbo.songcau")) \
        .nominees.get()
    # Rows written directly: the benchmark measures packing, not the council's workflow.
    decision = Decision.objects.create(
        movement=movement, issuer=movement.issuer, award_form=form, number=number, year=2021,
        issued_on=date(2021, 12, 20), place="TP. Bắc Kạn",
        signer=User.objects.get(username="chutich"),
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;\nTheo đề nghị của Hội đồng.")
    Award.objects.bulk_create([
        Award(decision=decision, nominee=nominee, kind="individual", name=f"Lê Thị Hà {n:03d}",
              position="Y sĩ", unit_name="Trạm Y tế phường Sông Cầu, Trung tâm Y tế thành phố",
              citation="Đã có thành tích xuất sắc trong công tác phòng, chống dịch COVID-19 năm "
                       "2021", cash=447_000, order=n)
        for n in range(1, lines + 1)])
    return decision


def old_package(title: str, reference: str, files: list[tuple[str, bytes]]) -> bytes:
    """What the request did before (documents.packages at commit c34eac7): every file read
    whole, the archive in a BytesIO, its bytes returned."""
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    manifest = {"title": title, "reference": reference, "files": []}
    for path, content in files:
        archive.writestr(path, content)
        manifest["files"].append({"path": path, "sha256": hashlib.sha256(content).hexdigest(),
                                  "size": len(content)})
    archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    archive.close()
    return buffer.getvalue()


def _old_decision_request(decision) -> int:
    from thidua.documents.render import render_kind_docx, render_pdf

    data = old_package(str(decision), f"decision:{decision.pk}", [
        ("qd.pdf", render_pdf("decision", decision)),
        ("qd.docx", render_kind_docx("decision", decision))])
    return len(data)


def _peak(fn) -> tuple[float, object]:
    gc.collect()
    tracemalloc.start()
    try:
        value = fn()
        return tracemalloc.get_traced_memory()[1] / 2**20, value
    finally:
        tracemalloc.stop()


def _time(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def _cpu(fn) -> tuple[float, float, object]:
    """Wall and CPU time (this process: the test client's request, or the worker's task run
    here): the CPU time hardly moves when other processes share the machine."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - t0, time.process_time() - c0, value


def run() -> None:
    from bench.setup import signed_in_client
    from thidua.decisions.packages import decision_plan
    from thidua.documents import packages, tasks
    from thidua.documents.models import RenderedDocument

    decision = _decision(LINES, 9990)
    client = signed_in_client("noivu")
    url = f"/quyet-dinh/{decision.pk}/tron-bo.zip"
    client.get(f"/quyet-dinh/{decision.pk}/")  # warm up (fonts, templates)

    old_time, old_cpu, size = _cpu(lambda: _old_decision_request(decision))
    old_peak, _ = _peak(lambda: _old_decision_request(decision))
    asked_time, asked_cpu, asked = _cpu(lambda: client.get(url))
    assert asked.status_code == 302 and "/dang-tao/" in asked["Location"], asked.status_code
    job = RenderedDocument.objects.get(kind="decision", object_id=decision.pk, format="zip")
    worker_time, worker_cpu, made = _cpu(lambda: tasks.run_render(job.pk))
    job.refresh_from_db()
    assert job.state == "done", job.error
    # The worker again, on a fresh job of the same content, under tracemalloc.
    RenderedDocument.objects.filter(pk=job.pk).update(state="queued")
    worker_peak, _ = _peak(lambda: tasks.run_render(job.pk))
    served = statistics.median(
        _time(lambda: b"".join(client.get(url).streaming_content))[0] for _ in range(7))

    print(f"decision of {LINES} lines: package {size // 1024} KiB "
          f"(PDF {job.pages_done} pages, DOCX, manifest)")
    print(f"  before: the request made it       {old_time:>8.2f} s  (CPU {old_cpu:5.2f} s)  "
          f"peak {old_peak:6.1f} MiB")
    print(f"  now: the request answers (job)    {asked_time * 1000:>8.0f} ms (CPU "
          f"{asked_cpu * 1000:4.0f} ms)")
    print(f"  now: the worker makes it          {worker_time:>8.2f} s  (CPU {worker_cpu:5.2f} s)  "
          f"peak {worker_peak:6.1f} MiB")
    print(f"  now: served from storage          {served * 1000:>8.1f} ms")

    print("decision package made in the request (median of 3), against the plan's estimate:")
    packages_threshold = packages.BACKGROUND_FROM_MS
    packages.BACKGROUND_FROM_MS = float("inf")
    try:
        for lines in SWEEP:
            small = _decision(lines, 9000 + lines)
            small_url = f"/quyet-dinh/{small.pk}/tron-bo.zip"
            assert client.get(small_url).status_code == 200
            runs = [_cpu(lambda u=small_url: b"".join(client.get(u).streaming_content))
                    for _ in range(3)]
            took = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            estimate = decision_plan(small).cost_ms
            where = "worker" if estimate >= packages_threshold else "request"
            print(f"  {lines:>4} lines  {took * 1000:>7.0f} ms (CPU {cpu * 1000:5.0f} ms)   "
                  f"estimate {estimate:>6.0f} ms -> {where}")
    finally:
        packages.BACKGROUND_FROM_MS = packages_threshold

    _proposal_files()


def _proposal_files() -> None:
    """Peak memory of packing 40 MB of stored scans: the old way (each read whole, the archive
    in memory) against the plan written to a temporary file."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from thidua.decisions.models import ProposalAttachment
    from thidua.documents import packages

    entries, old_files = [], []
    block = os.urandom(2**20)
    for n in range(SCANS):
        name = default_storage.save(f"proposals/scan-{n}.pdf",
                                    ContentFile(b"%PDF-1.4\n" + block * SCAN_MB))
        field = ProposalAttachment(file=name).file
        with default_storage.open(name, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        entries.append(packages.stored_file(f"bo-sung/{n}.pdf", field, sha256=digest,
                                            size=default_storage.size(name), kind="supplement",
                                            description=f"Bản quét {n}"))
        old_files.append((name, f"bo-sung/{n}.pdf"))
    del block
    plan = packages.Plan("Tờ trình", "proposal:0", tuple(entries))

    def old():
        contents = []
        for name, path in old_files:
            with default_storage.open(name, "rb") as handle:
                contents.append((path, handle.read()))
        return len(old_package("Tờ trình", "proposal:0", contents))

    def new():
        with packages.build(plan) as made:
            return made.seek(0, os.SEEK_END)

    old_peak, old_size = _peak(old)
    new_peak, new_size = _peak(new)
    new_time, _ = _time(new)
    print(f"proposal package with {SCANS} scans of {SCAN_MB} MB ({new_size / 2**20:.0f} MB):")
    print(f"  before: archive in memory          peak {old_peak:6.1f} MiB")
    print(f"  now: written to a temporary file   peak {new_peak:6.1f} MiB   {new_time:.2f} s "
          f"(estimate {plan.cost_ms:.0f} ms)")


def main() -> int:
    from bench.setup import demo_database

    demo_database()
    run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
