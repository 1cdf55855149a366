"""A worker that dies mid-task: its task is taken up again within a minute (heartbeat and
lease), never left running; a certificate batch is printed again on the same serials."""

import io
import sys
import time
import unicodedata
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from tests.ops.processes import Process, database_url, environment, wait_for
from tests.pipeline import draft_for
from thidua.core import jobs, recovery
from thidua.core.models import Activity, WorkerHeartbeat
from thidua.decisions import actions, tasks
from thidua.decisions import certificate_batches as batches
from thidua.decisions.flows import BATCH_FLOW
from thidua.decisions.models import Award, CertificateBatch


def claimed_task(worker_id, seconds_ago):
    started = timezone.now() - timedelta(seconds=seconds_ago)
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [0], "kwargs": {}}, task_path="thidua.decisions.tasks.print_certificate_batch",
        backend_name="default", run_after=timezone.now(), status=TaskResultStatus.RUNNING,
        started_at=started, worker_ids=[worker_id])
    return task


def reported(worker_id, seconds_ago):
    when = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="app", pid=1, started_at=when,
                                   beat_at=when)


@pytest.mark.django_db
def test_only_the_tasks_of_silent_workers_are_queued_again():
    reported("alive", seconds_ago=5)
    reported("dead", seconds_ago=45)
    of_the_living = claimed_task("alive", seconds_ago=120)
    of_the_dead = claimed_task("dead", seconds_ago=120)
    never_reported = claimed_task("plain-db-worker", seconds_ago=120)
    just_claimed = claimed_task("starting", seconds_ago=2)  # its worker's first beat is coming

    recovered = recovery.recover_abandoned_tasks()

    assert sorted(recovered) == sorted([str(of_the_dead.pk), str(never_reported.pk)])
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {of_the_living.pk: "RUNNING", of_the_dead.pk: "READY",
                        never_reported.pk: "READY", just_claimed.pk: "RUNNING"}
    assert DBTaskResult.objects.get(pk=of_the_dead.pk).worker_ids == ["dead"]  # history kept
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"alive"}
    assert recovery.recover_abandoned_tasks() == []  # nothing twice


@pytest.mark.django_db
def test_a_batch_its_worker_left_running_is_printed_again_on_the_same_serials(
        approved, movement, city_certificate, personas, monkeypatch,
        django_capture_on_commit_callbacks):
    decision = actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                      by=personas.binh)
    serials = sorted(Award.objects.filter(decision=decision).values_list("serial", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.request_certificate_batch(decision, layout=None, full_design=False,
                                                  base_url="http://testserver/", by=personas.mai)
    # A worker claimed the task a minute ago, started the batch, drew a page and died.
    task = DBTaskResult.objects.get()
    task.claim("dead-worker")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=1))
    assert jobs.move(BATCH_FLOW, CertificateBatch.objects.get(pk=batch.pk), "start")
    CertificateBatch.objects.filter(pk=batch.pk).update(pages_done=1)

    assert recovery.recover_abandoned_tasks() == [str(task.pk)]
    # The next worker (here django-tasks-db's own, run once) delivers it a second time.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                 verbosity=0, worker_id="live-worker")

    done = CertificateBatch.objects.get(pk=batch.pk)
    assert (done.state, done.pages_done, done.pages_total) == ("done", 2, 2)
    assert DBTaskResult.objects.get(pk=task.pk).worker_ids == ["dead-worker", "live-worker"]
    assert all(serial in pdf_text(done.file) for serial in serials)
    assert list(Activity.objects.filter(verb__startswith="certificates.").order_by("pk")
                .values_list("verb", flat=True)) == [
        "certificates.requested", "certificates.started", "certificates.restarted",
        "certificates.printed"]
    # Delivered yet again (a worker frozen past its lease, then thawed): the printed batch stays.
    assert tasks.run_certificate_batch(batch.pk, redelivered=True) == 0
    assert CertificateBatch.objects.get(pk=batch.pk).file == done.file


def pdf_text(field_file) -> str:
    field_file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(field_file.read()))
    finally:
        field_file.close()
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


@pytest.mark.ops
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_batch_is_printed_by_another_within_a_minute(
        committed_database, approved, movement, city_certificate, personas, settings, tmp_path):
    decision = actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                      by=personas.binh)
    serials = sorted(Award.objects.filter(decision=decision).values_list("serial", flat=True))
    assert len(serials) == 2 and all(serials)
    # The workers share the test's database and media folder (settings.MEDIA_ROOT = var/media).
    var = settings.MEDIA_ROOT.parent
    env = environment(var, database_url(), SLOW_PAGE_SECONDS=4)
    worker = [sys.executable, "tests/ops/slow_worker.py", "--no-startup-delay", "--interval", "0.5",
              "--no-reload", "-v", "1"]
    first = Process("worker-1", [*worker, "--worker-id", "worker-1"], env, tmp_path)
    second = None
    try:
        wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id="worker-1").exists(), 60,
                 "the first worker's heartbeat", processes=[first])
        batch = batches.request_certificate_batch(decision, layout=None, full_design=False,
                                                  base_url="http://testserver/", by=personas.mai)
        wait_for(lambda: CertificateBatch.objects.filter(pk=batch.pk, state="running",
                                                         pages_done__gte=1).exists(),
                 60, "the first page", processes=[first])
        # A second worker, alive meanwhile, leaves a task whose worker still reports alone.
        second = Process("worker-2", [*worker, "--worker-id", "worker-2"],
                         environment(var, database_url(), SLOW_PAGE_SECONDS=0), tmp_path)
        first.kill()
        killed_at = time.monotonic()
        assert CertificateBatch.objects.get(pk=batch.pk).state == "running"

        done = wait_for(lambda: CertificateBatch.objects.filter(pk=batch.pk, state="done").first(),
                        90, "the batch to be printed again", every=0.5, processes=[second])
        taken_up_after = time.monotonic() - killed_at
        assert taken_up_after < 60, taken_up_after
        task = DBTaskResult.objects.get(pk=done.task_id)
        assert task.status == "SUCCESSFUL" and task.worker_ids == ["worker-1", "worker-2"]
        assert (done.pages_done, done.pages_total) == (2, 2)
        text = pdf_text(done.file)
        assert all(serial in text for serial in serials)  # the serials given at issuing
        assert sorted(Award.objects.filter(decision=decision).values_list("serial", flat=True)) \
            == serials
        verbs = list(Activity.objects.filter(verb__startswith="certificates.").order_by("pk")
                     .values_list("verb", flat=True))
        assert verbs == ["certificates.requested", "certificates.started",
                         "certificates.restarted", "certificates.printed"]
        assert not DBTaskResult.objects.filter(status="RUNNING").exists()
        assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["worker-2"]
        print(f"MEASURED: batch taken up again {taken_up_after:.1f} s after the kill")
    finally:
        first.stop()
        if second is not None:
            assert second.stop() == 0, second.output()[-3000:]
    # Stopped cleanly, a worker leaves no heartbeat behind.
    assert not WorkerHeartbeat.objects.exists()
