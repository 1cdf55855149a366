"""Packages off the request: a long decision's or a large proposal's ZIP is made by the worker
(the same RenderedDocument job, page and guarantees as a long document), kept under the hash of
everything in it and served from storage while nothing in it changes; a small one is still
made at once. Either way the archive is written to a temporary file, never whole in memory."""

import hashlib
import io
import json
import tracemalloc
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tests.pipeline import complete, new_draft, pdf, pdf_bytes, person
from tests.reading import pdf_text
from thidua.core import jobs, recovery
from thidua.core.models import Activity
from thidua.decisions import actions as decision_actions
from thidua.decisions import packages as decision_packages
from thidua.decisions import proposals
from thidua.decisions.models import Award, ProposalAttachment
from thidua.documents import packages, rendering, tasks
from thidua.documents.flows import RENDER_FLOW
from thidua.documents.models import RenderedDocument, SignedCopy
from thidua.home.demo import import_list
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import AttachmentVersion, Nominee
from thidua.nominations.packages import dossier_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_worker(monkeypatch):
    """`thidua db_worker --batch`: run every queued task, then stop (as in test_rendered.py)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(**kwargs):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                     verbosity=0, **kwargs)

    return run


@pytest.fixture
def renders(monkeypatch):
    """Every document rendered for a package, in the request or in the worker, by format."""
    counted = []
    original = packages.render_prepared

    def render(prepared, progress=None):
        counted.append(prepared.fmt)
        return original(prepared, progress)

    monkeypatch.setattr(packages, "render_prepared", render)
    return counted


@pytest.fixture
def packed(monkeypatch):
    """Every archive written (in the request or in the worker), by its reference."""
    written = []
    original = packages.Package.finish

    def finish(package):
        written.append(package.manifest["reference"])
        return original(package)

    monkeypatch.setattr(packages.Package, "finish", finish)
    return written


@pytest.fixture
def every_package_to_the_worker(monkeypatch):
    """The two-line decision's package is made in a tenth of a second; these tests send it to
    the worker all the same, which is much quicker than laying out a 300-line PDF each time."""
    monkeypatch.setattr(packages, "BACKGROUND_FROM_MS", 0)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def opened(data: bytes) -> tuple[zipfile.ZipFile, dict]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, json.loads(archive.read("manifest.json"))


def assert_true_manifest(archive, manifest):
    """Every file is in the manifest and nothing else; each hash and size is of its bytes."""
    assert sorted(archive.namelist()) == sorted([f["path"] for f in manifest["files"]]
                                                + ["manifest.json"])
    for entry in manifest["files"]:
        data = archive.read(entry["path"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]


def ask(client, url, capture):
    with capture(execute=True):
        return client.get(url)


def job_url(job) -> str:
    return f"/van-ban/{job.kind}/{job.object_id}/dang-tao/{job.pk}/"


def stored_names() -> list[str]:
    return sorted(default_storage.listdir("rendered")[1]) if default_storage.exists(
        "rendered") else []


def test_a_long_decisions_package_is_made_by_the_worker_then_served_from_storage(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        renders, packed):
    client = client_for(personas.mai)
    url = f"/quyet-dinh/{long_decision.pk}/tron-bo.zip"
    response = ask(client, url, django_capture_on_commit_callbacks)
    job = RenderedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/decision/{long_decision.pk}/dang-tao/{job.pk}/"
    assert (job.kind, job.object_id, job.format, job.size) == ("decision", long_decision.pk,
                                                                "zip", 302)
    assert (job.state, job.requested_by, job.organisation) == ("queued", personas.mai,
                                                               long_decision.issuer)
    assert job.content_hash == decision_packages.decision_plan(long_decision).key
    assert not job.file and renders == []  # nothing is rendered inside the request
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id and task.args_kwargs["args"] == [job.pk]
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="queued"' in page and 'hx-trigger="every 2s"' in page
    assert "Trọn bộ hồ sơ lớn (văn bản 302 dòng" in page
    # Asked again, by the same person or the chairman, while it waits: the same job.
    assert ask(client, url, django_capture_on_commit_callbacks)["Location"] == job_url(job)
    chairman = client_for(personas.binh)
    assert ask(chairman, url, django_capture_on_commit_callbacks)["Location"] == job_url(job)
    assert chairman.get(job_url(job)).status_code == 200
    assert RenderedDocument.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert packed == []

    run_worker()

    job.refresh_from_db()
    assert job.state == "done" and job.progress == 100 and job.file and job.error == ""
    assert job.pages_done > 3  # the PDF's pages were counted as they were laid out
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    part = client.get(response["Location"], {"phan": "progress"}).content.decode()
    assert "hx-trigger" not in part and 'aria-valuenow="100"' in part
    assert f'href="{url}"' in part
    stored = job.file.read()
    for _ in range(2):
        download = client.get(url)
        assert download.status_code == 200 and download["Content-Type"] == "application/zip"
        assert download["Content-Disposition"] == \
            'attachment; filename="quyet-dinh-1234-2021.zip"'
        data = body(download)
        assert data == stored
    # Made once, by the worker; both downloads came from storage.
    assert renders == ["pdf", "docx"] and packed == [f"decision:{long_decision.pk}"]
    archive, manifest = opened(data)
    assert_true_manifest(archive, manifest)
    assert [f["path"] for f in manifest["files"]] == ["quyet-dinh-1234-2021.pdf",
                                                      "quyet-dinh-1234-2021.docx"]
    assert manifest["reference"] == f"decision:{long_decision.pk}"
    assert "Lê Thị Hà 302" in pdf_text(archive.read("quyet-dinh-1234-2021.pdf"))
    # Already compressed files are stored as they are; the manifest is deflated.
    assert {i.filename: i.compress_type for i in archive.infolist()} == {
        "quyet-dinh-1234-2021.pdf": zipfile.ZIP_STORED,
        "quyet-dinh-1234-2021.docx": zipfile.ZIP_STORED,
        "manifest.json": zipfile.ZIP_DEFLATED}
    assert RenderedDocument.objects.count() == 1
    assert Activity.objects.filter(verb="document.render_requested").get().after["format"] \
        == "zip"


def test_a_short_package_is_made_in_the_request_and_not_kept(decision, personas, client_for,
                                                             renders):
    client = client_for(personas.mai)
    for _ in range(2):
        response = client.get(f"/quyet-dinh/{decision.pk}/tron-bo.zip")
        assert response.status_code == 200 and response.streaming  # from its temporary file
        assert_true_manifest(*opened(body(response)))
    assert renders == ["pdf", "docx", "pdf", "docx"]
    assert not RenderedDocument.objects.exists() and not DBTaskResult.objects.exists()
    assert decision_packages.decision_plan(decision).cost_ms < packages.BACKGROUND_FROM_MS


def test_a_pdf_the_worker_already_made_goes_in_as_it_is(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        renders):
    client = client_for(personas.mai)
    ask(client, f"/van-ban/decision/{long_decision.pk}.pdf", django_capture_on_commit_callbacks)
    run_worker()
    pdf_job = RenderedDocument.objects.get(format="pdf")
    # Only the DOCX is left to make: quick enough for the request.
    plan = decision_packages.decision_plan(long_decision)
    assert not plan.is_long
    response = client.get(f"/quyet-dinh/{long_decision.pk}/tron-bo.zip")
    assert response.status_code == 200
    archive, manifest = opened(body(response))
    assert_true_manifest(archive, manifest)
    assert archive.read("quyet-dinh-1234-2021.pdf") == pdf_job.file.read()
    assert renders == ["docx"]
    assert not RenderedDocument.objects.filter(format="zip").exists()


def test_a_changed_decision_gets_a_new_package_and_the_old_one_is_deleted(
        decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        renders, every_package_to_the_worker):
    client = client_for(personas.mai)
    url = f"/quyet-dinh/{decision.pk}/tron-bo.zip"
    ask(client, url, django_capture_on_commit_callbacks)
    run_worker()
    first = RenderedDocument.objects.get()
    old_name = first.file.name
    assert "Nguyễn Thị Lan" in pdf_text(opened(body(client.get(url)))[0].read(
        "quyet-dinh-1234-2021.pdf"))

    Award.objects.filter(decision=decision, name="Nguyễn Thị Lan").update(name="Nguyễn Thị Lân")
    again = ask(client, url, django_capture_on_commit_callbacks)
    second = RenderedDocument.objects.exclude(pk=first.pk).get()
    assert again["Location"] == second.get_absolute_url()
    assert second.content_hash != first.content_hash and second.state == "queued"
    run_worker()

    text = pdf_text(opened(body(client.get(url)))[0].read("quyet-dinh-1234-2021.pdf"))
    assert "Nguyễn Thị Lân" in text and "Nguyễn Thị Lan" not in text
    assert renders == ["pdf", "docx", "pdf", "docx"]
    # The earlier package is never served again: its row and file are gone.
    assert list(RenderedDocument.objects.values_list("pk", flat=True)) == [second.pk]
    assert not default_storage.exists(old_name)
    second.refresh_from_db()
    assert stored_names() == [second.file.name.rpartition("/")[2]]


def test_a_filed_signed_scan_makes_a_new_package_with_the_scan_first(
        decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        every_package_to_the_worker):
    issued = decision_actions.issue_decision(decision, by=personas.binh)
    client = client_for(personas.mai)
    url = f"/quyet-dinh/{issued.pk}/tron-bo.zip"
    ask(client, url, django_capture_on_commit_callbacks)
    run_worker()
    before = RenderedDocument.objects.get()
    client.post(f"/van-ban/decision/{issued.pk}/ban-da-ky/", {"file": pdf("qd.pdf", "da ky")})
    assert ask(client, url, django_capture_on_commit_callbacks).status_code == 302
    run_worker()
    archive, manifest = opened(body(client.get(url)))
    assert_true_manifest(archive, manifest)
    assert manifest["files"][0]["path"] == "quyet-dinh-1234-2021-ban-da-ky.pdf"
    assert archive.read("quyet-dinh-1234-2021-ban-da-ky.pdf") == pdf_bytes("da ky")
    assert not RenderedDocument.objects.filter(pk=before.pk).exists()


def test_only_those_who_may_take_the_package_follow_its_job(
        upward_proposal, personas, client_for, django_capture_on_commit_callbacks,
        every_package_to_the_worker, decision):
    proposal = proposals.send_proposal(upward_proposal, by=personas.mai)
    url = f"/to-trinh/{proposal.pk}/tron-bo.zip"
    job_url = ask(client_for(personas.mai), url, django_capture_on_commit_callbacks)["Location"]
    job = RenderedDocument.objects.get()
    assert job_url == f"/van-ban/upward_proposal/{proposal.pk}/dang-tao/{job.pk}/"
    assert client_for(personas.mai).get(job_url).status_code == 200
    # The unit and a council member read the proposal, but not the other units' dossiers in
    # its package: not its job either.
    for who in (personas.hanh, personas.khanh):
        client = client_for(who)
        assert client.get(f"/to-trinh/{proposal.pk}/").status_code == 200
        assert client.get(url).status_code == 404
        assert client.get(job_url).status_code == 404
        assert client.get(job_url, {"phan": "progress"}).status_code == 404
        assert client.post(f"{job_url}thu-lai/").status_code == 404
        with pytest.raises(PermissionDenied):
            rendering.request_render(
                decision_packages.proposal_plan(proposal).job_identity("upward_proposal"),
                proposal, size=2, by=who)
    stranger = client_for(personas.stranger)
    assert stranger.get(url).status_code == 404 and stranger.get(job_url).status_code == 404
    assert client_for(None).get(job_url).status_code == 302  # to sign in
    # A job is found only under its own object and kind.
    mai = client_for(personas.mai)
    assert mai.get(f"/van-ban/upward_proposal/{proposal.pk}/dang-tao/{job.pk + 1}/") \
        .status_code == 404
    assert mai.get(f"/van-ban/decision/{proposal.pk}/dang-tao/{job.pk}/").status_code == 404
    assert mai.get(f"/van-ban/upward_proposal/{decision.pk + 999}/dang-tao/{job.pk}/") \
        .status_code == 404
    assert RenderedDocument.objects.count() == 1


def test_a_proposals_package_with_its_dossiers_is_made_by_the_worker(
        upward_proposal, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        every_package_to_the_worker):
    proposal = upward_proposal
    client = client_for(personas.mai)
    url = f"/to-trinh/{proposal.pk}/tron-bo.zip"
    ask(client, url, django_capture_on_commit_callbacks)
    run_worker()
    job = RenderedDocument.objects.get()
    assert (job.kind, job.format, job.state) == ("upward_proposal", "zip", "done")
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="to-trinh-56-2021.zip"'
    archive, manifest = opened(body(response))
    assert_true_manifest(archive, manifest)
    dossier = proposal.items.first().nominee.dossier
    folder = f"ho-so/{dossier.pk}-"
    paths = [f["path"] for f in manifest["files"]]
    assert paths[:2] == ["to-trinh-56-2021.pdf", "to-trinh-56-2021.docx"]
    in_folder = [p for p in paths if p.startswith(folder)]
    assert any(p.endswith("/danh-sach.xlsx") for p in in_folder) and len(in_folder) >= 4
    # Each current document of the dossier, byte for byte as uploaded.
    for version in _latest_versions(dossier):
        [entry] = [f for f in manifest["files"] if f.get("original_name") ==
                   version.original_name and f["kind"] == version.attachment.document_type
                   and f["path"].startswith(folder)
                   and (version.attachment.nominee is None
                        or version.attachment.nominee.full_name in f["description"])]
        assert entry["sha256"] == version.sha256
    assert "TỜ TRÌNH" in pdf_text(archive.read("to-trinh-56-2021.pdf"))


def _latest_versions(dossier):
    latest = {}
    for version in AttachmentVersion.objects.filter(attachment__dossier=dossier).select_related(
            "attachment__nominee").order_by("attachment", "uploaded_at", "pk"):
        latest[version.attachment_id] = version
    return list(latest.values())


def test_the_key_covers_everything_in_the_package(upward_proposal, personas):
    proposal = upward_proposal
    plan = decision_packages.proposal_plan
    key = plan(proposal).key
    assert plan(proposal).key == key  # stable while nothing changes
    keys = {key}

    def changed():
        new = plan(proposal).key
        assert new not in keys
        keys.add(new)

    dossier = proposal.items.first().nominee.dossier
    # A new version of one of a dossier's documents (its checksum).
    attachment = dossier.attachments.filter(nominee__isnull=False).first()
    AttachmentVersion.objects.create(
        attachment=attachment, file=ContentFile(b"%PDF-1.4 moi", name="bao-cao.pdf"),
        original_name="bao-cao-moi.pdf", kind="pdf", content_type="application/pdf", size=12,
        sha256=hashlib.sha256(b"%PDF-1.4 moi").hexdigest())
    changed()
    # A column of the dossier's Excel list (not printed on the proposal).
    Nominee.objects.filter(dossier=dossier).update(note="Đã bổ sung")
    changed()
    # A line of the proposal itself (its PDF and DOCX).
    proposal.items.filter(order=1).update(achievements="Hoàn thành xuất sắc")
    changed()
    # A supplement, and the signed scan.
    ProposalAttachment.objects.create(
        proposal=proposal, description="Xác nhận", file=ContentFile(b"x", name="x.pdf"),
        original_name="x.pdf", content_type="application/pdf", size=1,
        sha256=hashlib.sha256(b"x").hexdigest(), sending=1)
    changed()
    SignedCopy.objects.create(kind="upward_proposal", object_id=proposal.pk,
                              file=ContentFile(b"scan", name="scan.pdf"), original_name="s.pdf",
                              content_type="application/pdf", size=4,
                              sha256=hashlib.sha256(b"scan").hexdigest())
    changed()
    # Sending it again (the manifest's reference).
    type(proposal).objects.filter(pk=proposal.pk).update(times_sent=3)
    proposal.refresh_from_db()
    changed()


def test_a_failure_keeps_no_file_and_a_retry_makes_it(
        decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        monkeypatch, every_package_to_the_worker):
    original = packages.render_prepared

    def broken(prepared, progress=None):
        if prepared.fmt == "docx":
            raise OSError("disk full")
        return original(prepared, progress)

    monkeypatch.setattr(packages, "render_prepared", broken)
    client = client_for(personas.mai)
    url = f"/quyet-dinh/{decision.pk}/tron-bo.zip"
    job_url = ask(client, url, django_capture_on_commit_callbacks)["Location"]
    run_worker()
    job = RenderedDocument.objects.get()
    assert job.state == "failed" and not job.file and "Không tạo được tệp văn bản" in job.error
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert stored_names() == []  # the half-written archive was a temporary file, now gone
    page = client.get(job_url).content.decode()
    assert 'data-testid="render-error"' in page and f"Số lượt tạo: {job.pk}" in page
    assert "thu-lai/" in page and "hx-trigger" not in page
    # Asking again shows the failed job with its retry, rather than a new one.
    assert ask(client, url, django_capture_on_commit_callbacks)["Location"] == job_url
    assert client_for(personas.hanh).post(f"{job_url}thu-lai/").status_code == 404

    monkeypatch.setattr(packages, "render_prepared", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{job_url}thu-lai/")
    job.refresh_from_db()
    assert job.state == "queued" and job.error == ""
    run_worker()
    job.refresh_from_db()
    assert job.state == "done" and job.file
    assert_true_manifest(*opened(body(client.get(url))))
    assert [(a.verb, a.actor, a.before["state"], a.after["state"])
            for a in Activity.objects.for_object(job).order_by("pk")] == [
        ("document.render_started", personas.mai, "queued", "running"),
        ("document.render_failed", personas.mai, "running", "failed"),
        ("document.render_retried", personas.mai, "failed", "queued"),
        ("document.render_started", personas.mai, "queued", "running"),
        ("document.rendered", personas.mai, "running", "done"),
    ]
    with pytest.raises(ValidationError, match="bị lỗi hoặc bị dừng giữa chừng"):
        rendering.retry_render(job, by=personas.mai)  # a finished job is not retried


def _queued_package(decision, by, capture):
    plan = decision_packages.decision_plan(decision)
    with capture(execute=True):
        return rendering.request_render(plan.job_identity("decision"), decision,
                                        size=plan.size, by=by)


def test_a_task_delivered_twice_makes_the_package_once(decision, personas, renders,
                                                       django_capture_on_commit_callbacks):
    job = _queued_package(decision, personas.mai, django_capture_on_commit_callbacks)
    assert tasks.run_render(job.pk) > 0
    job.refresh_from_db()
    kept = job.file.name
    assert tasks.run_render(job.pk) == 0  # the state moved on: nothing to do
    assert tasks.run_render(job.pk, redelivered=True) == 0
    job.refresh_from_db()
    assert renders == ["pdf", "docx"] and job.state == "done" and job.file.name == kept
    assert Activity.objects.filter(verb="document.render_started").count() == 1
    assert Activity.objects.filter(verb="document.rendered").count() == 1


def test_a_package_its_worker_left_running_is_made_again(
        decision, personas, django_capture_on_commit_callbacks, run_worker):
    job = _queued_package(decision, personas.mai, django_capture_on_commit_callbacks)
    # A worker claimed the task a minute ago, started the job and died without a heartbeat.
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=1))
    assert jobs.move(RENDER_FLOW, RenderedDocument.objects.get(pk=job.pk), "start")
    RenderedDocument.objects.filter(pk=job.pk).update(progress=40)

    assert recovery.recover_abandoned_tasks() == [str(task.pk)]
    run_worker(worker_id="live-worker")

    job.refresh_from_db()
    assert job.state == "done" and job.file and job.progress == 100
    assert DBTaskResult.objects.get(pk=task.pk).worker_ids == ["dead-worker", "live-worker"]
    assert list(Activity.objects.for_object(job).order_by("pk").values_list("verb", flat=True)) \
        == ["document.render_started", "document.render_restarted", "document.rendered"]


def test_a_package_is_written_in_chunks_never_whole_in_memory():
    """A 24 MB scan goes into the archive through a temporary file: Python's peak memory while
    making the package stays a small fraction of it."""
    name = default_storage.save("signed/big.pdf", ContentFile(b"%PDF-1.4\n" + bytes(
        (i * 7919) % 251 for i in range(1 << 20)) * 24))
    field = ProposalAttachment(file=name).file
    size = default_storage.size(name)
    with default_storage.open(name, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    plan = packages.Plan("Lớn", "test:1", (packages.stored_file(
        "scan.pdf", field, sha256=digest, size=size, kind="scan", description="Bản quét"),))
    tracemalloc.start()
    try:
        made = packages.build(plan)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, peak  # a few chunks, not the 24 MB file nor the archive
    with made:
        archive = zipfile.ZipFile(made)
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["files"][0]["sha256"] == digest and manifest["files"][0]["size"] == size
        with archive.open("scan.pdf") as inside:
            assert hashlib.file_digest(inside, "sha256").hexdigest() == digest


def test_a_dossiers_package_goes_the_same_way(draft, personas, client_for,
                                              django_capture_on_commit_callbacks, run_worker,
                                              every_package_to_the_worker):
    complete(draft, personas.hanh)
    client = client_for(personas.hanh)
    url = f"/ho-so/{draft.pk}/ho-so.zip"
    job_url = ask(client, url, django_capture_on_commit_callbacks)["Location"]
    job = RenderedDocument.objects.get()
    assert job_url == f"/van-ban/unit_proposal/{draft.pk}/dang-tao/{job.pk}/"
    other_unit = client_for(personas.thu)
    assert other_unit.get(url).status_code == 404 and other_unit.get(job_url).status_code == 404
    run_worker()
    response = client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="ho-so-{draft.pk}.zip"'
    archive, manifest = opened(body(response))
    assert_true_manifest(archive, manifest)
    kinds = {f["kind"] for f in manifest["files"]}
    assert {"nominee_list", "unit_submission", "unit_minutes", "achievement_report",
            "unit_proposal_pdf"} <= kinds
    # A replaced document is a new version: a new package, the old one forgotten.
    minutes = draft.attachments.get(document_type="unit_minutes")
    dossier_actions.attach_document(draft, document_type="unit_minutes", attachment=minutes,
                                    uploaded_file=pdf("bien-ban-moi.pdf", "ban moi"),
                                    by=personas.hanh)
    again = ask(client, url, django_capture_on_commit_callbacks)
    assert again.status_code == 302 and again["Location"] != job_url
    run_worker()
    archive, manifest = opened(body(client.get(url)))
    [entry] = [f for f in manifest["files"] if f["kind"] == "unit_minutes"]
    assert archive.read(entry["path"]) == pdf_bytes("ban moi")
    assert RenderedDocument.objects.get().pk != job.pk


def test_where_a_package_goes_to_the_worker(decision, movement, city_certificate, personas):
    """About a second of work in the request: a decision of 89 lines (its PDF and DOCX), a
    dossier of 85 people (its Tờ trình and Excel list), or some 200 MB of files."""
    plan = decision_packages.decision_plan(decision)
    assert not plan.is_long and plan.size == 2
    first = decision.awards.first()
    for lines, long in ((88, False), (89, True)):
        Award.objects.bulk_create([
            Award(decision=decision, nominee=first.nominee, kind="individual", name=f"Hà {n}",
                  cash=first.cash, order=n) for n in range(decision.awards.count() + 1,
                                                           lines + 1)])
        plan = decision_packages.decision_plan(decision)
        assert (plan.size, plan.is_long) == (lines, long)

    draft = new_draft(movement, city_certificate, personas.thu)  # Đức Xuân ward's
    assert not dossier_plan(draft).is_long
    import_list(draft, [person(name=f"Lê Văn Tư {n:02d}") for n in range(83)], by=personas.thu)
    plan = dossier_plan(draft)
    assert plan.size == 84 and not plan.is_long
    import_list(draft, [person(name="Lê Văn Năm")], by=personas.thu)
    plan = dossier_plan(draft)
    assert plan.size == 85 and plan.is_long

    big = packages.stored_file("a.pdf", None, sha256="0" * 64, size=200 * 2**20, kind="scan",
                               description="")
    assert packages.Plan("", "", (big,)).is_long


def test_a_readers_language_changes_neither_the_papers_nor_their_keys(
        decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        every_package_to_the_worker, settings):
    """A decision is a Vietnamese paper whoever asks: an English interface must find the package
    the worker made (not queue a new one on every click), and the same content hash."""
    from django.utils import translation

    from thidua.documents.render import prepare

    plan = packages.get_package("decision").plan  # as the views and the worker make it
    with translation.override("en"):
        english = (plan(decision).key,
                   prepare("decision", decision, "pdf").content_hash)
    with translation.override("vi"):
        vietnamese = (plan(decision).key,
                      prepare("decision", decision, "pdf").content_hash)
    assert english == vietnamese
    client = client_for(personas.mai)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/quyet-dinh/{decision.pk}/tron-bo.zip"
    assert ask(client, url, django_capture_on_commit_callbacks).status_code == 302
    run_worker()
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive, manifest = opened(body(download))
    assert_true_manifest(archive, manifest)
    assert manifest["title"].startswith("Quyết định")
    assert RenderedDocument.objects.count() == 1
