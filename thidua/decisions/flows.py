"""How decisions, proposals upward and certificate print runs move between their states: one
:class:`~thidua.core.workflow.Workflow` each, the only way any of them changes state."""

from django.utils.translation import gettext_lazy as _

from thidua.core.workflow import Workflow
from thidua.decisions.models import CertificateBatch, Decision, Proposal

ISSUED_ALREADY = _("Quyết định đã được ban hành; không ban hành lại.")

DECISION_FLOW = Workflow(
    model=Decision,
    verb_prefix="decision",
    perms={"issue": "decisions.issue"},
    organisation=lambda decision: decision.issuer,
    # A decision has one move: whoever finds it moved or not movable finds it issued.
    refused=ISSUED_ALREADY,
    stale=ISSUED_ALREADY,
    verbs={"issue": "decision.issued"},
    select_related=("issuer", "award_form", "movement"),
)

PROPOSAL_FLOW = Workflow(
    model=Proposal,
    verb_prefix="proposal",
    perms={"send": "decisions.draft", "return_for_supplement": "decisions.draft",
           "decide": "decisions.draft"},
    organisation=lambda proposal: proposal.proposer,
    perm_target=lambda proposal: proposal.movement,
    refusals={
        "send": _("Tờ trình đã được gửi; không gửi lại khi cấp trên chưa trả lại."),
        "return_for_supplement": _("Chỉ ghi nhận trả lại đối với tờ trình đang chờ cấp trên "
                                   "quyết định."),
        "decide": _("Chỉ ghi nhận quyết định của cấp trên cho tờ trình đang chờ quyết định."),
    },
    stale=_("Tờ trình vừa được cập nhật (hiện: %(state)s); hãy tải lại trang rồi thao tác lại."),
    verbs={"send": "proposal.sent", "return_for_supplement": "proposal.returned",
           "decide": "proposal.decided"},
    select_related=("movement", "proposer", "award_form"),
)

# The worker starts, finishes and fails a batch for the person who asked for it; that person
# (or a colleague) retries it.
BATCH_FLOW = Workflow(
    model=CertificateBatch,
    verb_prefix="certificates",
    perms={"retry": "decisions.manage"},
    organisation=lambda batch: batch.decision.issuer,
    perm_target=lambda batch: batch.decision,
    refusals={"retry": _("Chỉ in lại được lượt in bị lỗi hoặc bị dừng giữa chừng.")},
    verbs={"start": "certificates.started", "restart": "certificates.restarted",
           "finish": "certificates.printed",
           "fail": "certificates.failed", "retry": "certificates.retried"},
    select_related=("decision__issuer", "decision__movement"),
)
