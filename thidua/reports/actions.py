"""Asking for a movement's summary report as a DOCX written in the background, and asking again.

The row is written in the request's transaction; the task is queued only once that commits, so
the worker never looks for a report that is not there yet (or was rolled back).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import activity
from thidua.core.permissions import require
from thidua.movements.models import Movement
from thidua.reports import summary
from thidua.reports.flows import SUMMARY_FLOW
from thidua.reports.models import SummaryReport
from thidua.reports.tasks import write_summary_report


def _enqueue(report_id: int) -> None:
    result = write_summary_report.enqueue(report_id)
    # The immediate backend has already run the task, which may have saved this row itself.
    SummaryReport.objects.filter(pk=report_id).update(task_id=str(result.id))


@transaction.atomic
def request_summary_report(movement, *, by) -> SummaryReport:
    """Lập dự thảo báo cáo tổng kết: queue the movement's summary report. The same request while
    one is still waiting or being written returns that one instead of writing two."""
    require(by, "reports.summarise", movement)
    # The movement's row lock makes two clicks at once find each other's report.
    locked = (Movement.objects.select_for_update(of=("self",))
              .select_related("council_secretariat").get(pk=movement.pk))
    if locked.status == Movement.Status.DRAFT:
        raise ValidationError(_("Phong trào chưa được phát động: chưa có gì để tổng kết."))
    waiting = [r for r in locked.summary_reports.filter(state__in=SummaryReport.ACTIVE)
               if not r.is_stalled]
    if waiting:
        return waiting[0]
    report = SummaryReport.objects.create(movement=locked, steps_total=summary.steps(locked),
                                          requested_by=by, queued_at=timezone.now())
    activity.record("summary_report.requested", actor=by, target=locked,
                    organisation=locked.council_secretariat, after={"report": report.pk})
    transaction.on_commit(partial(_enqueue, report.pk))
    return report


@transaction.atomic
def retry_summary_report(report, *, by) -> SummaryReport:
    """Thử lại: write a failed (or stalled) report again. What counts is that it has failed or
    stalled now, which the transition's condition checks on the locked row."""
    locked = SUMMARY_FLOW.move(report, "retry", by=by, seen={},
                               after=lambda saved: {"report": saved.pk})
    transaction.on_commit(partial(_enqueue, locked.pk))
    return locked
