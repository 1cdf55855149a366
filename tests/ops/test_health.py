"""/healthz: the database, the file storage and the task workers' heartbeat, for monitoring."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.utils import timezone

from thidua.core import health
from thidua.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def beat(worker_id="w1", seconds_ago=0):
    when = timezone.now() - timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="app1", pid=42,
                                          started_at=when, beat_at=when)


def healthz(client=None):
    response = (client or Client()).get("/healthz")
    return response, json.loads(response.content)


def test_all_well_with_a_live_worker(settings, tmp_path):
    beat(seconds_ago=3)
    response, report = healthz()
    assert response.status_code == 200
    assert report["status"] == "ok"
    assert {name: check["ok"] for name, check in report["checks"].items()} == {
        "database": True, "storage": True, "worker": True}
    assert report["checks"]["worker"]["alive"] == 1
    assert 2 <= report["checks"]["worker"]["last_beat_seconds_ago"] < 10
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response["Content-Type"] == "application/json"
    # The storage probe leaves nothing behind.
    assert not (settings.MEDIA_ROOT / "healthz").exists() or not any(
        (settings.MEDIA_ROOT / "healthz").iterdir())


def test_no_worker_or_a_silent_one_is_a_503():
    response, report = healthz()
    assert response.status_code == 503
    assert report["status"] == "fail"
    assert report["checks"]["worker"] == {"ok": False, "alive": 0, "last_beat_seconds_ago": None,
                                          "ms": report["checks"]["worker"]["ms"]}
    assert report["checks"]["database"]["ok"] and report["checks"]["storage"]["ok"]
    beat(seconds_ago=31)  # past the 30-second lease
    response, report = healthz()
    assert response.status_code == 503
    assert report["checks"]["worker"]["alive"] == 0
    assert report["checks"]["worker"]["last_beat_seconds_ago"] >= 31


def test_without_a_worker_queue_no_worker_is_needed(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response, report = healthz()
    assert response.status_code == 200
    assert report["checks"]["worker"]["needed"] is False


def test_a_storage_that_refuses_writes_is_a_503(monkeypatch):
    beat()

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(default_storage, "save", refuse)
    response, report = healthz()
    assert response.status_code == 503
    assert report["checks"]["storage"]["ok"] is False
    assert report["checks"]["storage"]["error"] == "PermissionError"
    assert "read-only" not in response.content.decode()  # the type only, never the message


def test_a_database_that_does_not_answer_is_a_503(monkeypatch):
    def broken_cursor(*args, **kwargs):
        from django.db import OperationalError
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    report = health.status()
    assert report["status"] == "fail"
    assert report["checks"]["database"]["ok"] is False
    assert report["checks"]["database"]["error"] == "OperationalError"
    assert report["checks"]["worker"] == {"ok": False, "error": "database"}


def test_the_report_names_no_person_and_no_machine(personas, client_for):
    beat()
    response, report = healthz(client_for(personas.hanh))

    def strings(value):
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        return [value] if isinstance(value, str) else []

    assert strings(report) == ["ok"]  # numbers and flags only, besides the verdict
    assert set(report["checks"]["worker"]) == {"ok", "alive", "last_beat_seconds_ago", "ms"}


def test_only_get(client_for, personas):
    assert Client().post("/healthz").status_code == 405
