"""Background work of the reports app, run by ``thidua db_worker``: writing a movement's summary
report. The task takes the id of the row that says what to do and records its progress there;
the page polls the row, never the queue."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.reports import summary, summary_docx
from thidua.reports.flows import SUMMARY_FLOW
from thidua.reports.models import SummaryReport

logger = logging.getLogger(__name__)

# Stored untranslated and translated when shown, so each reader sees their own language.
WRITE_FAILED = gettext_noop("Không lập được báo cáo tổng kết. Hãy bấm “Thử lại”; nếu vẫn lỗi, "
                            "hãy báo quản trị hệ thống kèm số báo cáo.")


@task(takes_context=True)
def write_summary_report(context, report_id: int) -> int:
    """Write the report's DOCX; returns the number of steps done. A second attempt of the same
    task means its first worker died (only ``core.recovery`` delivers a task again): the report
    it left running is written again from the start."""
    return run_summary_report(report_id, redelivered=context.attempt > 1)


def _move(report, transition: str, **fields) -> bool:
    """Move the report for the person who asked for it; False when it is no longer where this
    run left it (taken by another delivery of the task, or retried after it looked stalled)."""

    def prepare(locked):
        for name, value in fields.items():
            setattr(locked, name, value)

    try:
        SUMMARY_FLOW.follow(report, transition, by=report.requested_by,
                            cause=f"task {report.task_id}", prepare=prepare)
    except ValidationError:
        logger.warning("Summary report %s could not %s from %s; left alone.", report.pk,
                       transition, SummaryReport.objects.get(pk=report.pk).state)
        return False
    return True


def run_summary_report(report_id: int, *, redelivered: bool = False) -> int:
    report = SummaryReport.objects.select_related(
        "movement__issuer", "movement__council_secretariat", "requested_by").filter(
        pk=report_id).first()
    # A task delivered twice, or a report already written, finds the state moved on and is left
    # alone instead of being written again over a good file.
    restart = redelivered and report is not None and report.state == SummaryReport.State.RUNNING
    if report is None or not _move(report, "restart" if restart else "start"):
        return 0
    rows = SummaryReport.objects.filter(pk=report_id)

    def step():
        # Each step commits at once (no transaction around the work): the page sees it.
        rows.update(steps_done=F("steps_done") + 1, progressed_at=timezone.now())

    movement = report.movement
    try:
        if report.requested_by is None:
            raise ValueError("the person who asked for the report no longer exists")
        rows.update(steps_total=summary.steps(movement))
        content = summary.gather(movement, report.requested_by, progress=step)
        data = summary_docx.write(movement, content, progress=step)
        # The file is written only once the whole DOCX exists, so a failure leaves no half file.
        report.file.save(f"bao-cao-tong-ket-{movement.slug}-{report.pk}.docx", ContentFile(data),
                         save=False)
    except Exception:
        logger.exception("Summary report %s failed", report_id)
        if report.file:
            report.file.delete(save=False)
        _move(report, "fail", error=WRITE_FAILED)
        # Raised again so the queue records the traceback for the administrator too.
        raise
    total = rows.values_list("steps_total", flat=True).get()
    if not _move(report, "finish", file=report.file.name, steps_done=total):
        report.file.delete(save=False)
        return 0
    return total
