"""A movement's summary report (báo cáo tổng kết) written by the task worker: the row says who
asked, how far the worker got and where the DOCX is, so the page polls it, never the queue."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.movements.models import Movement

# Nothing takes that long (a report is written in seconds): the worker was stopped.
STALLED_AFTER = timedelta(minutes=15)


def _failed_or_stalled(report) -> bool:
    return report.state == SummaryReport.State.FAILED or report.is_stalled


class SummaryReport(ConcurrentTransitionMixin, models.Model):
    """One draft of a movement's summary report (bản dự thảo báo cáo tổng kết), as a DOCX with
    the figures, tables and charts filled in and the narrative left for the office to write.

    queued → running → done | failed; a failed or stalled one is queued again ("Thử lại").
    Moved only by :data:`thidua.reports.flows.SUMMARY_FLOW`."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Bị lỗi")

    ACTIVE = (State.QUEUED, State.RUNNING)

    movement = models.ForeignKey(Movement, verbose_name=_("Phong trào"), on_delete=models.CASCADE,
                                 related_name="summary_reports")
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.QUEUED,
                     protected=True)
    steps_total = models.PositiveIntegerField(_("Tổng số bước"), default=0)
    steps_done = models.PositiveIntegerField(_("Số bước đã xong"), default=0)
    file = models.FileField(_("Tệp DOCX"), upload_to="reports/summaries/", blank=True)
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
        ordering = ["-created_at", "-pk"]
        verbose_name = _("báo cáo tổng kết phong trào")
        verbose_name_plural = _("báo cáo tổng kết phong trào")
        indexes = [models.Index(fields=["movement", "state"])]

    def __str__(self):
        return _("Báo cáo tổng kết #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("reports:summary", args=[self.movement.slug, self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, self.steps_done * 100 // self.steps_total) if self.steps_total else 0

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        """Running (since its last step) or waiting far longer than any report takes: the worker
        was stopped. Such a report may be retried like a failed one."""
        since = {self.State.RUNNING: self.progressed_at or self.started_at,
                 self.State.QUEUED: self.queued_at or self.created_at}.get(self.state)
        return since is not None and timezone.now() - since > STALLED_AFTER

    @transition(field=state, source=State.QUEUED, target=State.RUNNING)
    def start(self):
        """The worker took the report (a second delivery of its task finds it taken)."""
        self.started_at = timezone.now()
        self.finished_at = self.progressed_at = None
        self.steps_done = 0
        self.error = ""

    @transition(field=state, source=State.RUNNING, target=State.RUNNING)
    def restart(self):
        """The worker writing it died; its task, taken up again (core.recovery), starts over."""
        self.started_at = timezone.now()
        self.progressed_at = None
        self.steps_done = 0

    @transition(field=state, source=State.RUNNING, target=State.DONE)
    def finish(self):
        """The whole DOCX exists and is stored."""
        self.finished_at = timezone.now()

    @transition(field=state, source=State.RUNNING, target=State.FAILED)
    def fail(self):
        """Writing raised; no file is kept."""
        self.file = ""
        self.finished_at = timezone.now()

    @transition(field=state, source=[State.FAILED, State.RUNNING, State.QUEUED],
                target=State.QUEUED, conditions=[_failed_or_stalled])
    def retry(self):
        """Thử lại: a failed report, or one left by a stopped worker, is queued again."""
        self.steps_done = 0
        self.error = ""
        self.started_at = self.finished_at = self.progressed_at = None
        self.queued_at = timezone.now()
