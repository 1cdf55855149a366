"""How movements, registrations and progress reports move between their states: one
:class:`~thidua.core.workflow.Workflow` each, the only way any of them changes state."""

from django.utils.translation import gettext_lazy as _

from thidua.core.workflow import Workflow
from thidua.movements.models import Movement, ProgressReport, Registration

MOVEMENT_FLOW = Workflow(
    model=Movement,
    verb_prefix="movement",
    perms={"launch": "movements.manage", "close": "movements.manage",
           "summarise": "movements.manage"},
    organisation=lambda movement: movement.issuer,
    refusals={
        "launch": _("Chỉ phát động được phong trào đang ở dạng dự thảo."),
        "close": _("Chỉ kết thúc được phong trào đã phát động."),
        "summarise": _("Chỉ tổng kết được phong trào đã kết thúc."),
    },
    stale=_("Phong trào vừa được người khác cập nhật (hiện: %(state)s); hãy tải lại trang."),
    verbs={"launch": "movement.launched", "close": "movement.closed",
           "summarise": "movement.summarised"},
    select_related=("issuer", "council_secretariat", "receiving_office"),
    state_field="status",
)

REGISTRATION_FLOW = Workflow(
    model=Registration,
    verb_prefix="registration",
    perms={"submit": "movements.approve", "accept": "movements.monitor",
           "return_registration": "movements.monitor", "accept_late": "movements.monitor"},
    organisation=lambda registration: registration.organisation,
    refusals={
        "submit": _("Bản đăng ký đã được gửi; chỉ gửi lại khi bị trả lại."),
        "accept": _("Chỉ tiếp nhận được bản đăng ký đang chờ tiếp nhận."),
        "return_registration": _("Chỉ trả lại được bản đăng ký đang chờ tiếp nhận."),
        "accept_late": _("Bản đăng ký này không cần tiếp nhận sau hạn."),
    },
    stale=_("Bản đăng ký vừa được cập nhật (hiện: %(state)s); hãy tải lại trang."),
    verbs={"submit": "registration.submitted", "accept": "registration.accepted",
           "return_registration": "registration.returned",
           "accept_late": "registration.accepted_late"},
    select_related=("movement__council_secretariat", "movement__receiving_office",
                    "organisation"),
)

REPORT_FLOW = Workflow(
    model=ProgressReport,
    verb_prefix="progress_report",
    perms={"submit": "movements.prepare", "accept": "movements.monitor",
           "return_report": "movements.monitor"},
    organisation=lambda report: report.organisation,
    refusals={
        "submit": _("Báo cáo đã được gửi; chỉ gửi lại khi bị trả lại."),
        "accept": _("Chỉ tiếp nhận được báo cáo đang chờ tiếp nhận."),
        "return_report": _("Chỉ trả lại được báo cáo đang chờ tiếp nhận."),
    },
    stale=_("Báo cáo vừa được cập nhật (hiện: %(state)s); hãy tải lại trang."),
    verbs={"submit": "progress_report.submitted", "accept": "progress_report.accepted",
           "return_report": "progress_report.returned"},
    select_related=("period__movement__council_secretariat",
                    "period__movement__receiving_office", "organisation"),
)
