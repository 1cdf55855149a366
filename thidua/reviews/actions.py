"""Every write to meetings, agendas, votes and minutes (public disclosures and objections are in
:mod:`thidua.reviews.disclosures`; the reads in :mod:`thidua.reviews.queries`).

Each action is atomic, permission-checked and logged. Meetings move only through
:data:`MEETING_FLOW`; dossiers move through the nominations actions, so their rules and logs stay
in one place — closing a meeting moves them in the name of the person who closed it.
"""

from collections import Counter
from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import activity
from thidua.core.notify import notify
from thidua.core.permissions import require
from thidua.core.text import nfc, nfc_lines
from thidua.core.workflow import Workflow
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import CommitteeConclusion, CouncilOutcome, Dossier, Nominee
from thidua.reviews import limits
from thidua.reviews.models import (
    AgendaItem,
    BallotBox,
    BallotReceipt,
    Meeting,
    MeetingMember,
    MinutesRevision,
    Recusal,
    VoteChoice,
)
from thidua.reviews.queries import (
    committee_candidates,
    council_candidates,
    disclosure_problems,
    is_withdrawn,
    minutes_data,
    needed_text,
    quorum_of,
    tallies,
)
from thidua.reviews.voting import Attendance, VoteRule, decide

STALE = gettext_lazy("Phiên họp vừa được người khác thay đổi (trạng thái hiện tại: %(state)s). "
                     "Hãy tải lại trang.")
REFUSED = gettext_lazy("Không thực hiện được: phiên họp đang ở trạng thái “%(state)s”.")

MEETING_FLOW = Workflow(
    model=Meeting,
    verb_prefix="meeting",
    perms={"open": "reviews.run_meeting", "close": "reviews.close_meeting",
           "adjourn": "reviews.run_meeting"},
    organisation=attrgetter("organisation"),
    refused=REFUSED,
    stale=STALE,
    select_related=("movement__rule_set", "organisation"),
)


def _require_state(meeting, state, message):
    if meeting.state != state:
        raise ValidationError(message % {"state": meeting.get_state_display()})


# --- meetings -------------------------------------------------------------------------------

@transaction.atomic
def create_meeting(*, kind, movement, title, scheduled_at, place, chair, secretary, nominees,
                   members=(), by) -> Meeting:
    """Lên lịch: a committee review (receiving office) or a council meeting (secretariat), with
    its agenda of nominees and, for the council, its voting members [(user, role), …]."""
    require(by, "reviews.hold_committee" if kind == Meeting.Kind.COMMITTEE
            else "reviews.hold_council", movement)
    # Lock the nominees first, then read who is still free: two meetings created at once must
    # not both find the same person free (the second waits here and then sees the first's).
    nominees = list(Nominee.objects.select_for_update(of=("self",)).filter(
        pk__in=[n.pk for n in nominees]).select_related("dossier__award_form"))
    if kind == Meeting.Kind.COMMITTEE:
        organisation = movement.receiving_office
        eligible = set(committee_candidates(movement).values_list("pk", flat=True))
    else:
        organisation = movement.council_secretariat
        eligible = set(council_candidates(movement).values_list("pk", flat=True))
        if not members:
            raise ValidationError(_("Hãy chọn thành viên Hội đồng dự họp."))
        if sum(1 for _u, role in members if role == MeetingMember.Role.CHAIR) > 1:
            raise ValidationError(_("Phiên họp chỉ có một Chủ tịch Hội đồng."))
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
    title = limits.limited(nfc(title), limits.TITLE, Meeting._meta.get_field("title").verbose_name)
    place = limits.limited(nfc(place), limits.PLACE, Meeting._meta.get_field("place").verbose_name)
    if not title or not place:
        raise ValidationError(_("Hãy ghi tên và địa điểm phiên họp."))
    meeting = Meeting.objects.create(
        kind=kind, movement=movement, organisation=organisation, title=title,
        scheduled_at=scheduled_at, place=place, chair=chair, secretary=secretary)
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, nominee=n, order=i)
                                    for i, n in enumerate(nominees, start=1)])
    MeetingMember.objects.bulk_create([MeetingMember(meeting=meeting, user=u, role=r)
                                       for u, r in members])
    activity.record("meeting.created", actor=by, target=meeting, organisation=organisation,
                    after={"kind": kind, "items": len(nominees), "members": len(members)})
    return meeting


@transaction.atomic
def set_attendance(meeting, *, present_user_ids, by) -> Meeting:
    """Điểm danh: who is in the room (before or during the meeting)."""
    locked = MEETING_FLOW.lock(meeting)
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
    """Khai mạc, on the scheduled day or later (the disclosure period was counted to that day).
    The moment it opens is kept: the minutes print it, not the scheduled time."""

    def prepare(locked):
        if timezone.localdate() < timezone.localtime(locked.scheduled_at).date():
            raise ValidationError(_("Phiên họp được lên lịch ngày %(day)s; chưa thể khai mạc.")
                                  % {"day": timezone.localtime(locked.scheduled_at)
                                     .strftime("%d/%m/%Y")})
        locked.opened_at = timezone.now()
        if locked.kind == Meeting.Kind.COUNCIL:
            # Every box exists, empty, before the first vote: no row appears with a vote.
            BallotBox.objects.bulk_create([BallotBox(item=item) for item in locked.items.all()],
                                          ignore_conflicts=True)

    return MEETING_FLOW.move(meeting, "open", by=by, prepare=prepare)


@transaction.atomic
def set_conclusion(item, *, conclusion, reason="", by) -> AgendaItem:
    """Ban Chỉ đạo's conclusion on one nominee: propose or not (with the reason)."""
    locked = MEETING_FLOW.lock(item.meeting)
    require(by, "reviews.run_meeting", locked)
    if locked.kind != Meeting.Kind.COMMITTEE:
        raise ValidationError(_("Hội đồng TĐKT biểu quyết bằng phiếu, không ghi kết luận."))
    _require_state(locked, Meeting.State.OPEN,
                   _("Chỉ ghi kết luận khi phiên họp đang diễn ra (hiện: %(state)s)."))
    if is_withdrawn(item):
        raise ValidationError(_("Hồ sơ của %(name)s đã được rút.") % {"name": item.nominee.full_name})
    if conclusion not in CommitteeConclusion.values:
        raise ValidationError(_("Kết luận không hợp lệ."))
    reason = limits.limited(nfc(reason), limits.CONCLUSION_REASON, _("Lý do"))
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
    if is_withdrawn(item):
        raise ValidationError(_("Hồ sơ của %(name)s đã được rút.") % {"name": item.nominee.full_name})
    quorum = quorum_of(locked)
    if not quorum.met:
        # A council meeting without its quorum is not a valid meeting: nobody votes in it, in
        # person or in writing, until enough members are marked present (the page says so).
        raise ValidationError(
            _("Phiên họp chưa đủ số thành viên: có mặt %(present)s/%(total)s, cần từ %(needed)s "
              "thành viên (%(ratio)s tổng số thành viên) trở lên. Chưa thể bỏ phiếu.")
            % {"present": quorum.present, "total": quorum.members, "needed": quorum.needed,
               "ratio": quorum.text})


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
    locked = MEETING_FLOW.lock(item.meeting)
    _votable(locked, item)
    member = _member(locked, by)
    if not member.present:
        raise ValidationError(_("Bạn chưa được điểm danh có mặt; thành viên vắng mặt gửi phiếu "
                                "bằng văn bản qua thư ký."))
    _cast(locked, item, member, choice, written=False, by=by)


@transaction.atomic
def record_written_vote(item, *, member, choice, by) -> None:
    """Thư ký records the written ballot of a member who could not attend."""
    locked = MEETING_FLOW.lock(item.meeting)
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


@transaction.atomic
def recuse(item, *, member, reason, by) -> Recusal:
    """A member steps aside from one item; the member or the meeting's secretary records it."""
    locked = MEETING_FLOW.lock(item.meeting)
    if member.meeting_id != locked.pk or item.meeting_id != locked.pk:
        raise PermissionDenied(_("Người này không phải thành viên của phiên họp."))
    if by.pk != member.user_id:
        require(by, "reviews.run_meeting", locked)
    if locked.state == Meeting.State.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."))
    if BallotReceipt.objects.filter(item=item, member=member).exists():
        raise ValidationError(_("Đã bỏ phiếu thì không thể xin không biểu quyết nữa."))
    reason = limits.limited(nfc(reason), limits.RECUSAL_REASON,
                            _("Lý do không tham gia biểu quyết"))
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


# --- closing and the minutes ----------------------------------------------------------------

def _close_committee(locked, by):
    items = [i for i in locked.items.select_related("nominee__dossier") if not is_withdrawn(i)]
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
            dossier_actions.conclude_committee(dossier, by=by, cause=locked)


def _close_council(locked, by):
    rule_set = locked.movement.rule_set
    members = list(locked.members.all())
    quorum = quorum_of(locked, members)
    if not quorum.met:
        raise ValidationError(
            _("Phiên họp không đủ số thành viên: có mặt %(present)s/%(total)s, cần từ %(needed)s "
              "thành viên (%(ratio)s tổng số thành viên) trở lên. Chưa thể kết thúc và công bố "
              "kết quả.")
            % {"present": quorum.present, "total": quorum.members, "needed": quorum.needed,
               "ratio": quorum.text})
    locked.quorum_met = True
    locked.quorum_rule = quorum.as_data()
    present = quorum.present
    counts = tallies(locked)
    receipts = Counter(BallotReceipt.objects.filter(item__meeting=locked, written=True)
                       .values_list("item_id", flat=True))
    recusals = {}
    for r in Recusal.objects.filter(item__meeting=locked).select_related("member"):
        recusals.setdefault(r.item_id, []).append(r.member)
    items = list(locked.items.select_related("nominee__dossier__award_form"))
    for item in items:
        if is_withdrawn(item) or item.nominee.council_outcome:
            tally = counts[item.pk]
            item.agree, item.disagree, item.abstain = tally.agree, tally.disagree, tally.abstain
            item.result = AgendaItem.Result.WITHDRAWN if is_withdrawn(item) else ""
            item.save(update_fields=["agree", "disagree", "abstain", "result"])
            continue
        form = item.nominee.dossier.award_form
        rule = VoteRule.for_form(form, rule_set)
        stepped_aside = recusals.get(item.pk, [])
        attendance = Attendance(
            members=len(members), present=present, written=receipts.get(item.pk, 0),
            recused_members=len(stepped_aside),
            recused_present=sum(1 for m in stepped_aside if m.present))
        tally = counts[item.pk]
        outcome = decide(rule, tally, attendance)
        item.agree, item.disagree, item.abstain, item.base = (
            tally.agree, tally.disagree, tally.abstain, outcome.base)
        item.result = AgendaItem.Result.PASSED if outcome.passed else AgendaItem.Result.FAILED
        item.reckoning = {"rule": rule.as_data(), "attendance": attendance.as_data()}
        item.save(update_fields=["agree", "disagree", "abstain", "base", "result", "reckoning"])
        nominee = item.nominee
        if outcome.passed:
            nominee.council_outcome = (CouncilOutcome.APPROVED_LOCAL if form.decided_locally
                                       else CouncilOutcome.APPROVED_UPWARD)
            nominee.outcome_reason = ""
        else:
            nominee.council_outcome = CouncilOutcome.NOT_APPROVED
            nominee.outcome_reason = _("Không đạt tỷ lệ phiếu: %(agree)s/%(base)s đồng ý, cần "
                                       "%(needed)s.") % {
                "agree": tally.agree, "base": outcome.base, "needed": needed_text(rule, outcome)}
        nominee.save(update_fields=["council_outcome", "outcome_reason"])
    for dossier in Dossier.objects.filter(pk__in={i.nominee.dossier_id for i in items
                                                  if not is_withdrawn(i)}):
        pending = dossier.nominees.filter(committee_conclusion=CommitteeConclusion.PROPOSE,
                                          council_outcome="")
        if dossier.state == Dossier.State.FORWARDED and not pending.exists():
            # Closing the meeting was the permission-checked act; the dossier follows it.
            dossier_actions.conclude_council(dossier, by=by, cause=locked)


@transaction.atomic
def close_meeting(meeting, *, by) -> Meeting:
    """Bế mạc: results are computed from the ballots (never typed), outcomes reach each
    nominee and dossier, and the minutes are locked as revision 1."""

    def prepare(locked):
        if locked.kind == Meeting.Kind.COMMITTEE:
            _close_committee(locked, by)
        else:
            _close_council(locked, by)
        locked.closed_at = timezone.now()
        locked.closed_by = by

    locked = MEETING_FLOW.move(meeting, "close", by=by, prepare=prepare)
    MinutesRevision.objects.create(meeting=locked, number=1, data=minutes_data(locked),
                                   created_by=by)
    return locked


@transaction.atomic
def adjourn_meeting(meeting, *, reason, by) -> Meeting:
    """Hoãn họp: the meeting ends without results (e.g. no quorum); its nominees are free to go
    on another meeting's agenda."""
    reason = limits.limited(nfc(reason), limits.ADJOURN_REASON, _("Lý do hoãn"))
    if not reason:
        raise ValidationError(_("Hãy ghi lý do hoãn phiên họp."))

    def prepare(locked):
        locked.items.update(result=AgendaItem.Result.NO_QUORUM if locked.kind ==
                            Meeting.Kind.COUNCIL else "")
        locked.closed_at = timezone.now()
        locked.closed_by = by

    locked = MEETING_FLOW.move(meeting, "adjourn", by=by, prepare=prepare)
    data = {**minutes_data(locked), "notes": _("Phiên họp hoãn: %(reason)s") % {"reason": reason}}
    MinutesRevision.objects.create(meeting=locked, number=1, data=data, reason=reason,
                                   created_by=by)
    return locked


@transaction.atomic
def reschedule_meeting(meeting, *, scheduled_at, place="", reason, by) -> Meeting:
    """Dời lịch: a meeting not yet opened moves to another time (and place). Unlike adjourning,
    nothing ends: the agenda, the members and the attendance stay, the meeting stays planned,
    and its people are told the new time. Refused when someone moved it meanwhile."""
    reason = limits.limited(nfc(reason), limits.ADJOURN_REASON, _("Lý do dời lịch"))
    if not reason:
        raise ValidationError(_("Hãy ghi lý do dời lịch phiên họp."))
    locked = MEETING_FLOW.lock(meeting, seen={"state": meeting.state,
                                              "scheduled_at": meeting.scheduled_at})
    require(by, "reviews.run_meeting", locked)
    if locked.state != Meeting.State.PLANNED:
        raise ValidationError(_("Chỉ dời lịch được phiên họp chưa khai mạc (trạng thái hiện tại: "
                                "%(state)s).") % {"state": locked.get_state_display()})
    place = limits.limited(nfc(place), limits.PLACE,
                           Meeting._meta.get_field("place").verbose_name) or locked.place
    if scheduled_at == locked.scheduled_at and place == locked.place:
        raise ValidationError(_("Thời gian và địa điểm mới trùng với lịch hiện tại."))
    day = timezone.localtime(scheduled_at).date()
    if locked.kind == Meeting.Kind.COUNCIL:
        # An earlier day may come before a nominee's public disclosure has run its course.
        problems = disclosure_problems(
            [i.nominee for i in locked.items.select_related("nominee__dossier__award_form")], day)
        if problems:
            raise ValidationError(problems)
    before = {"scheduled_at": locked.scheduled_at.isoformat(), "place": locked.place}
    locked.scheduled_at, locked.place = scheduled_at, place
    locked.save(update_fields=["scheduled_at", "place"])
    activity.record("meeting.rescheduled", actor=by, target=locked,
                    organisation=locked.organisation, before=before,
                    after={"scheduled_at": scheduled_at.isoformat(), "place": place},
                    reason=reason)
    people = {locked.chair, locked.secretary, *(m.user for m in
                                               locked.members.select_related("user"))}
    notify([u for u in people if u is not None and u != by],
           _("Phiên họp “%(title)s” dời sang %(when)s tại %(place)s. Lý do: %(reason)s")
           % {"title": locked.title, "when": timezone.localtime(scheduled_at)
              .strftime("%H:%M %d/%m/%Y"), "place": place, "reason": reason},
           reverse("reviews:detail", args=[locked.pk]))
    return locked


@transaction.atomic
def correct_minutes(meeting, *, notes, reason, by) -> MinutesRevision:
    """A correction to locked minutes is a new revision with its reason; earlier ones stay."""
    locked = MEETING_FLOW.lock(meeting)
    require(by, "reviews.run_meeting", locked)
    _require_state(locked, Meeting.State.CLOSED,
                   _("Biên bản chỉ được điều chỉnh sau khi phiên họp kết thúc (hiện: %(state)s)."))
    reason = limits.limited(nfc(reason), limits.CORRECTION_REASON, _("Lý do điều chỉnh"))
    if not reason:
        raise ValidationError(_("Hãy ghi lý do điều chỉnh biên bản."))
    notes = limits.limited(nfc_lines(notes), limits.MINUTES_NOTES,
                           _("Ghi chú, điều chỉnh của biên bản"))
    latest = locked.minutes.order_by("-number").first()
    data = {**latest.data, "notes": notes}
    revision = MinutesRevision.objects.create(meeting=locked, number=latest.number + 1, data=data,
                                              reason=reason, created_by=by)
    activity.record("meeting.minutes_corrected", actor=by, target=locked,
                    organisation=locked.organisation, after={"revision": revision.number},
                    reason=reason)
    return revision
