"""Two app servers and two workers against one database and one S3-compatible bucket (moto's
server): a document uploaded through one server is read and its dossier accepted through the
other, a session opened on one is good on the other, and the certificate batch is printed by
whichever worker takes it into the bucket. Nothing is kept on an app server's disk."""

import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests import pipeline
from tests.ops.processes import (
    Browser,
    Process,
    S3Server,
    database_url,
    environment,
    fast_password,
    free_port,
    thidua,
    wait_for,
)
from tests.ops.test_production import gunicorn
from thidua.core import backup
from thidua.decisions import actions as decision_actions
from thidua.decisions import certificate_batches as batches
from thidua.decisions.models import CertificateBatch
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Attachment, Dossier

pytestmark = [pytest.mark.ops, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("committed_database")]

PASSWORD = "Mot-mat-khau-that-dai-2026"


@pytest.fixture
def s3(tmp_path, settings):
    server = S3Server(tmp_path)
    # The test's own process stores in the same bucket, as a third app server would.
    settings.STORAGES = server.storages()
    yield server
    server.stop()


def files_on_disk(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def sign_in(browser, username):
    login = browser.get("/tai-khoan/dang-nhap/")
    answer = browser.post_form("/tai-khoan/dang-nhap/", {
        "csrfmiddlewaretoken": browser.csrf_from(login.text), "username": username,
        "password": PASSWORD})
    assert answer.status == 302, answer.text[:2000]


def test_two_servers_and_two_workers_share_one_database_and_one_bucket(
        s3, draft, personas, movement, city_certificate, tmp_path):
    for person in (personas.hanh, personas.dung):
        fast_password(person, PASSWORD)
    disks = {name: tmp_path / name for name in ("app-a", "app-b", "worker-1", "worker-2")}
    for disk in disks.values():
        disk.mkdir()

    def env(name):
        return environment(disks[name], database_url(), THIDUA_HTTPS=1,
                           THIDUA_ALLOWED_HOSTS="127.0.0.1", **s3.environment())

    ports = {"app-a": free_port(), "app-b": free_port()}
    processes = [gunicorn(name, ports[name], env(name), tmp_path) for name in ports]
    processes += [Process(name, thidua("worker", "--no-reload", "--worker-id", name), env(name),
                          tmp_path) for name in ("worker-1", "worker-2")]
    a, b = Browser(ports["app-a"]), Browser(ports["app-b"])
    try:
        for server in (a, b):
            wait_for(lambda server=server: _healthy(server), 90, "both servers healthy",
                     every=0.5, processes=processes)
        health = json.loads(a.get("/healthz").text)
        assert health["checks"]["worker"]["alive"] == 2 and health["checks"]["storage"]["ok"]
        print("MEASURED: /healthz on S3", {name: c["ms"] for name, c in health["checks"].items()})

        # The ward's officer uploads the submission (tờ trình) through server A...
        sign_in(a, "canbo.songcau")
        page = a.get(f"/ho-so/{draft.pk}/")
        assert page.status == 200
        submission = pipeline.pdf_bytes("to trinh qua may chu A")
        uploaded = a.post_multipart(f"/ho-so/{draft.pk}/tai-lieu/", {
            "csrfmiddlewaretoken": a.csrf_from(page.text), "document_type": "unit_submission",
            "original": "1"}, {"file": ("to-trinh.pdf", submission, "application/pdf")})
        assert uploaded.status == 302, uploaded.text[:2000]
        attachment = Attachment.objects.get(dossier=draft, document_type="unit_submission")
        version = attachment.versions.get()
        assert f"{default_storage.location}{version.file.name}".lstrip("/") in s3.object_keys()
        # ...and the same session is good on server B (sessions live in the database).
        b.cookies = dict(a.cookies)
        assert b.get("/viec-cua-toi/").status == 200

        # The rest of the dossier, its submission by the head; then the office on server B
        # reads the document server A stored, and accepts the dossier there.
        dossier_actions.attach_document(draft, document_type="unit_minutes", original=False,
                                        uploaded_file=pipeline.pdf("bb.pdf"), by=personas.hanh)
        for nominee in draft.nominees.all():
            dossier_actions.attach_document(draft, document_type="achievement_report",
                                            nominee=nominee, uploaded_file=pipeline.docx(),
                                            by=personas.hanh)
        dossier_actions.submit_dossier(Dossier.objects.get(pk=draft.pk), by=personas.tam)
        office = Browser(ports["app-b"])
        sign_in(office, "vanphong")
        download = office.get(f"/ho-so/{draft.pk}/tep/{version.pk}/")
        assert download.status == 200 and download.body == submission
        detail = office.get(f"/ho-so/{draft.pk}/")
        accepted = office.post_form(f"/ho-so/{draft.pk}/kiem-tra/tiep-nhan/", {
            "csrfmiddlewaretoken": office.csrf_from(detail.text)})
        assert accepted.status == 302
        assert Dossier.objects.get(pk=draft.pk).state == "accepted"

        # Council and decision as usual; the batch goes to whichever worker takes it first.
        dossier = Dossier.objects.get(pk=draft.pk)
        approved = pipeline.approve_all(pipeline.open_council(
            pipeline.forward(dossier, personas.dung), personas.mai))
        decision = decision_actions.issue_decision(
            pipeline.draft_for(movement, city_certificate, approved, personas.mai),
            by=personas.binh)
        batch = batches.request_certificate_batch(decision, layout=None, full_design=False,
                                                  base_url="https://127.0.0.1/", by=personas.mai)
        done = wait_for(lambda: CertificateBatch.objects.filter(pk=batch.pk, state="done").first(),
                        90, "the certificate batch", every=0.5, processes=processes)
        assert f"{default_storage.location}{done.file.name}".lstrip("/") in s3.object_keys()
        assert DBTaskResult.objects.get(pk=done.task_id).worker_ids[0] in {"worker-1", "worker-2"}
    finally:
        codes = {p.name: p.stop() for p in processes}
    assert codes == {"app-a": 0, "app-b": 0, "worker-1": 0, "worker-2": 0}, \
        {p.name: p.output()[-2000:] for p in processes}
    # No server kept a file another one needs: their own folders hold nothing but the
    # secret-key file settings may write (the key comes from the environment here).
    for name, disk in disks.items():
        assert files_on_disk(disk) in ([], ["secret_key"]), (name, files_on_disk(disk))
    # Every stored file is in the bucket, and a backup reads them from there.
    names = backup.stored_files()
    assert len(names) >= 4 and any(n.startswith("certificates/") for n in names)
    archive = tmp_path / "s3.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    manifest = backup.verify(archive)
    assert {n.removeprefix("media/") for n in manifest["files"] if n.startswith("media/")} \
        == set(names)


def _healthy(browser):
    try:
        return browser.get("/healthz").status == 200
    except OSError:
        return False
