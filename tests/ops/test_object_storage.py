"""Files in S3-compatible object storage (django-storages against moto's server): the settings
from the environment, the health probe, and a backup that restores into an empty bucket."""

import json
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.ops.processes import ROOT, S3Server, environment
from tests.ops.state import file_hashes, fresh_installation, snapshot
from thidua.core import health


@pytest.fixture
def s3(tmp_path, settings):
    server = S3Server(tmp_path)
    settings.STORAGES = server.storages()
    yield server
    server.stop()


def test_the_environment_chooses_the_bucket(tmp_path):
    server_env = {"THIDUA_S3_BUCKET": "thidua", "THIDUA_S3_ENDPOINT_URL": "https://s3.tinh.gov.vn",
                  "THIDUA_S3_REGION": "hn-1", "THIDUA_S3_PREFIX": "bac-kan/"}
    code = ("import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.STORAGES['default']))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=environment(tmp_path, "sqlite:///:memory:", **server_env), check=True)
    default = json.loads(out.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert {k: default["OPTIONS"][k] for k in ("bucket_name", "endpoint_url", "region_name",
                                               "location", "file_overwrite")} == {
        "bucket_name": "thidua", "endpoint_url": "https://s3.tinh.gov.vn", "region_name": "hn-1",
        "location": "bac-kan/", "file_overwrite": False}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=environment(tmp_path, "sqlite:///:memory:"), check=True)
    assert json.loads(out.stdout)["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_the_health_probe_writes_reads_and_deletes_in_the_bucket(s3):
    report = health.check_storage()
    assert report == {"ok": True}
    assert s3.object_keys() == []


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_bucket_restores_into_an_empty_bucket(s3, committed_database, demo, tmp_path):
    names = [default_storage.save(f"dossiers/2026/tệp-{i}.pdf", ContentFile(f"%PDF-{i}".encode()))
             for i in range(3)]
    hashes, rows = file_hashes(), snapshot()
    assert sorted(hashes) == sorted(names) == s3.object_keys()
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    (tmp_path / "second").mkdir()
    empty = S3Server(tmp_path / "second", bucket="thidua-restored")
    try:
        with fresh_installation(tmp_path, storages=empty.storages()):
            call_command("restore", str(archive), verbosity=0)
            assert file_hashes() == hashes
            assert snapshot() == rows
        assert empty.object_keys() == sorted(names)
    finally:
        empty.stop()
