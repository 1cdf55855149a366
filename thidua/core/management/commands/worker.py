"""``thidua worker``: django-tasks-db's ``db_worker`` with a heartbeat, so that the tasks of a
worker that dies are taken up again (``core.recovery``). Same options as ``db_worker``.

Run this one, not ``db_worker``, in production: a plain ``db_worker`` does not report itself,
so its long tasks would look abandoned to the others after the lease."""

import logging
import threading

from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from thidua.core import recovery

logger = logging.getLogger("thidua.worker")


class Worker(db_worker.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.current_task = ""
        self._stopped = threading.Event()

    def beat(self):
        recovery.beat(self.worker_id, started_at=self.started_at, task_id=self.current_task)

    def _keep_beating(self):
        every = recovery.heartbeat_every()
        while not self._stopped.wait(every):
            try:
                self.beat()
                recovery.recover_abandoned_tasks()
            except Exception:
                # A database that is briefly away must not kill the heartbeat for good.
                logger.exception("Worker %s could not report itself", self.worker_id)
            finally:
                connection.close()  # this thread's own connection

    def run(self):
        self.beat()
        recovery.recover_abandoned_tasks()
        beating = threading.Thread(target=self._keep_beating, name="heartbeat", daemon=True)
        beating.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            beating.join(timeout=5)
            recovery.forget(self.worker_id)

    def run_task(self, db_task_result):
        self.current_task = str(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task = ""


class Command(db_worker.Command):
    help = "Run the task worker with a heartbeat (tasks of a dead worker are taken up again)"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(queue_names=queue_names, interval=interval, batch=batch,
                        backend_name=backend_name, startup_delay=startup_delay,
                        max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=excluded)
        # No reloading: a worker restarted under a running task would look dead to the others.
        worker.configure_signals()
        worker.run()
