"""Every write to meetings, agendas, votes, disclosures and minutes.

Each action is atomic, permission-checked and logged. Meetings move only through
:func:`_move` (the one transition function for meetings); dossiers move through the
nominations actions, so their rules and logs stay in one place.
"""

import hashlib
import hmac
import ipaddress
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from thidua.core import activity
from thidua.core.permissions import require
from thidua.core.text import fold, nfc, nfc_lines
from thidua.core.workdays import add_working_days, working_days_between
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import CommitteeConclusion, CouncilOutcome, Dossier, Nominee
from thidua.orgs.models import Membership
from thidua.reviews.models import (
    AgendaItem,
    BallotBox,
    BallotReceipt,
    Disclosure,
    Meeting,
    MeetingMember,
    MinutesRevision,
    Objection,
    Recusal,
    VoteChoice,
)
from thidua.reviews.voting import Tally, VoteRule, decide, has_quorum, vote_base

STALE = _("Phiên họp vừa được người khác thay đổi (trạng thái hiện tại: %(state)s). Hãy tải lại "
          "trang.")


def _lock(meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related(
        "movement__rule_set", "organisation").get(pk=meeting.pk)
    if locked.state != meeting.state:
        raise ValidationError(STALE % {"state": locked.get_state_display()})
    return locked


def _require_state(meeting, state, message):
    if meeting.state != state:
        raise ValidationError(message % {"state": meeting.get_state_display()})


# --- who is eligible ------------------------------------------------------------------------

def committee_candidates(movement):
    """Nominees of accepted dossiers not yet concluded by the Steering Committee."""
    return (Nominee.objects.filter(dossier__movement=movement,
                                   dossier__state=Dossier.State.ACCEPTED, committee_conclusion="")
            .exclude(agenda_items__meeting__kind=Meeting.Kind.COMMITTEE,
                     agenda_items__meeting__state__in=[Meeting.State.PLANNED, Meeting.State.OPEN])
            .select_related("dossier__organisation", "dossier__award_form"))


def council_candidates(movement):
    """Nominees the committee proposed, in forwarded dossiers, without a council outcome."""
    return (Nominee.objects.filter(dossier__movement=movement,
                                   dossier__state=Dossier.State.FORWARDED,
                                   committee_conclusion=CommitteeConclusion.PROPOSE,
                                   council_outcome="")
            .exclude(agenda_items__meeting__kind=Meeting.Kind.COUNCIL,
                     agenda_items__meeting__state__in=[Meeting.State.PLANNED, Meeting.State.OPEN])
            .select_related("dossier__organisation", "dossier__award_form"))


def disclosure_problems(nominees, day) -> list[str]:
    """Why a council meeting on ``day`` would come too early for the public disclosure that the
    rule set requires of some nominees (empty when none)."""
    problems = []
    disclosures = {}
    for d in Disclosure.objects.filter(nominees__in=nominees).prefetch_related("nominees"):
        for n in d.nominees.all():
            disclosures.setdefault(n.pk, []).append(d)
    for nominee in nominees:
        days = nominee.dossier.award_form.disclosure_working_days
        if not days:
            continue
        earliest = min((add_working_days(d.starts_on, days) for d in disclosures.get(nominee.pk, [])),
                       default=None)
        if earliest is None:
            problems.append(_("%(name)s (%(form)s) phải được công khai %(days)s ngày làm việc "
                              "trước phiên họp, nhưng chưa được công khai.")
                            % {"name": nominee.full_name, "form": nominee.dossier.award_form.name,
                               "days": days})
        elif day < earliest:
            problems.append(_("%(name)s (%(form)s) được công khai chưa đủ %(days)s ngày làm việc: "
                              "phiên họp sớm nhất vào ngày %(earliest)s.")
                            % {"name": nominee.full_name, "form": nominee.dossier.award_form.name,
                               "days": days, "earliest": earliest.strftime("%d/%m/%Y")})
    return problems


# --- meetings -------------------------------------------------------------------------------

@transaction.atomic
def create_meeting(*, kind, movement, title, scheduled_at, place, chair, secretary, nominees,
                   members=(), by) -> Meeting:
    """Lên lịch: a committee review (receiving office) or a council meeting (secretariat), with
    its agenda of nominees and, for the council, its voting members [(user, role), …]."""
    if kind == Meeting.Kind.COMMITTEE:
        require(by, "reviews.hold_committee", movement)
        organisation = movement.receiving_office
        eligible = set(committee_candidates(movement).values_list("pk", flat=True))
    else:
        require(by, "reviews.hold_council", movement)
        organisation = movement.council_secretariat
        eligible = set(council_candidates(movement).values_list("pk", flat=True))
        if not members:
            raise ValidationError(_("Hãy chọn thành viên Hội đồng dự họp."))
        if sum(1 for _u, role in members if role == MeetingMember.Role.CHAIR) > 1:
            raise ValidationError(_("Phiên họp chỉ có một Chủ tịch Hội đồng."))
    # Lock the nominees: two meetings created at once must not both take the same person.
    nominees = list(Nominee.objects.select_for_update().filter(
        pk__in=[n.pk for n in nominees]).select_related("dossier__award_form"))
    if not nominees:
        raise ValidationError(_("Chương trình họp chưa có người, tập thể nào."))
    outside = [n.full_name for n in nominees if n.pk not in eligible]
    if outside:
        raise ValidationError(_("Không đưa được vào chương trình họp: %(names)s (chưa đến bước "
                                "này, hoặc đã có trong phiên họp khác).")
                              % {"names": ", ".join(outside)})
    if kind == Meeting.Kind.COUNCIL:
        problems = disclosure_problems(nominees, timezone.localtime(scheduled_at).date())
        if problems:
            raise ValidationError(problems)
    meeting = Meeting.objects.create(
        kind=kind, movement=movement, organisation=organisation, title=nfc(title),
        scheduled_at=scheduled_at, place=nfc(place), chair=chair, secretary=secretary)
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, nominee=n, order=i)
                                    for i, n in enumerate(nominees, start=1)])
    MeetingMember.objects.bulk_create([MeetingMember(meeting=meeting, user=u, role=r)
                                       for u, r in members])
    activity.record("meeting.created", actor=by, target=meeting, organisation=organisation,
                    after={"kind": kind, "items": len(nominees), "members": len(members)})
    return meeting


def _move(meeting, transition, *, by, perm, prepare=None) -> Meeting:
    """The one transition function for meetings: lock, check, move, save, log."""
    locked = _lock(meeting)
    require(by, perm, locked)
    method = getattr(locked, transition)
    if not can_proceed(method):
        raise ValidationError(_("Không thực hiện được: phiên họp đang ở trạng thái “%(state)s”.")
                              % {"state": locked.get_state_display()})
    before = locked.state
    if prepare is not None:
        prepare(locked)
    method()
    try:
        locked.save()
    except ConcurrentTransition:
        current = Meeting.objects.get(pk=locked.pk)
        raise ValidationError(STALE % {"state": current.get_state_display()}) from None
    activity.record(f"meeting.{transition}", actor=by, target=locked,
                    organisation=locked.organisation, before={"state": before},
                    after={"state": locked.state})
    return locked


@transaction.atomic
def set_attendance(meeting, *, present_user_ids, by) -> Meeting:
    """Điểm danh: who is in the room (before or during the meeting)."""
    locked = _lock(meeting)
    require(by, "reviews.run_meeting", locked)
    if locked.state == Meeting.State.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc; không sửa được điểm danh."))
    present = set(present_user_ids)
    voted_in_writing = set(BallotReceipt.objects.filter(
        item__meeting=locked, written=True).values_list("member__user_id", flat=True))
    if present & voted_in_writing:
        raise ValidationError(_("Thành viên đã gửi phiếu bằng văn bản không thể được điểm danh "
                                "có mặt."))
    voted_in_person = set(BallotReceipt.objects.filter(
        item__meeting=locked, written=False).values_list("member__user_id", flat=True))
    if voted_in_person - present:
        raise ValidationError(_("Thành viên đã bỏ phiếu tại phiên họp không thể bị điểm danh "
                                "vắng mặt."))
    for member in locked.members.all():
        if member.present != (member.user_id in present):
            member.present = member.user_id in present
            member.save(update_fields=["present"])
    activity.record("meeting.attendance", actor=by, target=locked,
                    organisation=locked.organisation, after={"present": len(present)})
    return locked


@transaction.atomic
def open_meeting(meeting, *, by) -> Meeting:
    """Khai mạc, on the scheduled day or later (the disclosure period was counted to that day)."""

    def prepare(locked):
        if timezone.localdate() < timezone.localtime(locked.scheduled_at).date():
            raise ValidationError(_("Phiên họp được lên lịch ngày %(day)s; chưa thể khai mạc.")
                                  % {"day": timezone.localtime(locked.scheduled_at)
                                     .strftime("%d/%m/%Y")})
        if locked.kind == Meeting.Kind.COUNCIL:
            # Every box exists, empty, before the first vote: no row appears with a vote.
            BallotBox.objects.bulk_create([BallotBox(item=item) for item in locked.items.all()],
                                          ignore_conflicts=True)

    return _move(meeting, "open", by=by, perm="reviews.run_meeting", prepare=prepare)


@transaction.atomic
def set_conclusion(item, *, conclusion, reason="", by) -> AgendaItem:
    """Ban Chỉ đạo's conclusion on one nominee: propose or not (with the reason)."""
    locked = _lock(item.meeting)
    require(by, "reviews.run_meeting", locked)
    if locked.kind != Meeting.Kind.COMMITTEE:
        raise ValidationError(_("Hội đồng TĐKT biểu quyết bằng phiếu, không ghi kết luận."))
    _require_state(locked, Meeting.State.OPEN,
                   _("Chỉ ghi kết luận khi phiên họp đang diễn ra (hiện: %(state)s)."))
    if _withdrawn(item):
        raise ValidationError(_("Hồ sơ của %(name)s đã được rút.") % {"name": item.nominee.full_name})
    if conclusion not in CommitteeConclusion.values:
        raise ValidationError(_("Kết luận không hợp lệ."))
    reason = nfc(reason)
    if conclusion == CommitteeConclusion.NOT_PROPOSE and not reason:
        raise ValidationError(_("Hãy ghi lý do không đề nghị khen thưởng."))
    item.conclusion, item.reason = conclusion, reason
    item.save(update_fields=["conclusion", "reason"])
    activity.record("meeting.concluded_item", actor=by, target=locked,
                    organisation=locked.organisation,
                    after={"nominee": item.nominee.full_name, "conclusion": conclusion},
                    reason=reason)
    return item


# --- votes ----------------------------------------------------------------------------------

def _member(meeting, user) -> MeetingMember:
    member = meeting.members.filter(user=user).first()
    if member is None:
        raise PermissionDenied(_("Bạn không phải thành viên của phiên họp này."))
    return member


def _votable(locked, item):
    if locked.kind != Meeting.Kind.COUNCIL:
        raise ValidationError(_("Phiên họp này không bỏ phiếu."))
    _require_state(locked, Meeting.State.OPEN,
                   _("Chỉ bỏ phiếu khi phiên họp đang diễn ra (hiện: %(state)s)."))
    if item.meeting_id != locked.pk:
        raise ValidationError(_("Nội dung này không thuộc phiên họp."))
    if _withdrawn(item):
        raise ValidationError(_("Hồ sơ của %(name)s đã được rút.") % {"name": item.nominee.full_name})


def _cast(locked, item, member, choice, *, written, by):
    if choice not in VoteChoice.values:
        raise ValidationError(_("Phiếu không hợp lệ."))
    if Recusal.objects.filter(item=item, member=member).exists():
        raise ValidationError(_("%(member)s đã xin không biểu quyết nội dung này.")
                              % {"member": member.user})
    try:
        with transaction.atomic():
            BallotReceipt.objects.create(item=item, member=member, written=written, recorded_by=by)
    except IntegrityError:
        raise ValidationError(_("%(member)s đã bỏ phiếu cho %(name)s; mỗi thành viên chỉ bỏ "
                                "một phiếu.") % {"member": member.user,
                                                  "name": item.nominee.full_name}) from None
    box, _created = BallotBox.objects.get_or_create(item=item)
    BallotBox.objects.filter(pk=box.pk).update(**{choice: F(choice) + 1})
    # The log says that a member voted, never how.
    activity.record("meeting.voted", actor=by, target=locked, organisation=locked.organisation,
                    after={"nominee": item.nominee.full_name, "written": written})


@transaction.atomic
def cast_vote(item, *, choice, by) -> None:
    """A member present at the meeting votes on one nominee, once, secretly."""
    locked = _lock(item.meeting)
    _votable(locked, item)
    member = _member(locked, by)
    if not member.present:
        raise ValidationError(_("Bạn chưa được điểm danh có mặt; thành viên vắng mặt gửi phiếu "
                                "bằng văn bản qua thư ký."))
    _cast(locked, item, member, choice, written=False, by=by)


@transaction.atomic
def record_written_vote(item, *, member, choice, by) -> None:
    """Thư ký records the written ballot of a member who could not attend."""
    locked = _lock(item.meeting)
    require(by, "reviews.run_meeting", locked)
    _votable(locked, item)
    if member.meeting_id != locked.pk:
        raise PermissionDenied(_("Người này không phải thành viên của phiên họp."))
    if member.present:
        raise ValidationError(_("%(member)s có mặt tại phiên họp; hãy để thành viên tự bỏ phiếu.")
                              % {"member": member.user})
    if not locked.movement.rule_set.written_votes_count:
        raise ValidationError(_("Theo bộ quy tắc áp dụng, phiếu bằng văn bản không được tính."))
    _cast(locked, item, member, choice, written=True, by=by)


def conflicts(meeting) -> dict[int, set[int]]:
    """Agenda item id → ids of members with a conflict of interest: the member is the nominee's
    subject's own account holder by name, or belongs to the nominee's proposing organisation."""
    members = list(meeting.members.select_related("user"))
    flagged = {}
    memberships = {}
    for m in Membership.objects.active_on().filter(user__in=[m.user for m in members]):
        memberships.setdefault(m.user_id, set()).add(m.organisation_id)
    for item in meeting.items.select_related("nominee__dossier"):
        for member in members:
            same_person = fold(member.user.full_name or "") == item.nominee.name_folded
            same_org = item.nominee.dossier.organisation_id in memberships.get(member.user_id, set())
            if same_person or same_org:
                flagged.setdefault(item.pk, set()).add(member.pk)
    return flagged


@transaction.atomic
def recuse(item, *, member, reason, by) -> Recusal:
    """A member steps aside from one item; the member or the meeting's secretary records it."""
    locked = _lock(item.meeting)
    if member.meeting_id != locked.pk or item.meeting_id != locked.pk:
        raise PermissionDenied(_("Người này không phải thành viên của phiên họp."))
    if by.pk != member.user_id:
        require(by, "reviews.run_meeting", locked)
    if locked.state == Meeting.State.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."))
    if BallotReceipt.objects.filter(item=item, member=member).exists():
        raise ValidationError(_("Đã bỏ phiếu thì không thể xin không biểu quyết nữa."))
    reason = nfc(reason)
    if not reason:
        raise ValidationError(_("Hãy ghi lý do không tham gia biểu quyết."))
    recusal, created = Recusal.objects.get_or_create(item=item, member=member,
                                                     defaults={"reason": reason})
    if created:
        activity.record("meeting.recused", actor=by, target=locked,
                        organisation=locked.organisation,
                        after={"member": str(member.user), "nominee": item.nominee.full_name},
                        reason=reason)
    return recusal


def tallies(meeting) -> dict[int, Tally]:
    """Counts per agenda item — the only view of ballots anyone gets."""
    boxes = {b.item_id: b for b in BallotBox.objects.filter(item__meeting=meeting)}
    empty = BallotBox()
    return {item_id: Tally(boxes.get(item_id, empty).agree, boxes.get(item_id, empty).disagree,
                           boxes.get(item_id, empty).abstain)
            for item_id in meeting.items.values_list("pk", flat=True)}


# --- closing and the minutes ----------------------------------------------------------------

def minutes_data(meeting) -> dict:
    """Everything the minutes need, as plain data (no ballot, only counts)."""
    members = list(meeting.members.select_related("user"))
    items = list(meeting.items.select_related("nominee__dossier__organisation",
                                              "nominee__dossier__award_form")
                 .prefetch_related("recusals__member__user", "nominee__objections"))
    written = Counter(BallotReceipt.objects.filter(item__meeting=meeting, written=True)
                      .values_list("member_id", flat=True))
    return {
        "title": meeting.title,
        "kind": meeting.get_kind_display(),
        "scheduled_at": timezone.localtime(meeting.scheduled_at).strftime("%H:%M %d/%m/%Y"),
        "place": meeting.place,
        "chair": str(meeting.chair),
        "secretary": str(meeting.secretary),
        "members": [{"name": str(m.user), "role": m.get_role_display(), "present": m.present,
                     "written": bool(written.get(m.pk))} for m in members],
        "present": sum(1 for m in members if m.present),
        "total": len(members),
        "quorum_met": meeting.quorum_met,
        "items": [{
            "name": i.nominee.full_name,
            "unit": i.nominee.dossier.organisation.name,
            "form": i.nominee.dossier.award_form.name,
            "conclusion": i.get_conclusion_display(),
            "reason": i.reason,
            "agree": i.agree, "disagree": i.disagree, "abstain": i.abstain, "base": i.base,
            "result": i.get_result_display(),
            "recusals": [{"member": str(r.member.user), "reason": r.reason}
                         for r in i.recusals.all()],
            "objections": [{"from": o.name, "text": o.text, "handling": o.handling}
                           for o in i.nominee.objections.all()],
        } for i in items],
        "notes": "",
    }


def _withdrawn(item) -> bool:
    """A unit may withdraw until the decision; its nominees then get no conclusion or outcome."""
    return item.nominee.dossier.state == Dossier.State.WITHDRAWN


def _close_committee(locked):
    items = [i for i in locked.items.select_related("nominee__dossier") if not _withdrawn(i)]
    missing = [i.nominee.full_name for i in items if not i.conclusion]
    if missing:
        raise ValidationError(_("Chưa có kết luận cho: %(names)s.") % {"names": ", ".join(missing)})
    for item in items:
        nominee = item.nominee
        nominee.committee_conclusion, nominee.committee_reason = item.conclusion, item.reason
        nominee.save(update_fields=["committee_conclusion", "committee_reason"])
    for dossier in Dossier.objects.filter(pk__in={i.nominee.dossier_id for i in items}):
        if dossier.state == Dossier.State.ACCEPTED and not dossier.nominees.filter(
                committee_conclusion="").exists():
            # Closing the meeting was the permission-checked act; the dossier follows it.
            dossier_actions.conclude_committee(dossier, by=None)


def _close_council(locked):
    rule_set = locked.movement.rule_set
    members = list(locked.members.all())
    present = sum(1 for m in members if m.present)
    if not has_quorum(present, len(members), rule_set.quorum_percent):
        raise ValidationError(
            _("Phiên họp không đủ số thành viên: %(present)s/%(total)s có mặt, cần từ %(q)s%% "
              "trở lên. Chưa thể kết thúc và công bố kết quả.")
            % {"present": present, "total": len(members), "q": rule_set.quorum_percent})
    locked.quorum_met = True
    counts = tallies(locked)
    receipts = Counter(BallotReceipt.objects.filter(item__meeting=locked, written=True)
                       .values_list("item_id", flat=True))
    recusals = {}
    for r in Recusal.objects.filter(item__meeting=locked).select_related("member"):
        recusals.setdefault(r.item_id, []).append(r.member)
    items = list(locked.items.select_related("nominee__dossier__award_form"))
    for item in items:
        if _withdrawn(item) or item.nominee.council_outcome:
            tally = counts[item.pk]
            item.agree, item.disagree, item.abstain = tally.agree, tally.disagree, tally.abstain
            item.result = AgendaItem.Result.WITHDRAWN if _withdrawn(item) else ""
            item.save(update_fields=["agree", "disagree", "abstain", "result"])
            continue
        form = item.nominee.dossier.award_form
        rule = VoteRule.for_form(form, rule_set)
        stepped_aside = recusals.get(item.pk, [])
        written_voters = receipts.get(item.pk, 0)
        base = vote_base(rule, members=len(members), present=present, written=written_voters,
                         recused_members=len(stepped_aside),
                         recused_present=sum(1 for m in stepped_aside if m.present))
        tally = counts[item.pk]
        outcome = decide(rule, tally, base)
        item.agree, item.disagree, item.abstain, item.base = (
            tally.agree, tally.disagree, tally.abstain, base)
        item.result = AgendaItem.Result.PASSED if outcome.passed else AgendaItem.Result.FAILED
        item.save(update_fields=["agree", "disagree", "abstain", "base", "result"])
        nominee = item.nominee
        if outcome.passed:
            nominee.council_outcome = (CouncilOutcome.APPROVED_LOCAL if form.decided_locally
                                       else CouncilOutcome.APPROVED_UPWARD)
            nominee.outcome_reason = ""
        else:
            nominee.council_outcome = CouncilOutcome.NOT_APPROVED
            nominee.outcome_reason = _("Không đạt tỷ lệ phiếu: %(agree)s/%(base)s đồng ý.") % {
                "agree": tally.agree, "base": base}
        nominee.save(update_fields=["council_outcome", "outcome_reason"])
    for dossier in Dossier.objects.filter(pk__in={i.nominee.dossier_id for i in items
                                                  if not _withdrawn(i)}):
        pending = dossier.nominees.filter(committee_conclusion=CommitteeConclusion.PROPOSE,
                                          council_outcome="")
        if dossier.state == Dossier.State.FORWARDED and not pending.exists():
            # Closing the meeting was the permission-checked act; the dossier follows it.
            dossier_actions.conclude_council(dossier, by=None)


@transaction.atomic
def close_meeting(meeting, *, by) -> Meeting:
    """Bế mạc: results are computed from the ballots (never typed), outcomes reach each
    nominee and dossier, and the minutes are locked as revision 1."""

    def prepare(locked):
        if locked.kind == Meeting.Kind.COMMITTEE:
            _close_committee(locked)
        else:
            _close_council(locked)
        locked.closed_at = timezone.now()
        locked.closed_by = by

    locked = _move(meeting, "close", by=by, perm="reviews.close_meeting", prepare=prepare)
    MinutesRevision.objects.create(meeting=locked, number=1, data=minutes_data(locked),
                                   created_by=by)
    return locked


@transaction.atomic
def adjourn_meeting(meeting, *, reason, by) -> Meeting:
    """Hoãn họp: the meeting ends without results (e.g. no quorum); its nominees are free to go
    on another meeting's agenda."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError(_("Hãy ghi lý do hoãn phiên họp."))

    def prepare(locked):
        locked.items.update(result=AgendaItem.Result.NO_QUORUM if locked.kind ==
                            Meeting.Kind.COUNCIL else "")
        locked.closed_at = timezone.now()
        locked.closed_by = by

    locked = _move(meeting, "adjourn", by=by, perm="reviews.run_meeting", prepare=prepare)
    data = {**minutes_data(locked), "notes": _("Phiên họp hoãn: %(reason)s") % {"reason": reason}}
    MinutesRevision.objects.create(meeting=locked, number=1, data=data, reason=reason,
                                   created_by=by)
    return locked


@transaction.atomic
def correct_minutes(meeting, *, notes, reason, by) -> MinutesRevision:
    """A correction to locked minutes is a new revision with its reason; earlier ones stay."""
    locked = _lock(meeting)
    require(by, "reviews.run_meeting", locked)
    _require_state(locked, Meeting.State.CLOSED,
                   _("Biên bản chỉ được điều chỉnh sau khi phiên họp kết thúc (hiện: %(state)s)."))
    reason = nfc(reason)
    if not reason:
        raise ValidationError(_("Hãy ghi lý do điều chỉnh biên bản."))
    latest = locked.minutes.order_by("-number").first()
    data = {**latest.data, "notes": nfc_lines(notes)}
    revision = MinutesRevision.objects.create(meeting=locked, number=latest.number + 1, data=data,
                                              reason=reason, created_by=by)
    activity.record("meeting.minutes_corrected", actor=by, target=locked,
                    organisation=locked.organisation, after={"revision": revision.number},
                    reason=reason)
    return revision


# --- public disclosure ----------------------------------------------------------------------

@transaction.atomic
def publish_disclosure(*, movement, nominees, starts_on, ends_on, title, by) -> Disclosure:
    require(by, "reviews.hold_council", movement)
    nominees = list(nominees)
    if not nominees:
        raise ValidationError(_("Hãy chọn người, tập thể cần công khai."))
    if ends_on < starts_on:
        raise ValidationError(_("Ngày kết thúc công khai phải sau ngày bắt đầu."))
    if starts_on < timezone.localdate():
        raise ValidationError(_("Không thể công khai lùi ngày: ngày bắt đầu phải từ hôm nay."))
    eligible = set(council_candidates(movement).values_list("pk", flat=True))
    outside = [n.full_name for n in nominees if n.pk not in eligible]
    if outside:
        raise ValidationError(_("Chỉ công khai được người, tập thể đã chuyển Hội đồng xét: "
                                "%(names)s.") % {"names": ", ".join(outside)})
    longest = max((n.dossier.award_form.disclosure_working_days or 0) for n in nominees)
    days_open = working_days_between(starts_on, ends_on) + (1 if starts_on.weekday() < 5 else 0)
    if longest and days_open < longest:
        raise ValidationError(_("Thời gian công khai phải từ %(days)s ngày làm việc trở lên.")
                              % {"days": longest})
    disclosure = Disclosure.objects.create(movement=movement, title=nfc(title),
                                           starts_on=starts_on, ends_on=ends_on, published_by=by)
    disclosure.nominees.set(nominees)
    activity.record("disclosure.published", actor=by, target=disclosure,
                    organisation=movement.council_secretariat,
                    after={"nominees": len(nominees), "from": starts_on, "to": ends_on})
    return disclosure


OBJECTIONS_PER_HOUR = 5
OBJECTIONS_PER_DAY = 20


def client_address(request) -> str:
    """The visitor's address: behind a reverse proxy (THIDUA_CLIENT_IP_HEADER, e.g.
    HTTP_X_FORWARDED_FOR) the last address the proxy appended, else REMOTE_ADDR."""
    header = getattr(settings, "THIDUA_CLIENT_IP_HEADER", "")
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def objection_source(address: str) -> str:
    """Who sent it, as far as a flood goes: a keyed hash of the address, never the address.
    IPv6 counts by its /64 network, the block one subscriber gets."""
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    except ValueError:
        pass
    digest = hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@transaction.atomic
def submit_objection(disclosure, *, nominee, name, contact, text, source="") -> Objection:
    """A visitor's objection; anyone may send one while the disclosure runs. Beyond a few an
    hour from one source it is still kept — this channel is one the law requires, and many
    citizens can share one address — but marked as sent in a flood."""
    today = timezone.localdate()
    if not (disclosure.starts_on <= today <= disclosure.ends_on):
        raise ValidationError(_("Thời gian nhận ý kiến về danh sách này đã kết thúc."))
    if not disclosure.nominees.filter(pk=nominee.pk).exists():
        raise ValidationError(_("Người, tập thể này không có trong danh sách công khai."))
    name, contact, text = nfc(name), nfc(contact), (text or "").strip()
    if not (name and contact and text):
        raise ValidationError(_("Hãy ghi họ tên, cách liên hệ và nội dung ý kiến."))
    flooded = False
    if source:
        now = timezone.now()
        sent = Objection.objects.filter(source=source)
        flooded = (sent.filter(created_at__gte=now - timedelta(hours=1)).count()
                   >= OBJECTIONS_PER_HOUR
                   or sent.filter(created_at__gte=now - timedelta(days=1)).count()
                   >= OBJECTIONS_PER_DAY)
    objection = Objection.objects.create(disclosure=disclosure, nominee=nominee, name=name,
                                         contact=contact, text=text, source=source,
                                         flooded=flooded)
    activity.record("disclosure.objection", target=disclosure,
                    organisation=disclosure.movement.council_secretariat,
                    after={"nominee": nominee.full_name})
    return objection


@transaction.atomic
def record_objection_handling(objection, *, meeting, handling, by) -> Objection:
    """The meeting's secretary notes how an objection was handled, before the minutes lock."""
    locked = _lock(meeting)
    require(by, "reviews.run_meeting", locked)
    if locked.state == Meeting.State.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc; kết quả xử lý được ghi trong biên bản "
                                "điều chỉnh."))
    if objection.handling:
        raise ValidationError(_("Ý kiến này đã có kết quả xử lý."))
    handling = nfc(handling)
    if not handling:
        raise ValidationError(_("Hãy ghi kết quả xử lý ý kiến."))
    objection.handling = handling
    objection.save(update_fields=["handling"])
    activity.record("disclosure.objection_handled", actor=by, target=objection.disclosure,
                    organisation=objection.disclosure.movement.council_secretariat,
                    after={"nominee": objection.nominee.full_name}, reason=handling)
    return objection


def active_disclosures():
    today = timezone.localdate()
    return Disclosure.objects.filter(Q(starts_on__lte=today) & Q(ends_on__gte=today))
