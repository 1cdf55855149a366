"""Background work that outlives its worker (tiến trình nền bị dừng giữa chừng).

django-tasks-db marks a task RUNNING when a worker claims it and nothing ever looks at it again:
a worker killed mid-task (power cut, out of memory, ``kill -9``, a redeploy) leaves it running
for ever. So every ``thidua worker`` reports itself in ``core.WorkerHeartbeat`` every
``THIDUA_WORKER_HEARTBEAT`` seconds (10), and every worker, at each beat, queues again the
running tasks whose worker has not reported for ``THIDUA_WORKER_LEASE`` seconds (30): a task
left by a dead worker is taken again within a lease and a beat, well under a minute, by
another worker or by the same one restarted.

A task queued again is delivered with ``attempt > 1`` (its ``worker_ids`` grow by one): the task
itself decides how to resume (``decisions.tasks`` restarts a certificate batch on the serials it
was issued with). The lease is long next to the beat so a busy worker is never taken for dead;
a worker only frozen past its lease (stopped, not killed) may find its task running twice,
which is why tasks check the state of their own row before writing.
"""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from thidua.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def heartbeat_every() -> float:
    return float(getattr(settings, "THIDUA_WORKER_HEARTBEAT", 10))


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "THIDUA_WORKER_LEASE", 30)))


def beat(worker_id: str, *, started_at, task_id: str = "") -> None:
    """Say this worker is alive (and what it is running)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now(), "task_id": task_id, "hostname": socket.gethostname(),
                  "pid": os.getpid(), "started_at": started_at})


def forget(worker_id: str) -> None:
    """A worker stopping cleanly leaves no heartbeat behind."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def alive_workers():
    return WorkerHeartbeat.objects.filter(beat_at__gte=timezone.now() - lease())


def recover_abandoned_tasks() -> list[str]:
    """Queue again every running task whose worker stopped reporting; returns their ids.

    A task is abandoned when the worker that claimed it last has no heartbeat newer than the
    lease, and the claim itself is older than the lease (a worker that has just claimed a task
    has beaten just before)."""
    cutoff = timezone.now() - lease()
    alive = set(alive_workers().values_list("worker_id", flat=True))
    recovered = []
    with transaction.atomic():
        # Skip rows another worker is recovering (or finishing) at this moment.
        running = DBTaskResult.objects.running().filter(started_at__lt=cutoff).select_for_update(
            skip_locked=True)
        for task_result in running:
            worker = task_result.worker_ids[-1] if task_result.worker_ids else None
            if worker in alive:
                continue
            DBTaskResult.objects.filter(pk=task_result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
            recovered.append(str(task_result.pk))
            logger.warning("Task %s (%s) was left running by worker %s, which stopped reporting; "
                           "queued again.", task_result.pk, task_result.task_path, worker)
        # The dead workers' rows have served their purpose.
        WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
    return recovered
