"""Proposals upward (tờ trình đề nghị cấp trên khen thưởng): drafting one from the council's
results, sending it, recording a return for supplement, and recording the higher decision —
which fills the award register and settles each nominee's outcome."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import activity
from thidua.core.notify import notify
from thidua.core.numbers import number_key
from thidua.core.permissions import require
from thidua.core.text import nfc, nfc_lines
from thidua.core.uploads import check_upload, kept_only_if_saved, server_file_name
from thidua.decisions import limits
from thidua.decisions.actions import (
    check_signing_day,
    check_symbol,
    lock_dossiers,
    require_chairman,
    take_nominees,
)
from thidua.decisions.flows import PROPOSAL_FLOW
from thidua.decisions.limits import bounded
from thidua.decisions.models import Decision, Proposal, ProposalAttachment, ProposalItem
from thidua.decisions.queries import council_day, eligible_for_proposal
from thidua.documents.models import SignedCopy
from thidua.nominations.models import AwardRecord, Dossier
from thidua.orgs.models import Membership, Role


def default_recipient(movement) -> str:
    """The chairman of the body above the city: "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn"."""
    parent = movement.issuer.parent
    # Printed on the Vietnamese document whatever the page's language: not translated.
    return f"Chủ tịch {parent.name}" if parent else ""


def _lock(proposal) -> Proposal:
    return PROPOSAL_FLOW.lock(proposal, seen={})


@transaction.atomic
def draft_proposal(*, movement, award_form, nominees, number, dated_on, signer, grounds,
                   recipient="", place="", series="TTr-UBND",
                   signer_capacity=Decision.Capacity.ON_BEHALF, by) -> Proposal:
    """Dự thảo tờ trình with its list, from those the council proposed upward."""
    require(by, "decisions.draft", movement)
    issuer = movement.issuer
    if award_form.decided_locally:
        raise ValidationError(_("“%(form)s” thuộc thẩm quyền của Chủ tịch: hãy lập quyết định, "
                                "không lập tờ trình.") % {"form": award_form.name})
    nominees = take_nominees(
        nominees, eligible_for_proposal(movement, award_form),
        empty=_("Danh sách đề nghị chưa có ai."),
        outside=_("Không đưa được vào tờ trình: %(names)s (chưa được Hội đồng đề nghị cấp trên "
                  "khen thưởng hình thức này, hoặc đã có trong tờ trình khác)."))
    require_chairman(signer, issuer)
    if not 0 < number <= 999_999:
        raise ValidationError(_("Số tờ trình không hợp lệ."))
    series = check_symbol(series)
    _check_number_free(issuer, series, dated_on.year, number)
    check_signing_day(dated_on, movement=movement, meeting_day=council_day(nominees))
    recipient = bounded(nfc(recipient) or default_recipient(movement), limits.RECIPIENT,
                        _("Kính gửi"))
    if not recipient:
        raise ValidationError(_("Hãy ghi nơi nhận tờ trình (Kính gửi)."))
    proposal = Proposal.objects.create(
        movement=movement, proposer=issuer, award_form=award_form, recipient=recipient,
        number=number, series=series, year=dated_on.year, dated_on=dated_on,
        place=bounded(nfc(place) or movement.place, limits.PLACE, _("Địa danh")), signer=signer,
        signer_capacity=signer_capacity,
        grounds=bounded(nfc_lines(grounds), limits.GROUNDS, _("Căn cứ")), created_by=by)
    ProposalItem.objects.bulk_create([
        ProposalItem(proposal=proposal, nominee=n, kind=n.kind, name=n.full_name,
                     position=n.position, unit_name=n.unit_name or n.dossier.organisation.name,
                     achievements=n.achievement_summary or n.citation, order=i)
        for i, n in enumerate(nominees, start=1)
    ])
    activity.record("proposal.drafted", actor=by, target=proposal, organisation=issuer,
                    after={"number": proposal.number_label, "items": len(nominees)})
    return proposal


def _check_number_free(issuer, series, year, number, exclude=None):
    # Compared by key: "TTr-UBND" and "ttr-ubnd" are one series.
    taken = Proposal.objects.filter(proposer=issuer, series_key=number_key(series), year=year,
                                    number=number).exclude(state=Proposal.State.DRAFT)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if (other := taken.first()) is not None:
        raise ValidationError(_("Số %(number)s/%(series)s năm %(year)s đã được dùng cho tờ trình "
                                "khác.") % {"number": number, "series": other.series,
                                            "year": year})


def send_proposal(proposal, *, by, note="", expected_state=None) -> Proposal:
    """Gửi cấp trên: the signed proposal and its dossiers leave the city (again, after a
    return, with ``note`` saying what was supplemented). ``expected_state`` is the state the
    page showed: an act from a stale page is refused rather than applied to a proposal that has
    moved on."""
    note = bounded(nfc_lines(note), limits.REASON, _("Đã bổ sung những gì"))

    def prepare(locked):
        lock_dossiers(Dossier.objects.filter(nominees__proposal_item__proposal=locked.pk))
        withdrawn = list(locked.items.filter(nominee__dossier__state=Dossier.State.WITHDRAWN)
                         .values_list("name", flat=True))
        if withdrawn:
            raise ValidationError(_("Hồ sơ của %(names)s đã rút; hãy lập lại tờ trình.")
                                  % {"names": ", ".join(withdrawn)})
        _check_number_free(locked.proposer, locked.series, locked.year, locked.number,
                           exclude=locked)
        locked.sent_at = timezone.now()
        locked.times_sent += 1

    return PROPOSAL_FLOW.move(
        proposal, "send", by=by, seen={"state": expected_state}, prepare=prepare,
        reason=note, after=lambda saved: {"times": saved.times_sent},
        conflict=_("Số %(number)s năm %(year)s đã được dùng cho tờ trình khác.")
        % {"number": proposal.number_label, "year": proposal.year})


@transaction.atomic
def record_return(proposal, *, reason, by, expected_state=None) -> Proposal:
    """Cấp trên trả lại để bổ sung: keep what the higher body asked for, tell the secretariat
    and the units whose people are on the list."""
    reason = bounded(nfc_lines(reason), limits.REASON, _("Nội dung cấp trên yêu cầu bổ sung"))

    def prepare(locked):
        if not reason:
            raise ValidationError(_("Hãy ghi nội dung cấp trên yêu cầu bổ sung."))
        locked.return_reason = reason
        locked.returned_at = timezone.now()

    locked = PROPOSAL_FLOW.move(proposal, "return_for_supplement", by=by,
                                seen={"state": expected_state}, prepare=prepare, reason=reason)
    _tell_units(locked, _("Cấp trên trả lại %(proposal)s để bổ sung: %(reason)s")
                % {"proposal": locked, "reason": reason})
    return locked


@transaction.atomic
def record_higher_decision(proposal, *, number, decided_on, issuer_name, awarded, awarded_form="",
                           by, expected_state=None) -> Proposal:
    """Ghi nhận quyết định của cấp trên: its number and date, and for each item on the list
    whether it was awarded (``awarded``: the items' pks) and with which form. Fills the award
    register for those awarded; the rest are recorded as not awarded."""
    number = bounded(nfc(number), limits.HIGHER_NUMBER, _("Số quyết định"))
    issuer_name = bounded(nfc(issuer_name), limits.ISSUER_NAME, _("Người, cơ quan quyết định"))
    form_name = bounded(nfc(awarded_form), limits.NAME, _("Hình thức được khen"))
    awarded = {int(pk) for pk in awarded}
    items = []

    def prepare(locked):
        if not number:
            raise ValidationError(_("Hãy ghi số quyết định của cấp trên."))
        if not issuer_name:
            raise ValidationError(_("Hãy ghi cơ quan, người có thẩm quyền đã quyết định."))
        if decided_on < locked.dated_on:
            raise ValidationError(_("Ngày quyết định của cấp trên không thể trước ngày tờ trình "
                                    "(%(date)s).") % {"date": locked.dated_on.strftime("%d/%m/%Y")})
        if decided_on > timezone.localdate():
            raise ValidationError(_("Ngày quyết định của cấp trên không thể là ngày trong tương "
                                    "lai."))
        items.extend(locked.items.select_related("nominee__subject"))
        if unknown := awarded - {i.pk for i in items}:
            raise ValidationError(_("Có người, tập thể không thuộc tờ trình (%(ids)s).")
                                  % {"ids": ", ".join(map(str, sorted(unknown)))})
        locked.higher_decision_number = number
        locked.higher_decision_date = decided_on
        locked.higher_issuer = issuer_name
        locked.decided_at = timezone.now()

    locked = PROPOSAL_FLOW.move(
        proposal, "decide", by=by, seen={"state": expected_state}, prepare=prepare,
        after=lambda saved: {"number": number, "date": decided_on, "issuer": issuer_name,
                             "awarded": len(awarded), "not_awarded": len(items) - len(awarded)})
    form_name = form_name or locked.award_form.name
    for item in items:
        item.result = (ProposalItem.Result.AWARDED if item.pk in awarded
                       else ProposalItem.Result.NOT_AWARDED)
        item.awarded_form = form_name if item.pk in awarded else ""
        item.save(update_fields=["result", "awarded_form"])
    try:
        with transaction.atomic():
            AwardRecord.objects.bulk_create([
                AwardRecord(subject=i.nominee.subject, nominee=i.nominee, award_name=form_name,
                            award_form=locked.award_form if form_name == locked.award_form.name
                            else None, decision_number=number, decision_date=decided_on,
                            issuer_name=issuer_name, unit_name=i.unit_name,
                            movement=locked.movement, source=AwardRecord.Source.HIGHER,
                            note=str(locked), created_by=by)
                for i in items if i.pk in awarded
            ])
    except IntegrityError:
        raise ValidationError(_("Sổ khen thưởng đã có %(form)s theo quyết định số %(number)s cho "
                                "một người, tập thể trong danh sách (có thể đã nhập từ danh sách "
                                "cũ).") % {"form": form_name, "number": number}) from None
    _tell_units(locked, _("%(issuer)s đã quyết định (số %(number)s) về %(proposal)s: "
                          "%(awarded)s/%(total)s được khen thưởng.")
                % {"issuer": issuer_name, "number": number, "proposal": locked,
                   "awarded": len(awarded), "total": len(items)})
    return locked


@transaction.atomic
def delete_proposal_draft(proposal, *, by) -> None:
    locked = _lock(proposal)
    require(by, "decisions.draft", locked.movement)
    if locked.state != Proposal.State.DRAFT:
        raise ValidationError(_("Tờ trình đã gửi không thể xóa."))
    activity.record("proposal.draft_deleted", actor=by, target=locked,
                    organisation=locked.proposer, before={"number": locked.number_label})
    # A scan filed against the draft goes with it; its file once the deletion is committed.
    scans = list(SignedCopy.objects.filter(kind="upward_proposal", object_id=locked.pk))
    SignedCopy.objects.filter(pk__in=[s.pk for s in scans]).delete()
    for scan in scans:
        transaction.on_commit(partial(scan.file.delete, save=False))
    locked.delete()


def _tell_units(proposal, message):
    units = set(proposal.items.values_list("nominee__dossier__organisation", flat=True))
    people = [m.user for m in Membership.objects.active_on().filter(
        organisation_id__in=units, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD])
        .select_related("user")]
    secretariat = [m.user for m in Membership.objects.active_on().filter(
        organisation=proposal.movement.council_secretariat, role=Role.COUNCIL_SECRETARIAT)
        .select_related("user")]
    unique = list({u.pk: u for u in people + secretariat}.values())
    notify(unique, message, proposal.get_absolute_url())


def attach_supplement(proposal, *, description, uploaded_file, by) -> ProposalAttachment:
    """Add a supplementary document to a proposal the higher body returned; it goes with the
    next sending. A refused file leaves nothing behind."""
    description = bounded(nfc(description), limits.DESCRIPTION, _("Nội dung tài liệu"))
    if not description:
        raise ValidationError(_("Hãy ghi tài liệu bổ sung là gì."))
    checked = check_upload(uploaded_file)
    require(by, "decisions.draft", proposal.movement)  # before anything is written
    attachment = ProposalAttachment(description=description, original_name=checked.original_name,
                                    content_type=checked.content_type, size=checked.size,
                                    sha256=checked.sha256, uploaded_by=by)
    attachment.file.save(server_file_name(checked, prefix="proposals/"), uploaded_file, save=False)
    with kept_only_if_saved(attachment.file):
        locked = _lock(proposal)
        require(by, "decisions.draft", locked.movement)
        if locked.state != Proposal.State.RETURNED:
            raise ValidationError(_("Chỉ bổ sung tài liệu khi cấp trên trả lại tờ trình."))
        attachment.proposal = locked
        attachment.sending = locked.times_sent + 1
        attachment.save()
        activity.record("proposal.supplemented", actor=by, target=locked,
                        organisation=locked.proposer,
                        after={"description": description, "name": checked.original_name,
                               "sha256": checked.sha256})
    return attachment
