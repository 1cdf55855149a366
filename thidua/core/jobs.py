"""Background jobs (việc chạy nền): a row the task worker moves queued → running → done | failed
and writes its progress on, so the page polls the row, never the task queue.

:class:`BackgroundJob` holds what every such row shares (state, timestamps, error, task id, who
asked, the five transitions); :func:`run_job` the shape of every task that does one: take the
row under the lock, do the work, store the file only once it is whole, or fail with a message.
Each job's :class:`~thidua.core.workflow.Workflow` (in its app's ``flows.py``) is the only way it
moves.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

logger = logging.getLogger(__name__)

# Nothing a job does takes that long (a thousand certificates, a report, a long document are
# done in seconds to a minute): a job not advancing for this long was left by a stopped worker,
# or none is running, and may be retried.
STALLED_AFTER = timedelta(minutes=15)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def job_states(running: Any) -> type[models.TextChoices]:
    """A job's states; only what "running" is called differs (đang in, đang lập, đang tạo)."""
    return models.TextChoices("State", [
        ("QUEUED", (QUEUED, _("Đang chờ"))), ("RUNNING", (RUNNING, running)),
        ("DONE", (DONE, _("Đã xong"))), ("FAILED", (FAILED, _("Bị lỗi")))])


def _failed_or_stalled(job) -> bool:
    return job.state == FAILED or job.is_stalled


class BackgroundJob(ConcurrentTransitionMixin, models.Model):
    """What every background job row shares. A concrete job names its own ``State`` (made by
    :func:`job_states`), its ``file`` field, and in ``progress_fields`` the counters its worker
    advances (reset whenever the job starts over); ``total_field``, if any, is what they count
    towards, for :attr:`percent`."""

    State = job_states(_("Đang chạy"))
    ACTIVE = (QUEUED, RUNNING)
    progress_fields: tuple[str, ...] = ()
    total_field = ""

    # Declared here, not per model: django-fsm finds the transitions below on every model by
    # this one field. Each model's own labels are put on its copy (see _own_state_labels).
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=QUEUED,
                     protected=True)
    error = models.TextField(_("Lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progressed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        done, total = getattr(self, self.progress_fields[0]), getattr(self, self.total_field)
        return min(100, done * 100 // total) if total else 0

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        """Running (counted from its last progress: a long job that still advances is not
        stalled) or waiting far longer than any job takes: the worker was stopped, the task
        never reached the queue, or no worker runs. Such a job may be retried like a failed
        one, and a new request does not wait for it."""
        since = {RUNNING: self.progressed_at or self.started_at,
                 QUEUED: self.queued_at or self.created_at}.get(self.state)
        return since is not None and timezone.now() - since > STALLED_AFTER

    def _start_over(self):
        for name in self.progress_fields:
            setattr(self, name, 0)
        self.progressed_at = None

    @transition(field=state, source=QUEUED, target=RUNNING)
    def start(self):
        """The worker took the job (a second delivery of its task finds it taken)."""
        self._start_over()
        self.started_at = timezone.now()
        self.finished_at = None
        self.error = ""

    @transition(field=state, source=RUNNING, target=RUNNING)
    def restart(self):
        """The worker doing it died; its task, taken up again by a live worker (core.recovery),
        does it again from the start."""
        self._start_over()
        self.started_at = timezone.now()

    @transition(field=state, source=RUNNING, target=DONE)
    def finish(self):
        """The whole file exists and is stored."""
        self.finished_at = timezone.now()

    @transition(field=state, source=RUNNING, target=FAILED)
    def fail(self):
        """The work raised; no file is kept."""
        self.file = ""
        self.finished_at = timezone.now()

    @transition(field=state, source=[FAILED, RUNNING, QUEUED], target=QUEUED,
                conditions=[_failed_or_stalled])
    def retry(self):
        """Thử lại: a failed job, or one left by a stopped worker, is queued again as it was
        asked for."""
        self._start_over()
        self.error = ""
        self.started_at = self.finished_at = None
        self.queued_at = timezone.now()


@receiver(class_prepared)
def _own_state_labels(sender, **kwargs):
    # Every job's state field is a copy of the base's; its labels are the model's own State.
    if issubclass(sender, BackgroundJob) and not sender._meta.abstract:
        sender._meta.get_field("state").choices = sender.State.choices


@dataclass(frozen=True)
class Finished:
    """What a job's work made: the file to store (bytes, or a file written on disk for what
    should not be held in memory whole), the fields written with ``finish`` and what the task
    returns."""

    name: str
    data: bytes | File
    result: int
    fields: dict[str, Any] = field(default_factory=dict)


def move(flow, job, transition_name: str, **fields) -> bool:
    """Move the job for the person who asked for it; False when it is no longer where this run
    left it (taken by another delivery of the task, or retried after it looked stalled)."""

    def prepare(locked):
        for name, value in fields.items():
            setattr(locked, name, value)

    try:
        # The cause names the queue's task, whose record keeps any traceback.
        flow.follow(job, transition_name, by=job.requested_by, cause=f"task {job.task_id}",
                    prepare=prepare)
    except ValidationError:
        logger.warning("%s %s could not %s from %s; left alone.", flow.model.__name__, job.pk,
                       transition_name, flow.model.objects.get(pk=job.pk).state)
        return False
    return True


def run_job(flow, job_id: int, *, redelivered: bool, work: Callable[[Any, Any], Finished],
            failure: Callable[[Exception], str] | str, select_related: tuple[str, ...] = (),
            after: Callable[[Any, Finished], None] | None = None) -> int:
    """Do the job ``job_id`` of ``flow``'s model: ``work(job, rows)`` (``rows`` the job's own
    queryset, to write progress on) returns what it made; ``failure`` is the message stored when
    it raises (or makes it from the exception); ``after`` runs once the job is done. Returns the
    work's result, 0 when the job was not this run's to do."""
    model = flow.model
    job = model.objects.select_related(*select_related, "requested_by").filter(pk=job_id).first()
    # A task delivered twice, or a job already finished, finds the state moved on and is left
    # alone instead of being done again over a good file. Taken up again after its worker died,
    # it finds the job still running: done again from the start.
    restart = redelivered and job is not None and job.state == RUNNING
    if job is None or not move(flow, job, "restart" if restart else "start"):
        return 0
    try:
        # No transaction around the work: each progress update commits at once, so the polling
        # page sees it while the rest is still being done.
        finished = work(job, model.objects.filter(pk=job_id))
        # The file is written only once it is whole, so a failure leaves no half file.
        try:
            job.file.save(finished.name, finished.data if isinstance(finished.data, File)
                          else ContentFile(finished.data), save=False)
        finally:
            if isinstance(finished.data, File):
                finished.data.close()  # a package's temporary file: gone once stored
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, job_id)
        if job.file:
            job.file.delete(save=False)
        move(flow, job, "fail", error=failure(exc) if callable(failure) else failure)
        # Raised again so the queue records the traceback for the administrator too.
        raise
    if not move(flow, job, "finish", file=job.file.name, **finished.fields):
        job.file.delete(save=False)
        return 0
    if after is not None:
        after(job, finished)
    return finished.result
