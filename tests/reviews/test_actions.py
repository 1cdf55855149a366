"""Meetings from committee review to council vote: who can, who cannot, and what changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.pipeline import council_people, next_working_day, open_council, run_committee
from thidua.core.models import Activity
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Dossier, Nominee
from thidua.reviews import actions, disclosures, queries
from thidua.reviews.models import BallotBox, BallotReceipt, Disclosure, Meeting, MinutesRevision

pytestmark = pytest.mark.django_db


def item_for(meeting, name):
    return meeting.items.get(nominee__full_name=name)


def vote_all(meeting, choices):
    """choices: {username: {nominee name: choice}}"""
    people = {u.username: u for u in council_people().values()}
    for username, per_item in choices.items():
        for name, choice in per_item.items():
            actions.cast_vote(item_for(meeting, name), choice=choice, by=people[username])


# --- committee ----------------------------------------------------------------------------

def test_committee_review_moves_the_dossier_on(accepted, personas):
    run_committee(accepted, personas.dung, not_proposed={"Lục Thị Hoa"})
    dossier = Dossier.objects.get(pk=accepted.pk)
    assert dossier.state == Dossier.State.COMMITTEE_REVIEWED
    outcomes = dict(dossier.nominees.values_list("full_name", "committee_conclusion"))
    assert outcomes == {"Nguyễn Thị Lan": "propose", "Hoàng Văn Nam": "propose",
                        "Lục Thị Hoa": "not_propose"}
    assert Nominee.objects.get(full_name="Lục Thị Hoa").committee_reason == "Thành tích chưa nổi bật"
    minutes = MinutesRevision.objects.get(meeting__kind="committee")
    assert [i["conclusion"] for i in minutes.data["items"]].count("Đề nghị khen thưởng") == 2


def test_not_proposing_needs_a_reason(accepted, personas):
    meeting = actions.create_meeting(
        kind="committee", movement=accepted.movement, title="Họp", scheduled_at=timezone.now(),
        place="P1", chair=personas.dung, secretary=personas.dung,
        nominees=list(accepted.nominees.all()), by=personas.dung)
    meeting = actions.open_meeting(meeting, by=personas.dung)
    with pytest.raises(ValidationError, match="lý do"):
        actions.set_conclusion(meeting.items.first(), conclusion="not_propose", by=personas.dung)
    with pytest.raises(ValidationError, match="Chưa có kết luận"):
        actions.close_meeting(meeting, by=personas.dung)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.OPEN


@pytest.mark.parametrize("name", ["hanh", "tam", "mai", "khanh", "binh", "quy"])
def test_only_the_receiving_office_holds_the_committee(accepted, personas, name):
    with pytest.raises(PermissionDenied):
        actions.create_meeting(kind="committee", movement=accepted.movement, title="x",
                               scheduled_at=timezone.now(), place="x", chair=personas.dung,
                               secretary=personas.dung, nominees=list(accepted.nominees.all()),
                               by=getattr(personas, name))
    assert not Meeting.objects.exists()


def test_a_dossier_not_yet_accepted_cannot_be_put_on_the_agenda(draft, personas):
    with pytest.raises(ValidationError, match="Không đưa được"):
        actions.create_meeting(kind="committee", movement=draft.movement, title="x",
                               scheduled_at=timezone.now(), place="x", chair=personas.dung,
                               secretary=personas.dung, nominees=list(draft.nominees.all()),
                               by=personas.dung)


def test_forwarding_needs_a_proposed_nominee(accepted, personas):
    run_committee(accepted, personas.dung,
                  not_proposed={"Nguyễn Thị Lan", "Hoàng Văn Nam", "Lục Thị Hoa"})
    with pytest.raises(ValidationError, match="không đề nghị ai"):
        dossier_actions.forward_to_council(Dossier.objects.get(pk=accepted.pk), by=personas.dung)


# --- council ------------------------------------------------------------------------------

def test_council_votes_decide_each_nominee(council, personas):
    vote_all(council, {
        "chutich": {"Nguyễn Thị Lan": "agree", "Hoàng Văn Nam": "disagree"},
        "hoidong.pho": {"Nguyễn Thị Lan": "agree", "Hoàng Văn Nam": "disagree"},
        "hoidong": {"Nguyễn Thị Lan": "agree", "Hoàng Văn Nam": "agree"},
        "hoidong.yte": {"Nguyễn Thị Lan": "abstain", "Hoàng Văn Nam": "disagree"},
    })
    closed = actions.close_meeting(council, by=council_people()["chair"])
    assert closed.state == Meeting.State.CLOSED and closed.quorum_met
    lan = item_for(closed, "Nguyễn Thị Lan")
    assert (lan.agree, lan.disagree, lan.abstain, lan.base, lan.result) == (3, 0, 1, 4, "passed")
    nam = item_for(closed, "Hoàng Văn Nam")
    assert (nam.agree, nam.base, nam.result) == (1, 4, "failed")
    outcomes = dict(Nominee.objects.values_list("full_name", "council_outcome"))
    # The city chairman's Giấy khen is decided in the city.
    assert outcomes == {"Nguyễn Thị Lan": "approved_local", "Hoàng Văn Nam": "not_approved",
                        "Lục Thị Hoa": ""}
    assert "1/4" in Nominee.objects.get(full_name="Hoàng Văn Nam").outcome_reason
    assert Dossier.objects.get(pk=lan.nominee.dossier_id).state == Dossier.State.COUNCIL_REVIEWED
    minutes = MinutesRevision.objects.get(meeting=closed, number=1).data
    assert minutes["present"] == 4 and minutes["quorum_met"] is True
    assert {i["name"]: (i["agree"], i["result"]) for i in minutes["items"]} == {
        "Nguyễn Thị Lan": (3, "Đạt"), "Hoàng Văn Nam": (1, "Không đạt")}


def test_a_form_above_the_city_is_approved_for_a_proposal_upward(forwarded, personas):
    from thidua.rulesets.models import AwardForm

    province = AwardForm.objects.get(rule_set=forwarded.movement.rule_set,
                                     code="bang-khen-chu-tich-ubnd-tinh")
    Dossier.objects.filter(pk=forwarded.pk).update(award_form=province)
    meeting = open_council(Dossier.objects.get(pk=forwarded.pk), personas.mai)
    for user in council_people().values():
        if user.username != "noivu":
            for item in meeting.items.all():
                actions.cast_vote(item, choice="agree", by=user)
    actions.close_meeting(meeting, by=personas.mai)
    assert set(Nominee.objects.exclude(council_outcome="").values_list(
        "council_outcome", flat=True)) == {"approved_upward"}


def test_ballots_carry_no_member_and_receipts_no_choice(council):
    vote_all(council, {"hoidong": {"Nguyễn Thị Lan": "disagree"}})
    # No row per vote: only the item's counts.
    assert [f.name for f in BallotBox._meta.get_fields()] == ["id", "item", "agree", "disagree",
                                                             "abstain"]
    box = BallotBox.objects.get(item__nominee__full_name="Nguyễn Thị Lan")
    assert (box.agree, box.disagree, box.abstain) == (0, 1, 0)
    assert "choice" not in [f.name for f in BallotReceipt._meta.get_fields()]
    log = Activity.objects.get(verb="meeting.voted")
    assert "disagree" not in str(log.after) and "Không đồng ý" not in str(log.after)


def test_a_second_vote_by_the_same_member_is_refused(council):
    vote_all(council, {"hoidong": {"Nguyễn Thị Lan": "agree"}})
    with pytest.raises(ValidationError, match="chỉ bỏ một phiếu"):
        vote_all(council, {"hoidong": {"Nguyễn Thị Lan": "disagree"}})
    assert ballots_cast() == 1


def test_a_non_member_cannot_vote(council, personas):
    for user in [personas.khanh.__class__.objects.get(username="thanhtra"), personas.mai,
                 personas.hanh]:
        with pytest.raises(PermissionDenied):
            actions.cast_vote(council.items.first(), choice="agree", by=user)
    assert ballots_cast() == 0


def test_no_vote_after_the_meeting_is_closed(council):
    vote_all(council, {u: {"Nguyễn Thị Lan": "agree", "Hoàng Văn Nam": "agree"}
                       for u in ["chutich", "hoidong.pho", "hoidong"]})
    actions.close_meeting(council, by=council_people()["chair"])
    with pytest.raises(ValidationError, match="Chỉ bỏ phiếu khi phiên họp đang diễn ra"):
        vote_all(Meeting.objects.get(pk=council.pk), {"hoidong.yte": {"Nguyễn Thị Lan": "agree"}})
    assert ballots_cast() == 6


def test_an_absent_member_votes_in_writing_through_the_secretary(forwarded, personas):
    people = council_people()
    meeting = open_council(forwarded, personas.mai,
                           present=[people["chair"], people["vice"], people["member"]])
    health = meeting.members.get(user=people["health"])
    item = item_for(meeting, "Nguyễn Thị Lan")
    with pytest.raises(ValidationError, match="chưa được điểm danh"):
        actions.cast_vote(item, choice="agree", by=people["health"])
    with pytest.raises(PermissionDenied):
        actions.record_written_vote(item, member=health, choice="agree", by=people["member"])
    actions.record_written_vote(item, member=health, choice="agree", by=personas.mai)
    receipt = BallotReceipt.objects.get(member=health)
    assert receipt.written and receipt.recorded_by == personas.mai
    with pytest.raises(ValidationError, match="có mặt tại phiên họp"):
        actions.record_written_vote(item, member=meeting.members.get(user=people["member"]),
                                    choice="agree", by=personas.mai)


def test_without_quorum_nobody_votes_and_the_meeting_cannot_close(forwarded, personas):
    people = council_people()
    meeting = open_council(forwarded, personas.mai, present=[people["chair"], people["vice"]])
    item = meeting.items.first()
    # 2 of 4 present: two thirds of 4 needs 3.
    with pytest.raises(ValidationError, match=r"có mặt 2/4, cần từ 3 thành viên \(2/3 tổng số"):
        actions.cast_vote(item, choice="agree", by=people["chair"])
    with pytest.raises(ValidationError, match="chưa đủ số thành viên"):
        actions.record_written_vote(item, member=meeting.members.get(user=people["member"]),
                                    choice="agree", by=personas.mai)
    assert ballots_cast() == 0 and not BallotReceipt.objects.exists()
    with pytest.raises(ValidationError, match="không đủ số thành viên: có mặt 2/4"):
        actions.close_meeting(meeting, by=people["chair"])
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.OPEN and meeting.quorum_met is None
    assert not Nominee.objects.exclude(council_outcome="").exists()
    assert not MinutesRevision.objects.filter(meeting=meeting).exists()


def test_two_secretaries_closing_at_once_exactly_one_wins(council, personas):
    first_view = Meeting.objects.get(pk=council.pk)
    second_view = Meeting.objects.get(pk=council.pk)
    actions.close_meeting(first_view, by=personas.mai)
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        actions.close_meeting(second_view, by=council_people()["chair"])
    assert MinutesRevision.objects.filter(meeting=council).count() == 1


def _recused_vote(forwarded, personas):
    """Nga steps aside on Lan (same ward); chair and vice agree, Khánh disagrees."""
    from thidua.orgs import actions as org_actions
    from thidua.orgs.models import Organisation

    people = council_people()
    org_actions.grant_role(people["health"], Organisation.objects.get(code="phuong-song-cau"),
                           "viewer")
    meeting = open_council(forwarded, personas.mai)
    item = item_for(meeting, "Nguyễn Thị Lan")
    health = meeting.members.get(user=people["health"])
    assert health.pk in queries.conflicts(meeting)[item.pk]
    actions.recuse(item, member=health, reason="Cùng đơn vị với người được đề nghị",
                   by=people["health"])
    with pytest.raises(ValidationError, match="không biểu quyết"):
        actions.cast_vote(item, choice="agree", by=people["health"])
    for key in ["chair", "vice"]:
        actions.cast_vote(item, choice="agree", by=people[key])
    actions.cast_vote(item, choice="disagree", by=people["member"])
    return actions.close_meeting(meeting, by=personas.mai)


def test_conflicted_member_is_flagged_and_a_recused_member_stays_in_the_base(forwarded,
                                                                             personas):
    closed = _recused_vote(forwarded, personas)
    lan = item_for(closed, "Nguyễn Thị Lan")
    # The rule counts the members present; Nga is present: 2 of 4 is not more than half.
    assert lan.base == 4 and lan.result == "failed"
    assert lan.reckoning["attendance"]["recused_present"] == 1
    assert lan.reckoning["rule"]["recusals_leave_base"] is False
    minutes = MinutesRevision.objects.get(meeting=closed).data
    row = next(i for i in minutes["items"] if i["name"] == "Nguyễn Thị Lan")
    assert row["recusals"] == [{"member": "Triệu Thị Nga",
                                "reason": "Cùng đơn vị với người được đề nghị"}]
    assert (row["counted"], row["deducted"], row["needed"]) == (4, 0, "trên 2 (50% × 4)")
    assert "cần trên 2 (50% × 4)" in Nominee.objects.get(full_name="Nguyễn Thị Lan").outcome_reason


def test_recusals_leave_the_base_only_where_the_rule_set_says_so_and_it_is_flagged(forwarded,
                                                                                   personas):
    rule_set = forwarded.movement.rule_set
    rule_set.recusals_leave_base = True
    rule_set.unverified_fields = [*rule_set.unverified_fields, "recusals_leave_base"]
    rule_set.save(update_fields=["recusals_leave_base", "unverified_fields"])
    closed = _recused_vote(forwarded, personas)
    lan = item_for(closed, "Nguyễn Thị Lan")
    assert lan.base == 3 and lan.result == "passed"  # 2 of 3
    row = next(i for i in MinutesRevision.objects.get(meeting=closed).data["items"]
               if i["name"] == "Nguyễn Thị Lan")
    assert (row["counted"], row["deducted"], row["deduction_unverified"]) == (4, 1, True)


def test_a_member_who_voted_cannot_recuse_afterwards(council):
    people = council_people()
    item = item_for(council, "Nguyễn Thị Lan")
    actions.cast_vote(item, choice="agree", by=people["member"])
    with pytest.raises(ValidationError, match="Đã bỏ phiếu"):
        actions.recuse(item, member=council.members.get(user=people["member"]), reason="x",
                       by=people["member"])


# --- disclosure ---------------------------------------------------------------------------

def _require_disclosure(dossier, days=10):
    form = dossier.award_form
    form.disclosure_working_days = days
    form.save(update_fields=["disclosure_working_days"])


def test_a_meeting_before_the_disclosure_period_ends_is_refused(forwarded, personas):
    _require_disclosure(forwarded)
    people = council_people()
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    kwargs = {"kind": "council", "movement": forwarded.movement, "title": "Hội đồng",
              "place": "HT", "chair": people["chair"], "secretary": personas.mai,
              "nominees": nominees,
              "members": [(people["chair"], "chair"), (people["member"], "member")],
              "by": personas.mai}
    with pytest.raises(ValidationError, match="chưa được công khai"):
        actions.create_meeting(scheduled_at=timezone.now() + timedelta(days=30), **kwargs)
    today = timezone.localdate()
    disclosures.publish_disclosure(movement=forwarded.movement, nominees=nominees, starts_on=today,
                               ends_on=next_working_day(12), title="Công khai", by=personas.mai)
    too_early = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError, match="chưa đủ 10 ngày làm việc"):
        actions.create_meeting(scheduled_at=too_early, **kwargs)
    assert not Meeting.objects.filter(kind="council").exists()
    on_time = timezone.make_aware(timezone.datetime.combine(next_working_day(10),
                                                            timezone.datetime.min.time()))
    assert actions.create_meeting(scheduled_at=on_time + timedelta(hours=8), **kwargs).pk


def test_a_disclosure_shorter_than_the_rule_is_refused(forwarded, personas):
    _require_disclosure(forwarded)
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="từ 10 ngày làm việc"):
        disclosures.publish_disclosure(movement=forwarded.movement, nominees=nominees,
                                   starts_on=today, ends_on=today + timedelta(days=3),
                                   title="x", by=personas.mai)
    assert not Disclosure.objects.exists()


def test_objections_reach_the_agenda_and_the_minutes(forwarded, personas):
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    today = timezone.localdate()
    disclosure = disclosures.publish_disclosure(movement=forwarded.movement, nominees=nominees,
                                            starts_on=today, ends_on=next_working_day(12),
                                            title="Công khai", by=personas.mai)
    lan = next(n for n in nominees if n.full_name == "Nguyễn Thị Lan")
    disclosures.submit_objection(disclosure, nominee=lan, name="Nguyễn Văn Dân",
                             contact="0912345678", text="Đề nghị xem xét lại thời gian trực chốt.")
    with pytest.raises(ValidationError, match="họ tên"):
        disclosures.submit_objection(disclosure, nominee=lan, name="", contact="", text="x")
    meeting = open_council(forwarded, personas.mai)
    for user in [council_people()[k] for k in ["chair", "vice", "member"]]:
        for item in meeting.items.all():
            actions.cast_vote(item, choice="agree", by=user)
    closed = actions.close_meeting(meeting, by=personas.mai)
    data = MinutesRevision.objects.get(meeting=closed).data
    row = next(i for i in data["items"] if i["name"] == "Nguyễn Thị Lan")
    assert row["objections"][0]["text"] == "Đề nghị xem xét lại thời gian trực chốt."
    assert "0912345678" not in str(data)  # contact details are not copied into the minutes


# --- minutes ------------------------------------------------------------------------------

def test_minutes_are_locked_and_a_correction_is_a_new_revision(council, personas):
    vote_all(council, {u: {"Nguyễn Thị Lan": "agree", "Hoàng Văn Nam": "agree"}
                       for u in ["chutich", "hoidong.pho", "hoidong"]})
    closed = actions.close_meeting(council, by=personas.mai)
    with pytest.raises(ValidationError, match="lý do"):
        actions.correct_minutes(closed, notes="x", reason=" ", by=personas.mai)
    revision = actions.correct_minutes(closed, notes="Bổ sung: ông Khánh đến muộn 10 phút.",
                                       reason="Thư ký bổ sung diễn biến", by=personas.mai)
    assert revision.number == 2
    first = MinutesRevision.objects.get(meeting=closed, number=1)
    assert first.data["notes"] == "" and revision.data["notes"].startswith("Bổ sung")
    assert revision.data["items"] == first.data["items"]
    with pytest.raises(PermissionDenied):
        actions.correct_minutes(closed, notes="x", reason="y", by=personas.hanh)


# --- what the review of this app found --------------------------------------------------------

def test_a_member_who_voted_cannot_be_marked_absent(council, personas):
    people = council_people()
    actions.cast_vote(council.items.first(), choice="agree", by=people["member"])
    everyone_but = {people[k].pk for k in ["chair", "vice", "health"]}
    with pytest.raises(ValidationError, match="không thể bị điểm danh vắng"):
        actions.set_attendance(council, present_user_ids=everyone_but, by=personas.mai)
    assert council.members.get(user=people["member"]).present


def test_written_ballots_are_refused_where_the_rule_set_does_not_count_them(forwarded, personas):
    people = council_people()
    rule_set = forwarded.movement.rule_set
    rule_set.written_votes_count = False
    rule_set.save(update_fields=["written_votes_count"])
    meeting = open_council(forwarded, personas.mai,
                           present=[people["chair"], people["vice"], people["member"]])
    with pytest.raises(ValidationError, match="không được tính"):
        actions.record_written_vote(meeting.items.first(),
                                    member=meeting.members.get(user=people["health"]),
                                    choice="agree", by=personas.mai)
    assert ballots_cast() == 0


def test_a_meeting_cannot_open_before_its_day(forwarded, personas):
    people = council_people()
    meeting = actions.create_meeting(
        kind="council", movement=forwarded.movement, title="Họp sớm",
        scheduled_at=timezone.now() + timedelta(days=7), place="HT", chair=people["chair"],
        secretary=personas.mai, nominees=list(forwarded.nominees.filter(
            committee_conclusion="propose")), members=[(people["chair"], "chair")],
        by=personas.mai)
    with pytest.raises(ValidationError, match="chưa thể khai mạc"):
        actions.open_meeting(meeting, by=personas.mai)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PLANNED


def test_a_disclosure_cannot_be_backdated_or_counted_from_a_weekend(forwarded, personas):
    _require_disclosure(forwarded)
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="lùi ngày"):
        disclosures.publish_disclosure(movement=forwarded.movement, nominees=nominees,
                                   starts_on=today - timedelta(days=40),
                                   ends_on=today + timedelta(days=20), title="x", by=personas.mai)
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    thursday_after_next = saturday + timedelta(days=12)  # 9 working days
    with pytest.raises(ValidationError, match="từ 10 ngày làm việc"):
        disclosures.publish_disclosure(movement=forwarded.movement, nominees=nominees,
                                   starts_on=saturday, ends_on=thursday_after_next, title="x",
                                   by=personas.mai)


def test_a_meeting_without_quorum_can_be_adjourned_and_its_nominees_released(forwarded,
                                                                            personas):
    people = council_people()
    meeting = open_council(forwarded, personas.mai, present=[people["chair"]])
    with pytest.raises(ValidationError, match="lý do"):
        actions.adjourn_meeting(meeting, reason=" ", by=personas.mai)
    adjourned = actions.adjourn_meeting(meeting, reason="Không đủ số thành viên", by=personas.mai)
    assert adjourned.state == Meeting.State.CLOSED
    assert set(adjourned.items.values_list("result", flat=True)) == {"no_quorum"}
    assert not Nominee.objects.exclude(council_outcome="").exists()
    assert {n.full_name for n in queries.council_candidates(forwarded.movement)} == {
        "Nguyễn Thị Lan", "Hoàng Văn Nam"}
    minutes = MinutesRevision.objects.get(meeting=adjourned)
    assert "Không đủ số thành viên" in minutes.data["notes"]


def test_no_vote_on_a_withdrawn_dossier(council, forwarded, personas):
    dossier_actions.withdraw_dossier(Dossier.objects.get(pk=forwarded.pk), reason="Rút",
                                     by=personas.tam)
    with pytest.raises(ValidationError, match="đã được rút"):
        actions.cast_vote(council.items.first(), choice="agree", by=council_people()["chair"])
    assert ballots_cast() == 0


def test_objection_handling_is_written_once_and_not_after_closing(forwarded, personas):
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=nominees, starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Công khai", by=personas.mai)
    objection = disclosures.submit_objection(disclosure, nominee=nominees[0], name="A",
                                         contact="0900", text="Ý kiến")
    meeting = open_council(forwarded, personas.mai)
    disclosures.record_objection_handling(objection, meeting=meeting, handling="Đã xác minh",
                                      by=personas.mai)
    with pytest.raises(ValidationError, match="đã có kết quả"):
        disclosures.record_objection_handling(objection, meeting=meeting, handling="Khác",
                                          by=personas.mai)
    objection.refresh_from_db()
    assert objection.handling == "Đã xác minh"


def ballots_cast(item=None) -> int:
    boxes = BallotBox.objects.filter(item=item) if item is not None else BallotBox.objects.all()
    return sum(box.total for box in boxes)


def test_every_ballot_box_exists_empty_before_the_first_vote(council):
    boxes = BallotBox.objects.filter(item__meeting=council)
    assert boxes.count() == council.items.count() == 2
    assert ballots_cast() == 0
    vote_all(council, {"hoidong": {"Nguyễn Thị Lan": "abstain"}})
    assert BallotBox.objects.count() == 2 and ballots_cast() == 1


# --- the meeting's workflow -------------------------------------------------------------------

def test_closing_the_meetings_moves_the_dossier_in_the_name_of_who_closed_them(accepted,
                                                                               personas):
    committee = run_committee(accepted, personas.dung, not_proposed={"Lục Thị Hoa"})
    dossier = Dossier.objects.get(pk=accepted.pk)
    row = Activity.objects.for_object(dossier).get(verb="dossier.conclude_committee")
    assert row.actor == personas.dung
    assert row.after["cause"] == str(committee)
    forwarded = dossier_actions.forward_to_council(dossier, by=personas.dung)
    council = open_council(forwarded, personas.mai)
    vote_all(council, {u: {"Nguyễn Thị Lan": "agree", "Hoàng Văn Nam": "agree"}
                       for u in ["chutich", "hoidong.pho", "hoidong"]})
    chair = council_people()["chair"]
    actions.close_meeting(council, by=chair)
    row = Activity.objects.for_object(dossier).get(verb="dossier.conclude_council")
    assert row.actor == chair
    assert row.after["cause"] == str(council)
    assert not Activity.objects.filter(verb__startswith="dossier.conclude",
                                       actor__isnull=True).exists()


def test_each_move_of_a_meeting_is_logged_with_its_transition(accepted, personas):
    meeting = run_committee(accepted, personas.dung)
    log = list(Activity.objects.for_object(meeting).filter(
        verb__in=["meeting.open", "meeting.close"]).order_by("pk")
        .values_list("verb", "actor", "before", "after"))
    assert log == [
        ("meeting.open", personas.dung.pk, {"state": "planned"}, {"state": "open"}),
        ("meeting.close", personas.dung.pk, {"state": "open"}, {"state": "closed"}),
    ]


def test_a_closed_meeting_cannot_be_opened_or_adjourned(accepted, personas):
    meeting = run_committee(accepted, personas.dung)
    with pytest.raises(ValidationError, match="phiên họp đang ở trạng thái “Đã kết thúc”"):
        actions.open_meeting(meeting, by=personas.dung)
    with pytest.raises(ValidationError, match="phiên họp đang ở trạng thái"):
        actions.adjourn_meeting(meeting, reason="Hoãn", by=personas.dung)
    assert not Activity.objects.filter(verb="meeting.adjourn").exists()


def test_only_those_who_run_it_open_or_adjourn_a_meeting(forwarded, personas):
    people = council_people()
    meeting = actions.create_meeting(
        kind="council", movement=forwarded.movement, title="Hội đồng", scheduled_at=timezone.now(),
        place="HT", chair=people["chair"], secretary=personas.mai,
        nominees=list(forwarded.nominees.filter(committee_conclusion="propose")),
        members=[(people["chair"], "chair"), (people["member"], "member")], by=personas.mai)
    for user in [people["member"], personas.dung, personas.hanh]:
        with pytest.raises(PermissionDenied):
            actions.open_meeting(meeting, by=user)
        with pytest.raises(PermissionDenied):
            actions.adjourn_meeting(meeting, reason="Hoãn", by=user)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PLANNED
    assert actions.open_meeting(meeting, by=personas.mai).state == Meeting.State.OPEN


def test_the_meetings_messages_follow_the_language():
    from django.utils.functional import Promise

    assert isinstance(actions.STALE, Promise) and isinstance(actions.REFUSED, Promise)
    from django.utils import translation

    with translation.override("en"):
        assert str(actions.REFUSED).startswith("Cannot do this")
    with translation.override("vi"):
        assert str(actions.REFUSED).startswith("Không thực hiện được")
