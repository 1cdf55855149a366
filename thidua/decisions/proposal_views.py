"""Pages of proposals upward (tờ trình đề nghị cấp trên khen thưởng)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.feedback import perform
from thidua.decisions import limits, packages, proposals, queries
from thidua.decisions.access import get_drafting_movement_for, get_proposal_for
from thidua.decisions.documents import plan_grounds
from thidua.decisions.forms import (
    HigherDecisionForm,
    ProposalForm,
    ProposalResendForm,
    ProposalReturnForm,
)
from thidua.decisions.models import Proposal
from thidua.decisions.rules import proposal_abilities
from thidua.documents.views import package_download
from thidua.movements.models import Movement


def default_grounds(movement) -> str:
    return plan_grounds(movement, "Xét đề nghị của Hội đồng Thi đua - Khen thưởng.",
                        law="Căn cứ Luật Thi đua, Khen thưởng;")


@login_required
def proposal_list(request):
    items = Proposal.objects.visible_to(request.user).select_related("award_form", "proposer")
    movements = [m for m in Movement.objects.filter(status=Movement.Status.PUBLISHED)
                 if request.user.has_perm("decisions.draft", m)]
    return render(request, "decisions/proposal_list.html", {"proposals": items,
                                                            "movements": movements})


@login_required
def proposal_create(request, slug):
    movement = get_drafting_movement_for(request.user, slug)
    candidates = queries.eligible_for_proposal(movement)
    first = candidates.first()
    initial = {"dated_on": timezone.localdate(), "grounds": default_grounds(movement),
               "recipient": proposals.default_recipient(movement),
               # The form the council proposed people for, not the first of the list.
               "award_form": first.dossier.award_form_id if first else None}
    form = ProposalForm(request.POST or None, movement=movement, candidates=candidates,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        done = perform(request, proposals.draft_proposal, movement=movement, by=request.user,
                       success=_("Đã lập dự thảo tờ trình."), **form.cleaned_data)
        if done:
            return redirect(done.value)
    return render(request, "decisions/proposal_form.html", {"form": form, "movement": movement})


@login_required
def proposal_detail(request, pk):
    proposal = get_proposal_for(request.user, pk)
    return render(request, "decisions/proposal_detail.html", _detail(request, proposal))


def _detail(request, proposal, decision_form=None) -> dict:
    return {
        "proposal": proposal,
        "items": proposal.items.select_related("nominee__dossier__organisation"),
        "attachments": proposal.attachments.all(),
        "can": proposal_abilities(request.user, proposal),
        "description_limit": limits.DESCRIPTION,
        "return_form": ProposalReturnForm(), "resend_form": ProposalResendForm(),
        "decision_form": decision_form or HigherDecisionForm(proposal=proposal, initial={
            "issuer_name": proposal.recipient,
            "awarded": [str(i.pk) for i in proposal.items.all()]}),
    }


def _seen(request) -> str:
    # The state the page showed: an action from a stale page (or a form without it) is
    # refused, not misapplied.
    return request.POST.get("state", "")


@login_required
@require_POST
def proposal_send(request, pk):
    proposal = get_proposal_for(request.user, pk)
    form = ProposalResendForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    perform(request, proposals.send_proposal, proposal, by=request.user, note=note,
            expected_state=_seen(request), success=_("Đã ghi nhận gửi tờ trình lên cấp trên."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_return(request, pk):
    proposal = get_proposal_for(request.user, pk)
    form = ProposalReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    perform(request, proposals.record_return, proposal, reason=reason,
            by=request.user, expected_state=_seen(request),
            success=_("Đã ghi nhận cấp trên trả lại tờ trình để bổ sung."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_decided(request, pk):
    proposal = get_proposal_for(request.user, pk)
    form = HigherDecisionForm(request.POST, proposal=proposal)
    if not form.is_valid() and proposal_abilities(request.user, proposal).manage:
        return render(request, "decisions/proposal_detail.html",
                      _detail(request, proposal, decision_form=form), status=400)
    data = form.cleaned_data if form.is_valid() else {
        "number": "", "decided_on": proposal.dated_on, "issuer_name": "", "awarded": [],
        "awarded_form": ""}
    perform(request, proposals.record_higher_decision, proposal, expected_state=_seen(request),
            number=data["number"], decided_on=data["decided_on"],
            issuer_name=data["issuer_name"], awarded=data["awarded"],
            awarded_form=data["awarded_form"], by=request.user,
            success=_("Đã ghi nhận quyết định của cấp trên; sổ khen thưởng đã được cập nhật."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_delete(request, pk):
    proposal = get_proposal_for(request.user, pk)
    if perform(request, proposals.delete_proposal_draft, proposal, by=request.user,
               success=_("Đã xóa dự thảo tờ trình.")):
        return redirect("proposals:list")
    return redirect(proposal)


@login_required
@require_POST
def proposal_supplement(request, pk):
    proposal = get_proposal_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp tài liệu bổ sung."))
    else:
        perform(request, proposals.attach_supplement, proposal,
                description=request.POST.get("description", ""), uploaded_file=upload,
                by=request.user, success=_("Đã thêm tài liệu bổ sung; tài liệu sẽ được gửi kèm "
                                           "tờ trình lần sau."))
    return redirect(proposal)


@login_required
def proposal_supplement_file(request, pk, attachment):
    proposal = get_proposal_for(request.user, pk)
    # Supplements may hold any unit's people, like the package: the secretariat's only.
    if not proposal_abilities(request.user, proposal).manage:
        raise Http404
    item = get_object_or_404(proposal.attachments, pk=attachment)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)


@login_required
def proposal_package(request, pk):
    """Hồ sơ trình cấp trên: the proposal, its signed scan, every dossier on it, a manifest; a
    large one is made by the worker (``documents.views.package_download``).

    Only the secretariat that sends it (``packages.get_proposal_package_for``)."""
    proposal = packages.get_proposal_package_for(request.user, pk)
    return package_download(request, "upward_proposal", proposal)
