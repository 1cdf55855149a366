"""What the meetings write, as registered document kinds: the Steering Committee's Tờ trình to the
council and its minutes, and the council's minutes with the vote tallies.

Ballots are secret: the council's minutes carry counts per agenda item (as written when the
meeting closed) and who attended; nothing in a context joins a member to a choice.
"""

from collections import Counter
from fractions import Fraction

from django.utils import timezone

from thidua.documents.context import counts, dated, nfc
from thidua.documents.kinds import DocumentKind, register
from thidua.documents.models import DocumentTemplate
from thidua.nominations.documents import (
    BLANK,
    locality,
    lower_first,
    movement_ground,
    place_of,
    text_lines,
    under,
    where,
)
from thidua.nominations.models import CommitteeConclusion
from thidua.reviews.access import get_closed_meeting_for, was_adjourned
from thidua.reviews.models import BallotReceipt, Meeting, MeetingMember
from thidua.reviews.queries import is_withdrawn, quorum_of, reckoning_of
from thidua.reviews.voting import VoteRule
from thidua.rulesets.models import VoteBase
from thidua.rulesets.ratios import number_text, ratio_text

STEERING_COMMITTEE = "BAN CHỈ ĐẠO"
COUNCIL = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
NONE_TEXT = "không có"
ROLE_ORDER = [MeetingMember.Role.CHAIR, MeetingMember.Role.VICE_CHAIR, MeetingMember.Role.MEMBER,
              MeetingMember.Role.SECRETARY]


UNVERIFIED = "quy định này là giá trị mặc định chưa được đối chiếu văn bản pháp lý"
SCHEDULED = "giờ theo lịch; không có giờ khai mạc thực tế"


def time_words(moment) -> str:
    local = timezone.localtime(moment)
    return (f"{local:%H} giờ {local:%M} phút, ngày {local.day:02d} tháng {local.month:02d} "
            f"năm {local.year}")


def _times(meeting) -> dict:
    """When the meeting really opened and ended. A meeting without an opening time (closed
    before it was recorded, or adjourned before it opened) prints its scheduled time, labelled
    as scheduled."""
    scheduled = time_words(meeting.scheduled_at)
    return {
        "time_words": (time_words(meeting.opened_at) if meeting.opened_at
                       else f"{scheduled} ({SCHEDULED})"),
        "opened_words": time_words(meeting.opened_at) if meeting.opened_at else "",
        "scheduled_words": scheduled,
        "time_is_scheduled": meeting.opened_at is None,
        "closed_words": time_words(meeting.closed_at) if meeting.closed_at else BLANK,
    }


def percent(part, whole) -> str:
    """"66,67%" (Vietnamese decimal comma); "—" when there is nothing to take a share of."""
    if part is None or not whole:
        return "—"
    return f"{float(Fraction(part * 100, whole)):.2f}".replace(".", ",") + "%"


def _day(meeting):
    return timezone.localdate(meeting.closed_at or meeting.scheduled_at)


def _items(meeting):
    return list(meeting.items.select_related("nominee__dossier__organisation",
                                             "nominee__dossier__award_form")
                .prefetch_related("recusals__member__user", "nominee__objections"))


def _common(meeting, body_upper: str, series: str) -> dict:
    """Heading, number, place and date, times and the people running the meeting."""
    movement = meeting.movement
    day = _day(meeting)
    return {
        **under(movement.issuer, body_upper, day),
        **dated(place_of(meeting.organisation, movement, day), day),
        "number_label": f"{BLANK}/{series}",
        "movement": nfc(movement.title),
        "movement_lower": lower_first(nfc(movement.title)),
        "city": locality(movement.issuer, day),
        "meeting_title": nfc(meeting.title),
        **_times(meeting),
        "place_of_meeting": nfc(meeting.place),
        "chair": nfc(str(meeting.chair)),
        "secretary": nfc(str(meeting.secretary)),
    }


def _minutes_notes(meeting) -> dict:
    """The minutes' free text from their latest revision: a correction is a new revision with
    its reason, and the document prints the one in force and says it was corrected."""
    revisions = sorted(meeting.minutes.all(), key=lambda r: r.number)
    latest = revisions[-1] if revisions else None
    return {
        "notes": text_lines(latest.data.get("notes", "")) if latest else [],
        "revision": latest.number if latest else 1,
        "revision_reason": nfc(latest.reason) if latest and latest.number > 1 else "",
        "adjourned": was_adjourned(meeting),
        "adjourn_reason": nfc(revisions[0].reason) if revisions and revisions[0].reason else "",
    }


def _members(meeting) -> list[dict]:
    members = list(meeting.members.select_related("user"))
    # Who sent a written ballot is part of the attendance record; what it said is not known here.
    written = set(BallotReceipt.objects.filter(item__meeting=meeting, written=True)
                  .values_list("member_id", flat=True))
    members.sort(key=lambda m: ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else len(ROLE_ORDER))
    return [{"name": nfc(str(m.user)), "role": str(m.get_role_display()),
             "attendance": "Có mặt" if m.present else
             ("Vắng, gửi phiếu bằng văn bản" if m.pk in written else "Vắng"),
             "present": m.present, "written": m.pk in written} for m in members]


def _remarks(items) -> list[str]:
    """Recusals and the public's objections on each item (DOMAIN.md §5: they go into the
    minutes)."""
    lines = []
    for item in items:
        name = nfc(item.nominee.full_name)
        for r in item.recusals.all():
            lines.append(f"{nfc(str(r.member.user))} không tham gia biểu quyết đối với {name}: "
                         f"{nfc(r.reason).rstrip('.')}.")
        for o in item.nominee.objections.all():
            handling = nfc(o.handling).rstrip(".")
            handled = f" Kết quả xử lý: {handling}." if handling else ""
            lines.append(f"Ý kiến phản ánh về {name} của {nfc(o.name)}: "
                         f"{' '.join(text_lines(o.text)).rstrip('.')}.{handled}")
    return lines


# --- the Steering Committee -----------------------------------------------------------------

def _committee_signer(meeting) -> dict:
    """The meeting's chair signs for the Committee; "TRƯỞNG BAN" is the usual title [I] and is
    corrected in Word when a deputy chaired."""
    return {"capacity": "TM. BAN CHỈ ĐẠO", "signer_title": "TRƯỞNG BAN",
            "signer_name": nfc(str(meeting.chair))}


def committee_proposal_context(meeting) -> dict:
    movement = meeting.movement
    day = _day(meeting)
    items = [i for i in _items(meeting) if i.conclusion and not is_withdrawn(i)]
    proposed = [i for i in items if i.conclusion == CommitteeConclusion.PROPOSE]
    declined = [i for i in items if i.conclusion == CommitteeConclusion.NOT_PROPOSE]
    forms = {}
    for item in proposed:
        forms.setdefault(nfc(item.nominee.dossier.award_form.name), []).append(item.nominee.kind)
    common = _common(meeting, STEERING_COMMITTEE, "TTr-BCĐ")
    return {
        **common,
        **_committee_signer(meeting),
        "recipient": f"Hội đồng Thi đua - Khen thưởng {common['city']}",
        "through": nfc(movement.council_secretariat.name_on(day)),
        "grounds": [movement_ground(movement),
                    f"Căn cứ kết quả họp xét của Ban Chỉ đạo ngày {day:%d/%m/%Y}."],
        "dossier_count": len({i.nominee.dossier_id for i in items}),
        "unit_count": len({i.nominee.dossier.organisation_id for i in items}),
        "counts_all": counts(i.nominee.kind for i in items) or NONE_TEXT,
        "counts_proposed": counts(i.nominee.kind for i in proposed) or NONE_TEXT,
        "counts_declined": counts(i.nominee.kind for i in declined) or NONE_TEXT,
        "by_form": [{"form": form, "counts": counts(kinds)} for form, kinds in forms.items()],
        "declined": [{"name": nfc(i.nominee.full_name),
                      "unit": nfc(i.nominee.dossier.organisation.name),
                      "reason": nfc(i.reason)} for i in declined],
        "proposed": [{"order": n, "name": nfc(i.nominee.full_name), "where": where(i.nominee),
                      "unit": nfc(i.nominee.dossier.organisation.name),
                      "form": nfc(i.nominee.dossier.award_form.name)}
                     for n, i in enumerate(proposed, start=1)],
    }


def committee_minutes_context(meeting) -> dict:
    items = _items(meeting)
    live = [i for i in items if not is_withdrawn(i)]
    notes = _minutes_notes(meeting)

    def conclusion(item):
        if is_withdrawn(item):
            return "Hồ sơ đã rút"
        if not item.conclusion:
            return "Chưa kết luận"
        return str(item.get_conclusion_display())

    return {
        **_common(meeting, STEERING_COMMITTEE, "BB-BCĐ"),
        **notes,
        "members": _members(meeting),
        "items": [{"order": n, "name": nfc(i.nominee.full_name), "where": where(i.nominee),
                   "unit": nfc(i.nominee.dossier.organisation.name),
                   "form": nfc(i.nominee.dossier.award_form.name),
                   "conclusion": conclusion(i), "reason": nfc(i.reason),
                   "verdict": conclusion(i) + (f" (lý do: {nfc(i.reason)})" if nfc(i.reason) else "")}
                  for n, i in enumerate(items, start=1)],
        "counts_proposed": counts(i.nominee.kind for i in live
                                  if i.conclusion == CommitteeConclusion.PROPOSE) or NONE_TEXT,
        "counts_declined": counts(i.nominee.kind for i in live
                                  if i.conclusion == CommitteeConclusion.NOT_PROPOSE) or NONE_TEXT,
        "remarks": _remarks(items),
    }


# --- the council ---------------------------------------------------------------------------

def rule_text(rule: VoteRule) -> str:
    """The rule in the minutes' words, with the exact ratio that was used and whom it was taken
    of — the same numbers each row's arithmetic prints."""
    if rule.base == VoteBase.ALL:
        base = "tổng số thành viên Hội đồng"
    elif rule.written_votes_count:
        base = "số thành viên Hội đồng dự họp và thành viên gửi phiếu bằng văn bản"
    else:
        base = "số thành viên Hội đồng dự họp"
    if rule.threshold is None:
        text = f"trên {ratio_text(rule.ratio)} {base} (không quy định tỷ lệ riêng)"
    elif rule.at_least:
        text = f"từ {ratio_text(rule.ratio)} trở lên {base}"
    else:
        text = f"trên {ratio_text(rule.ratio)} {base}"
    if rule.recusals_leave_base:
        text += (", không tính thành viên không tham gia biểu quyết (theo bộ quy tắc áp dụng"
                 + (f"; {UNVERIFIED}" if rule.recusals_unverified else "") + ")")
    return text


def needed_words(rule: VoteRule, outcome) -> str:
    """"≥ 90% × 11 = 9,9": the comparison, the ratio, the base and what they give."""
    sign = "≥" if rule.at_least else ">"
    return f"{sign} {ratio_text(rule.ratio)} × {outcome.base} = {number_text(outcome.needed)}"


def _counted_words(rule: VoteRule, attendance) -> str:
    if rule.base == VoteBase.ALL:
        return f"{attendance.members} thành viên Hội đồng"
    if rule.written_votes_count and attendance.written:
        return (f"{attendance.present} thành viên dự họp và {attendance.written} thành viên gửi "
                f"phiếu bằng văn bản")
    return f"{attendance.present} thành viên dự họp"


def _base_remark(name: str, reckoning) -> str:
    """How the base of an item with recusals was reached, in the minutes' words."""
    rule, attendance, outcome = reckoning.rule, reckoning.attendance, reckoning.outcome
    if attendance is None:
        return ""
    if outcome.deducted:
        flag = f" ({UNVERIFIED})" if rule.recusals_unverified else ""
        return (f"Đối với {name}: tỷ lệ tính trên {outcome.base} thành viên, là "
                f"{_counted_words(rule, attendance)} trừ {outcome.deducted} thành viên không "
                f"tham gia biểu quyết, theo bộ quy tắc áp dụng{flag}.")
    kept = (attendance.recused_members if rule.base == VoteBase.ALL
            else attendance.recused_present)
    if not kept:
        return ""
    return (f"Đối với {name}: tỷ lệ tính trên {outcome.base} thành viên, là "
            f"{_counted_words(rule, attendance)}, kể cả {kept} thành viên không tham gia biểu "
            f"quyết.")


def _quorum_text(quorum, present: int, total: int) -> str:
    needed = f"có mặt từ {quorum.needed} trong số {total} thành viên trở lên"
    if quorum.met:
        text = (f"Có mặt {present}/{total} thành viên Hội đồng, đạt tỷ lệ tối thiểu "
                f"{quorum.text} tổng số thành viên theo quy định ({needed}); phiên họp đủ điều "
                f"kiện tiến hành.")
    else:
        text = (f"Có mặt {present}/{total} thành viên Hội đồng, không đạt tỷ lệ tối thiểu "
                f"{quorum.text} tổng số thành viên theo quy định (cần {needed}).")
    if quorum.unverified:
        text += f" (Tỷ lệ {quorum.text}: {UNVERIFIED}.)"
    return text


def council_minutes_context(meeting) -> dict:
    rule_set = meeting.movement.rule_set
    items = _items(meeting)
    members = _members(meeting)
    present = sum(1 for m in members if m["present"])
    quorum = quorum_of(meeting)
    rows, rules, base_remarks = [], {}, []
    for n, item in enumerate(items, start=1):
        form = item.nominee.dossier.award_form
        # The result was decided once, at closing, by voting.decide on the rule and attendance
        # kept with it; the same arithmetic gives the numbers printed, for the reader to check.
        reckoning = reckoning_of(item, rule_set)
        rule = reckoning.rule if reckoning else VoteRule.for_form(form, rule_set)
        rules.setdefault(nfc(form.name), rule_text(rule))
        counted = item.agree is not None and item.base is not None
        if reckoning and (remark := _base_remark(nfc(item.nominee.full_name), reckoning)):
            base_remarks.append(remark)
        rows.append({
            "order": n, "name": nfc(item.nominee.full_name), "where": where(item.nominee),
            "unit": nfc(item.nominee.dossier.organisation.name), "form": nfc(form.name),
            "agree": item.agree if counted else "—",
            "disagree": item.disagree if counted else "—",
            "abstain": item.abstain if counted else "—",
            "voted": (item.agree + item.disagree + item.abstain) if counted else "—",
            "base": item.base if counted else "—",
            "agree_percent": percent(item.agree, item.base) if counted else "—",
            "disagree_percent": percent(item.disagree, item.base) if counted else "—",
            "abstain_percent": percent(item.abstain, item.base) if counted else "—",
            "needed": needed_words(rule, reckoning.outcome) if reckoning else "—",
            "result": str(item.get_result_display()) if item.result else "—",
            "passed": item.result == item.Result.PASSED,
        })
    passed = Counter(i.nominee.kind for i in items if i.result == i.Result.PASSED)
    failed = Counter(i.nominee.kind for i in items if i.result == i.Result.FAILED)
    return {
        **_common(meeting, COUNCIL, "BB-HĐTĐKT"),
        **_minutes_notes(meeting),
        "members": members,
        "total": len(members),
        "present": present,
        "absent": len(members) - present,
        "written": sum(1 for m in members if m["written"]),
        "present_percent": percent(present, len(members)),
        "quorum_ratio": quorum.text,
        "quorum_needed": quorum.needed,
        "quorum_met": quorum.met,
        "quorum_text": _quorum_text(quorum, present, len(members)),
        "rules": [{"form": form, "rule": text} for form, text in rules.items()],
        "items": rows,
        "counts_passed": counts(passed.elements()) or NONE_TEXT,
        "counts_failed": counts(failed.elements()) or NONE_TEXT,
        "remarks": _remarks(items) + base_remarks,
    }


# --- registration ---------------------------------------------------------------------------


def _may_upload_meeting_paper(user, meeting) -> bool:
    """Whoever runs the meeting (its office, its secretary) files the signed paper."""
    return meeting.state == Meeting.State.CLOSED and user.has_perm("reviews.run_meeting", meeting)


def _fetch(kind: str, *, concluded: bool = False):
    return lambda user, pk: get_closed_meeting_for(user, pk, kind, concluded=concluded)


COMMITTEE_PROPOSAL = register(DocumentKind(
    key="committee_proposal", title=DocumentTemplate.Kind.COMMITTEE_PROPOSAL.label,
    required_fields=frozenset({"recipient", "counts_proposed", "proposed", "signer_name"}),
    context=committee_proposal_context,
    fetch=_fetch(Meeting.Kind.COMMITTEE, concluded=True),
    organisation=lambda meeting: meeting.organisation,
    file_name=lambda meeting: f"to-trinh-ban-chi-dao-{meeting.pk}",
    may_upload_signed=_may_upload_meeting_paper,
    size=lambda meeting: meeting.items.count(),
))

COMMITTEE_MINUTES = register(DocumentKind(
    key="committee_minutes", title=DocumentTemplate.Kind.COMMITTEE_MINUTES.label,
    required_fields=frozenset({"time_words", "place_of_meeting", "chair", "secretary", "items"}),
    context=committee_minutes_context, fetch=_fetch(Meeting.Kind.COMMITTEE),
    organisation=lambda meeting: meeting.organisation,
    file_name=lambda meeting: f"bien-ban-ban-chi-dao-{meeting.pk}",
    may_upload_signed=_may_upload_meeting_paper,
    # Each agenda item is a block of votes and remarks, about 40 ms as PDF (300 items took
    # 13 s): from 15 items the minutes are rendered by the worker.
    size=lambda meeting: meeting.items.count(), background_from=15, background_from_docx=300,
))

COUNCIL_MINUTES = register(DocumentKind(
    key="council_minutes", title=DocumentTemplate.Kind.COUNCIL_MINUTES.label,
    required_fields=frozenset({"time_words", "place_of_meeting", "chair", "secretary",
                               "quorum_text", "items"}),
    context=council_minutes_context, fetch=_fetch(Meeting.Kind.COUNCIL),
    organisation=lambda meeting: meeting.organisation,
    file_name=lambda meeting: f"bien-ban-hoi-dong-{meeting.pk}",
    may_upload_signed=_may_upload_meeting_paper,
    size=lambda meeting: meeting.items.count(), background_from=15, background_from_docx=300,
))
