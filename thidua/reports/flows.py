"""The summary report's workflow: the worker starts, finishes and fails it for the person who
asked for it; that person (or a colleague of the secretariat) retries it."""

from django.utils.translation import gettext_lazy as _

from thidua.core.workflow import Workflow
from thidua.reports.models import SummaryReport

SUMMARY_FLOW = Workflow(
    model=SummaryReport,
    verb_prefix="summary_report",
    perms={"retry": "reports.summarise"},
    # Logged with the secretariat that drafts it, so its own people read the log.
    organisation=lambda report: report.movement.council_secretariat,
    perm_target=lambda report: report.movement,
    refusals={"retry": _("Chỉ lập lại được báo cáo bị lỗi hoặc bị dừng giữa chừng.")},
    verbs={"start": "summary_report.started", "restart": "summary_report.restarted",
           "finish": "summary_report.written", "fail": "summary_report.failed",
           "retry": "summary_report.retried"},
    select_related=("movement__council_secretariat", "movement__issuer"),
)
