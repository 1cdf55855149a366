"""``/healthz``: is this installation able to work (kiểm tra tình trạng hệ thống)?

For a monitoring probe (nginx, a load balancer, Zabbix…): 200 when the database answers, the
file storage takes, gives back and deletes a probe file, and a task worker has reported within
its lease; 503 otherwise, with which check failed. The answer names no person and no document
and is never cached; it says how many workers are alive and how long ago one last reported.
"""

import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from thidua.core import recovery
from thidua.core.models import WorkerHeartbeat


def _timed(check):
    start = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # any failure is the answer, not a 500
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.monotonic() - start) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_storage() -> dict:
    probe = f"healthz/{uuid.uuid4().hex}.txt"
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(probe, ContentFile(content))
    try:
        with default_storage.open(name, "rb") as stored:
            ok = stored.read() == content
    finally:
        default_storage.delete(name)
    return {"ok": ok and not default_storage.exists(name)}


def uses_worker() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def check_worker() -> dict:
    if not uses_worker():
        return {"ok": True, "needed": False}
    alive = recovery.alive_workers().count()
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    age = None if last is None else round((timezone.now() - last).total_seconds(), 1)
    return {"ok": alive > 0, "alive": alive, "last_beat_seconds_ago": age}


CHECKS = {"database": check_database, "storage": check_storage, "worker": check_worker}


def status() -> dict:
    checks = {}
    for name, check in CHECKS.items():
        if name == "worker" and not checks["database"]["ok"]:
            # The workers report in the database: without it nothing can be said of them.
            checks[name] = {"ok": False, "error": "database"}
            continue
        checks[name] = _timed(check)
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "fail",
            "checks": checks}


@never_cache
@require_GET
def healthz(request):
    report = status()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
