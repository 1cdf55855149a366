"""`thidua backup` and `thidua restore`: a living installation (dossiers with their files, an
issued decision, its certificates printed by the worker) is backed up, restored into a fresh
database and an empty storage, and found identical row for row and file for file; a tampered
archive is refused before anything is written; an archive of an older version is migrated."""

import hashlib
import io
import json
import tarfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests.ops.state import file_hashes, fresh_installation, snapshot
from tests.pipeline import draft_for
from thidua.core import backup
from thidua.core.models import Notice
from thidua.decisions import actions
from thidua.decisions import certificate_batches as batches
from thidua.decisions.models import CertificateBatch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_database")]


@pytest.fixture
def living(approved, movement, city_certificate, personas):
    """The pipeline run to its end: dossier files stored, a decision issued with serials, its
    certificates printed into one PDF by the task worker."""
    decision = actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                      by=personas.binh)
    batches.request_certificate_batch(decision, layout=None, full_design=False,
                                      base_url="http://testserver/", by=personas.mai)
    call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    batch = CertificateBatch.objects.get()
    assert batch.state == "done" and batch.file
    return decision


def test_round_trip_keeps_every_row_and_every_file(living, tmp_path, capsys):
    archive = tmp_path / "sao-luu.tar.gz"
    rows, files = snapshot(), file_hashes()
    assert len(files) >= 3 and any(n.startswith("certificates/") for n in files)
    assert rows["decisions_award"] and rows["nominations_dossier"]

    call_command("backup", str(archive))
    said = capsys.readouterr().out
    whole = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert f"SHA-256 của tệp sao lưu: {whole}" in said
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds the secret key
    manifest = backup.verify(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["rows"] == {table: len(table_rows) for table, table_rows in rows.items()}
    assert {n.removeprefix("media/") for n in manifest["files"] if n.startswith("media/")} == set(files)
    assert "0004_worker_heartbeat" in manifest["migrations"]["core"]

    with fresh_installation(tmp_path):
        assert snapshot() == {} and file_hashes() == {}
        call_command("restore", str(archive), sha256=whole)
        assert "mọi mã SHA-256 đều khớp" in capsys.readouterr().out
        assert snapshot() == rows
        assert file_hashes() == files
        assert (tmp_path / "var" / "secret_key").read_text() == settings.SECRET_KEY
        # The sequences came back too: new rows do not collide with restored ones.
        notice = Notice.objects.create(user_id=rows["orgs_user"][0][0], text="sau phục hồi")
        assert notice.pk > max(row[0] for row in rows["core_notice"] or [(0,)])


def rewrite(archive, target, *, change=None, add=None, manifest=None):
    """Copy ``archive`` to ``target`` with one member's bytes changed, a member added, or the
    manifest edited — what a tampered or forged archive looks like."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            if change and member.name == change:
                data = data[:-1] + bytes([data[-1] ^ 1])
            if manifest and member.name == "manifest.json":
                data = json.dumps(manifest(json.loads(data))).encode()
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        if add:
            info = tarfile.TarInfo(add)
            info.size = 4
            out.addfile(info, io.BytesIO(b"evil"))


def test_a_tampered_or_foreign_archive_is_refused_before_anything_is_written(demo, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    db_member = f"database/{'sqlite3.db' if connection.vendor == 'sqlite' else 'postgresql.dump'}"

    def future(manifest):
        manifest["migrations"]["core"].append("9999_future")
        return manifest

    cases = {
        "database": ({"change": db_member}, f"“{db_member}” không khớp mã SHA-256"),
        "key": ({"change": "secret_key"}, "“secret_key” không khớp mã SHA-256"),
        "extra": ({"add": "media/them.pdf"}, "“media/them.pdf” không có trong danh mục"),
        "missing": ({"manifest": lambda m: {**m, "files": {**m["files"], "media/mat.pdf": {
            "sha256": "0" * 64, "size": 1}}}}, "Bản sao lưu thiếu 1 tệp, ví dụ “media/mat.pdf”"),
        "newer": ({"manifest": future}, "phiên bản mới hơn"),
        "engine": ({"manifest": lambda m: {**m, "engine": "mysql"}}, "cơ sở dữ liệu mysql"),
    }
    with fresh_installation(tmp_path):
        for name, (change, refusal) in cases.items():
            bad = tmp_path / f"{name}.tar.gz"
            rewrite(archive, bad, **change)
            with pytest.raises(CommandError, match=refusal):
                call_command("restore", str(bad))
            assert snapshot() == {} and file_hashes() == {}, name
        with pytest.raises(CommandError, match="không đúng mã đã ghi lại"):
            call_command("restore", str(archive), sha256="ab" * 32)
        (tmp_path / "not-an-archive.tar.gz").write_bytes(b"hello")
        with pytest.raises(CommandError, match="Không đọc được tệp sao lưu"):
            call_command("restore", str(tmp_path / "not-an-archive.tar.gz"))
        assert snapshot() == {}
        # An installation already in use is never overwritten.
        call_command("restore", str(archive), verbosity=0)
        with pytest.raises(CommandError, match="Cơ sở dữ liệu đích đã có bảng"):
            call_command("restore", str(archive))


def test_an_older_archive_is_migrated_on_restore(demo, tmp_path):
    """The archive of a version before the worker heartbeat (core 0004) comes back with it."""
    archive = tmp_path / "cu.tar.gz"
    rows = None
    try:
        call_command("migrate", "core", "0003", verbosity=0)
        rows = snapshot()
        assert "core_workerheartbeat" not in rows
        call_command("backup", str(archive), verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    assert "0004_worker_heartbeat" not in backup.verify(archive)["migrations"]["core"]
    with fresh_installation(tmp_path):
        call_command("restore", str(archive), verbosity=0)
        restored = snapshot()
        assert restored.pop("core_workerheartbeat") == []
        newly = set(restored.pop("django_migrations")) - set(rows.pop("django_migrations"))
        assert {(app, name) for _, app, name, _ in newly} == {("core", "0004_worker_heartbeat")}
        assert restored == rows
