"""Background work of the reports app, run by ``thidua db_worker``: writing a movement's summary
report, rendered as its document kind (:mod:`thidua.reports.documents`: the issuing body's
replacement template, else the built-in one). The task takes the id of the row that says what to
do and records its progress there; the page polls the row, never the queue."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.core.jobs import Finished, run_job
from thidua.reports import documents, summary
from thidua.reports.flows import SUMMARY_FLOW

# Stored untranslated and translated when shown, so each reader sees their own language.
WRITE_FAILED = gettext_noop("Không lập được báo cáo tổng kết. Hãy bấm “Thử lại”; nếu vẫn lỗi, "
                            "hãy báo quản trị hệ thống kèm số báo cáo.")


def _failure(exc: Exception) -> str:
    # A replacement template the report does not fit says why (the field it lacks or misspells),
    # so the office can ask the administrator to correct it; anything else, the general words.
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else WRITE_FAILED


@task(takes_context=True)
def write_summary_report(context, report_id: int) -> int:
    """Write the report's DOCX; returns the number of steps done. A second attempt of the same
    task means its first worker died (only ``core.recovery`` delivers a task again): the report
    it left running is written again from the start."""
    return run_summary_report(report_id, redelivered=context.attempt > 1)


def run_summary_report(report_id: int, *, redelivered: bool = False) -> int:
    return run_job(SUMMARY_FLOW, report_id, redelivered=redelivered, work=_write,
                   failure=_failure,
                   select_related=("movement__issuer", "movement__council_secretariat"))


def _write(report, rows) -> Finished:
    def step():
        rows.update(steps_done=F("steps_done") + 1, progressed_at=timezone.now())

    if report.requested_by is None:
        raise ValueError("the person who asked for the report no longer exists")
    movement = report.movement
    rows.update(steps_total=summary.steps(movement))
    content = summary.gather(movement, report.requested_by, progress=step)
    data = documents.render(content, progress=step)
    total = rows.values_list("steps_total", flat=True).get()
    return Finished(f"bao-cao-tong-ket-{movement.slug}-{report.pk}.docx", data, result=total,
                    fields={"steps_done": total})
