"""Long documents off the request: a decision with hundreds of lines (or minutes with many items)
is rendered by the worker with a progress bar, kept under the hash of its content and served
from storage while it says the same; a short one still comes back at once."""

import io
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from docx import Document
from pypdf import PdfReader

from thidua.core import jobs, recovery
from thidua.core.models import Activity
from thidua.decisions.models import Award
from thidua.documents import kinds, rendering, tasks, views
from thidua.documents.flows import RENDER_FLOW
from thidua.documents.models import DocumentTemplate, RenderedDocument
from thidua.documents.render import DEFAULT_TEMPLATES, prepare

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_worker(monkeypatch):
    """`thidua db_worker --batch`: run every queued task, then stop (the test's own transaction
    keeps its connection, as in tests/decisions/test_certificate_batches.py)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(**kwargs):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                     verbosity=0, **kwargs)

    return run


@pytest.fixture
def renders(monkeypatch):
    """Every render, in the request or in the worker, counted by its format."""
    counted = []

    def counting(original):
        def render(prepared, progress=None):
            counted.append(prepared.fmt)
            return original(prepared, progress) if progress else original(prepared)
        return render

    monkeypatch.setattr(tasks, "render_prepared", counting(tasks.render_prepared))
    monkeypatch.setattr(views, "render_prepared", counting(views.render_prepared))
    return counted


@pytest.fixture
def docx_in_background(monkeypatch):
    """A 300-line decision's DOCX takes a tenth of a second, so it is made in the request; these
    tests send it to the worker all the same (as for a list of thousands), which is much
    quicker than laying out its PDF each time."""
    decision = kinds.KINDS["decision"]
    monkeypatch.setitem(kinds.KINDS, "decision", replace(decision, background_from_docx=100))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def ask(client, url, capture):
    with capture(execute=True):
        return client.get(url)


def test_a_long_decision_is_rendered_by_the_worker_once_then_served_from_storage(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        renders):
    client = client_for(personas.mai)
    url = f"/van-ban/decision/{long_decision.pk}.pdf"
    response = ask(client, url, django_capture_on_commit_callbacks)
    job = RenderedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/decision/{long_decision.pk}/dang-tao/{job.pk}/"
    assert (job.kind, job.object_id, job.format, job.size) == ("decision", long_decision.pk,
                                                                "pdf", 302)
    assert (job.state, job.requested_by, job.organisation) == ("queued", personas.mai,
                                                               long_decision.issuer)
    assert not job.file and renders == []  # nothing is rendered inside the request
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id and task.args_kwargs["args"] == [job.pk]
    page = client.get(response["Location"]).content.decode()
    assert 'data-state="queued"' in page and 'hx-trigger="every 2s"' in page
    assert "Văn bản dài (302 dòng)" in page
    detail = client.get(f"/quyet-dinh/{long_decision.pk}/").content.decode()
    assert 'data-testid="document-long"' in detail

    run_worker()

    job.refresh_from_db()
    assert job.state == "done" and job.progress == 100 and job.file and job.error == ""
    assert job.pages_done > 3  # WeasyPrint's pages were counted as they were laid out
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    part = client.get(response["Location"], {"phan": "progress"}).content.decode()
    assert "<html" not in part and "hx-trigger" not in part and 'aria-valuenow="100"' in part
    assert f'href="{url}"' in part
    stored = job.file.read()
    for _ in range(2):
        download = client.get(url)
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="quyet-dinh-1234-2021.pdf"'
        data = body(download)
        assert data == stored
    assert renders == ["pdf"]  # once, by the worker; both downloads came from storage
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Lê Thị Hà 302" in text
    assert RenderedDocument.objects.count() == 1


def test_a_changed_decision_is_rendered_again_and_the_old_file_forgotten(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        renders, docx_in_background):
    client = client_for(personas.mai)
    url = f"/van-ban/decision/{long_decision.pk}.docx"
    ask(client, url, django_capture_on_commit_callbacks)
    run_worker()
    first = RenderedDocument.objects.get()
    old_name = first.file.name
    assert "Lê Thị Hà 150" in docx_text(body(client.get(url)))

    Award.objects.filter(decision=long_decision, order=150).update(name="Lê Thị Hằng")
    again = ask(client, url, django_capture_on_commit_callbacks)
    second = RenderedDocument.objects.exclude(pk=first.pk).get()
    assert again["Location"] == second.get_absolute_url()
    assert second.content_hash != first.content_hash and second.state == "queued"
    run_worker()

    text = docx_text(body(client.get(url)))
    assert "Lê Thị Hằng" in text and "Lê Thị Hà 150" not in text
    assert renders == ["docx", "docx"]
    # The earlier content is never served again: its row and file are gone.
    assert list(RenderedDocument.objects.values_list("pk", flat=True)) == [second.pk]
    assert not first.file.storage.exists(old_name)


def test_a_short_document_comes_back_at_once_and_is_not_kept(decision, personas, client_for,
                                                             renders):
    client = client_for(personas.mai)
    for fmt in ("pdf", "docx", "pdf"):
        response = client.get(f"/van-ban/decision/{decision.pk}.{fmt}")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
    assert renders == ["pdf", "docx", "pdf"]
    assert 'data-testid="document-long"' not in client.get(
        f"/quyet-dinh/{decision.pk}/").content.decode()
    assert not RenderedDocument.objects.exists() and not DBTaskResult.objects.exists()


def test_the_kind_says_how_long_a_document_is(long_decision, council_meeting):
    document = kinds.get_kind("decision")
    assert document.length(long_decision) == 302
    assert document.is_long(302, "pdf") and not document.is_long(2, "pdf")
    # Filling a DOCX table is some 40 times quicker than laying out PDF pages.
    assert not document.is_long(302, "docx") and document.is_long(5000, "docx")
    council = kinds.get_kind("council_minutes")
    assert council.length(council_meeting) == council_meeting.items.count()
    assert council.is_long(15, "pdf") and not council.is_long(14, "pdf")
    # A notice of a few lines declares no size: always rendered at once.
    assert not kinds.get_kind("return_notice").is_long(10_000)


def test_minutes_with_many_items_go_to_the_worker_too(council_meeting, personas, client_for,
                                                       django_capture_on_commit_callbacks,
                                                       run_worker, monkeypatch):
    # The demo meeting has a couple of items; the threshold is lowered to it rather than
    # building hundreds of items through the council's procedure.
    minutes = kinds.KINDS["council_minutes"]
    monkeypatch.setitem(kinds.KINDS, "council_minutes", replace(minutes, background_from_docx=1))
    client = client_for(personas.mai)
    url = f"/van-ban/council_minutes/{council_meeting.pk}.docx"
    response = ask(client, url, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and "/dang-tao/" in response["Location"]
    run_worker()
    assert RenderedDocument.objects.get().state == "done"
    assert "BIÊN BẢN" in docx_text(body(client.get(url))).upper()


def test_a_long_decisions_docx_still_comes_back_at_once(long_decision, personas, client_for,
                                                         renders):
    response = client_for(personas.mai).get(f"/van-ban/decision/{long_decision.pk}.docx")
    assert response.status_code == 200 and "Lê Thị Hà 302" in docx_text(response.content)
    assert renders == ["docx"] and not RenderedDocument.objects.exists()


def test_asking_again_while_it_waits_returns_the_same_job(
        long_decision, personas, client_for, django_capture_on_commit_callbacks,
        docx_in_background):
    mai, binh = client_for(personas.mai), client_for(personas.binh)
    url = f"/van-ban/decision/{long_decision.pk}.pdf"
    first = ask(mai, url, django_capture_on_commit_callbacks)["Location"]
    assert ask(mai, url, django_capture_on_commit_callbacks)["Location"] == first
    assert ask(binh, url, django_capture_on_commit_callbacks)["Location"] == first
    assert RenderedDocument.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert Activity.objects.filter(verb="document.render_requested").count() == 1
    assert binh.get(first).status_code == 200  # the chairman follows the secretariat's job
    # Another format is another file.
    ask(mai, f"/van-ban/decision/{long_decision.pk}.docx", django_capture_on_commit_callbacks)
    assert RenderedDocument.objects.count() == 2


def test_those_who_may_not_read_the_document_cannot_follow_its_job(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, decision):
    url = f"/van-ban/decision/{long_decision.pk}.pdf"
    for who in (personas.hanh, personas.stranger):
        assert client_for(who).get(url).status_code == 404
    assert not RenderedDocument.objects.exists()
    assert client_for(None).get(url).status_code == 302  # to sign in
    job_url = ask(client_for(personas.mai), url, django_capture_on_commit_callbacks)["Location"]
    job = RenderedDocument.objects.get()
    for who in (personas.hanh, personas.stranger):
        client = client_for(who)
        assert client.get(job_url).status_code == 404
        assert client.get(job_url, {"phan": "progress"}).status_code == 404
        assert client.post(f"{job_url}thu-lai/").status_code == 404
    # A job is found only under its own document.
    mai = client_for(personas.mai)
    assert mai.get(f"/van-ban/decision/{long_decision.pk}/dang-tao/{job.pk + 1}/").status_code \
        == 404
    assert mai.get(f"/van-ban/amendment/{long_decision.pk}/dang-tao/{job.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        rendering.request_render(prepare("decision", long_decision, "pdf"), long_decision,
                                 size=302, by=personas.hanh)


def test_a_failure_keeps_no_file_and_a_retry_renders_it(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        monkeypatch, docx_in_background):
    original = tasks.render_prepared

    def broken(prepared, progress=None):
        progress(40, 3)
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "render_prepared", broken)
    client = client_for(personas.mai)
    url = f"/van-ban/decision/{long_decision.pk}.docx"
    job_url = ask(client, url, django_capture_on_commit_callbacks)["Location"]
    run_worker()
    job = RenderedDocument.objects.get()
    assert job.state == "failed" and not job.file and "Không tạo được tệp văn bản" in job.error
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    page = client.get(job_url).content.decode()
    assert 'data-testid="render-error"' in page and f"Số lượt tạo: {job.pk}" in page
    assert "thu-lai/" in page and "hx-trigger" not in page
    # Asking for the document again shows the failed job, with its retry, rather than a new one.
    assert ask(client, url, django_capture_on_commit_callbacks)["Location"] == job_url
    assert client_for(personas.hanh).post(f"{job_url}thu-lai/").status_code == 404

    monkeypatch.setattr(tasks, "render_prepared", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{job_url}thu-lai/")
    job.refresh_from_db()
    assert job.state == "queued" and job.error == ""
    run_worker()
    job.refresh_from_db()
    assert job.state == "done" and job.file
    assert "Lê Thị Hà 302" in docx_text(body(client.get(url)))
    rows = [(a.verb, a.actor, a.before["state"], a.after["state"])
            for a in Activity.objects.for_object(job).order_by("pk")]
    assert rows == [
        ("document.render_started", personas.mai, "queued", "running"),
        ("document.render_failed", personas.mai, "running", "failed"),
        ("document.render_retried", personas.mai, "failed", "queued"),
        ("document.render_started", personas.mai, "queued", "running"),
        ("document.rendered", personas.mai, "running", "done"),
    ]
    assert all(a.organisation == long_decision.issuer for a in Activity.objects.for_object(job))
    with pytest.raises(ValidationError, match="bị lỗi hoặc bị dừng giữa chừng"):
        rendering.retry_render(job, by=personas.mai)  # a finished job is not retried


def test_a_task_delivered_twice_renders_once(long_decision, personas, renders,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = rendering.request_render(prepare("decision", long_decision, "docx"), long_decision,
                                       size=302, by=personas.mai)
    assert tasks.run_render(job.pk) > 0
    job.refresh_from_db()
    kept = job.file.name
    assert tasks.run_render(job.pk) == 0  # the state moved on: nothing to do
    assert tasks.run_render(job.pk, redelivered=True) == 0
    job.refresh_from_db()
    assert renders == ["docx"] and job.state == "done" and job.file.name == kept
    assert Activity.objects.filter(verb="document.render_started").count() == 1
    assert Activity.objects.filter(verb="document.rendered").count() == 1


def test_a_job_its_worker_left_running_is_rendered_again(
        long_decision, personas, django_capture_on_commit_callbacks, run_worker):
    with django_capture_on_commit_callbacks(execute=True):
        job = rendering.request_render(prepare("decision", long_decision, "docx"), long_decision,
                                       size=302, by=personas.mai)
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


def test_a_job_stopped_mid_render_can_be_retried_from_its_page(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        docx_in_background):
    client = client_for(personas.mai)
    job_url = ask(client, f"/van-ban/decision/{long_decision.pk}.docx",
                  django_capture_on_commit_callbacks)["Location"]
    job = RenderedDocument.objects.get()
    RenderedDocument.objects.filter(pk=job.pk).update(
        state="running", progress=30, started_at=timezone.now() - timedelta(minutes=5),
        progressed_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="bị lỗi hoặc bị dừng giữa chừng"):
        rendering.retry_render(job, by=personas.mai)  # five minutes is not stalled
    page = client.get(job_url).content.decode()
    assert 'data-state="running"' in page and 'hx-trigger="every 2s"' in page
    assert "30%" in page and 'aria-valuenow="30"' in page and '<rect width="30%"' in page
    RenderedDocument.objects.filter(pk=job.pk).update(
        progressed_at=timezone.now() - timedelta(minutes=16))
    page = client.get(job_url).content.decode()
    assert 'data-testid="render-stalled"' in page and "hx-trigger" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{job_url}thu-lai/")
    run_worker()
    assert RenderedDocument.objects.get(pk=job.pk).state == "done"


def test_the_hash_covers_the_content_and_the_template(decision, personas):
    pdf, docx = prepare("decision", decision, "pdf"), prepare("decision", decision, "docx")
    assert pdf.content_hash == prepare("decision", decision, "pdf").content_hash  # stable
    assert pdf.content_hash != docx.content_hash
    # A replacement template for the issuer changes the DOCX, not the PDF (drawn from HTML).
    DocumentTemplate.objects.create(
        kind="decision", organisation=decision.issuer,
        file=ContentFile((DEFAULT_TEMPLATES / "decision.docx").read_bytes() + b"\0",
                         name="decision.docx"))
    assert prepare("decision", decision, "docx").content_hash != docx.content_hash
    assert prepare("decision", decision, "pdf").content_hash == pdf.content_hash
    # Any printed field changes both.
    Award.objects.filter(decision=decision).update(citation="Hoàn thành xuất sắc nhiệm vụ")
    assert prepare("decision", decision, "pdf").content_hash != pdf.content_hash


def test_a_stored_file_missing_from_storage_is_made_again(
        long_decision, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        docx_in_background):
    client = client_for(personas.mai)
    url = f"/van-ban/decision/{long_decision.pk}.docx"
    ask(client, url, django_capture_on_commit_callbacks)
    run_worker()
    job = RenderedDocument.objects.get()
    job.file.storage.delete(job.file.name)  # media not restored with the database
    again = ask(client, url, django_capture_on_commit_callbacks)
    assert again.status_code == 302 and "/dang-tao/" in again["Location"]
    assert not RenderedDocument.objects.filter(pk=job.pk).exists()
    run_worker()
    assert "Lê Thị Hà 302" in docx_text(body(client.get(url)))
