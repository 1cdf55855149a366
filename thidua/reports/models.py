"""A movement's summary report (báo cáo tổng kết) written by the task worker: the row says who
asked, how far the worker got and where the DOCX is, so the page polls it, never the queue."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thidua.core.jobs import BackgroundJob, job_states
from thidua.movements.models import Movement


class SummaryReport(BackgroundJob):
    """One draft of a movement's summary report (bản dự thảo báo cáo tổng kết), as a DOCX with
    the figures, tables and charts filled in and the narrative left for the office to write.

    queued → running → done | failed; a failed or stalled one is queued again ("Thử lại").
    Moved only by :data:`thidua.reports.flows.SUMMARY_FLOW`."""

    State = job_states(_("Đang lập"))
    progress_fields = ("steps_done",)
    total_field = "steps_total"

    movement = models.ForeignKey(Movement, verbose_name=_("Phong trào"), on_delete=models.CASCADE,
                                 related_name="summary_reports")
    steps_total = models.PositiveIntegerField(_("Tổng số bước"), default=0)
    steps_done = models.PositiveIntegerField(_("Số bước đã xong"), default=0)
    file = models.FileField(_("Tệp DOCX"), upload_to="reports/summaries/", blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("báo cáo tổng kết phong trào")
        verbose_name_plural = _("báo cáo tổng kết phong trào")
        indexes = [models.Index(fields=["movement", "state"])]

    def __str__(self):
        return _("Báo cáo tổng kết #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("reports:summary", args=[self.movement.slug, self.pk])
