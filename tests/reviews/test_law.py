"""Whom the ratio is taken of, and the quorum as an exact fraction — in the result, on the meeting
page and in the minutes (issue 10, items 1 and 2).

Decree 98/2023 Art. 30 counts "tổng số thành viên Hội đồng": a member who steps aside still
counts. A rule set may say otherwise; then every place where it acts says so, flagged while
unverified. The minutes print the ratio that was used and the arithmetic it gave, and nothing
they print contradicts their own sentence.
"""

import re
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from tests.pipeline import council_people, open_council
from tests.reading import docx_parts, pdf_text
from thidua.nominations.models import Dossier, Nominee
from thidua.orgs.models import User
from thidua.reviews import actions
from thidua.reviews.models import AgendaItem, Meeting
from thidua.rulesets.models import AwardForm
from thidua.rulesets.ratios import parse_ratio

pytestmark = pytest.mark.django_db

UNVERIFIED = "quy định này là giá trị mặc định chưa được đối chiếu văn bản pháp lý"


def council_of(forwarded, secretary, size, present=None):
    """A council of ``size`` members (the demo's four and new ones), the first ``present`` of
    them in the room (all by default)."""
    people = council_people()
    roles = [(people["chair"], "chair"), (people["vice"], "vice_chair"),
             (people["member"], "member"), (people["health"], "member")]
    roles += [(User.objects.create_user(f"thanhvien{i}", full_name=f"Thành viên số {i}"),
               "member") for i in range(1, size - 3)]
    users = [user for user, _role in roles]
    meeting = open_council(Dossier.objects.get(pk=forwarded.pk), secretary, members=roles,
                           present=users if present is None else users[:present])
    return meeting, users


def rule_of_all_members(forwarded, ratio="9/10", comparison="at_least"):
    """The form on the agenda takes the Decree 98 rule for emulation fighters: at least 90 % of
    all members of the council (a verified value)."""
    AwardForm.objects.filter(pk=forwarded.award_form_id).update(
        vote_threshold=ratio, vote_comparison=comparison, vote_base="all", unverified_fields=[])


def let_recusals_leave_the_base(forwarded, verified=False):
    rule_set = forwarded.movement.rule_set
    rule_set.recusals_leave_base = True
    if not verified:
        rule_set.unverified_fields = [*rule_set.unverified_fields, "recusals_leave_base"]
    rule_set.save(update_fields=["recusals_leave_base", "unverified_fields"])


def vote(meeting, users, lan_choices, nam_choice="agree", recused=()):
    """Lan: ``recused`` users step aside, the others vote ``lan_choices`` in order; Nam: all
    agree."""
    lan = meeting.items.get(nominee__full_name="Nguyễn Thị Lan")
    nam = meeting.items.get(nominee__full_name="Hoàng Văn Nam")
    for user in recused:
        actions.recuse(lan, member=meeting.members.get(user=user), reason="Cùng đơn vị",
                       by=user)
    voters = [u for u in users if u not in recused]
    for user, choice in zip(voters, lan_choices, strict=False):
        actions.cast_vote(lan, choice=choice, by=user)
    for user in users:
        if meeting.members.get(user=user).present:
            actions.cast_vote(nam, choice=nam_choice, by=user)
    return actions.close_meeting(meeting, by=council_people()["secretary"])


# --- the minutes agree with themselves --------------------------------------------------------

RESULT = re.compile(r"(Đạt|Không đạt) \((\d+)/(\d+), cần ([≥>]) (\d+%|\d+/\d+) × (\d+) = (.+)\)")


def read_number(text: str) -> Fraction:
    if match := re.fullmatch(r"(\d+)/(\d+) \(≈ [\d,]+\)", text):
        return Fraction(int(match[1]), int(match[2]))
    return Fraction(text.replace(",", "."))


def assert_minutes_agree_with_themselves(meeting):
    """Every result printed in the council minutes (DOCX and PDF) follows from the numbers
    printed beside it, and its base is the one the rule's sentence names."""
    body, tables = docx_parts(_docx(meeting))
    total = meeting.members.count()
    rules = dict(re.findall(r"^- (.+?): (.+);$", body, flags=re.M))
    votes = tables[2]
    assert len(votes) > 1
    for row in votes[1:]:
        match = RESULT.fullmatch(row[6])
        assert match, row[6]
        result, agree, base, sign, ratio, base_again, needed = match.groups()
        agree, base = int(agree), int(base)
        assert int(base_again) == base
        assert parse_ratio(ratio) * base == read_number(needed), row[6]
        passes = agree >= read_number(needed) if sign == "≥" else agree > read_number(needed)
        assert (result == "Đạt") == passes, row[6]
        sentence = rules[row[2]]
        assert ratio in sentence
        assert sentence.startswith("từ" if sign == "≥" else "trên")
        if "tổng số thành viên Hội đồng" in sentence and "không tính" not in sentence:
            assert base == total, (sentence, row[6])
    text = pdf_text(_pdf(meeting))
    for row in votes[1:]:
        assert row[6].split(" (")[1].split(",")[0] in text  # "9/11" printed in the PDF too


def _docx(meeting):
    from thidua.documents.render import render_kind_docx

    return render_kind_docx("council_minutes", Meeting.objects.get(pk=meeting.pk))


def _pdf(meeting):
    from thidua.documents.render import render_pdf

    return render_pdf("council_minutes", Meeting.objects.get(pk=meeting.pk))


# --- item 1: the base -------------------------------------------------------------------------

def test_nine_of_eleven_with_one_recusal_is_not_ninety_percent_of_all_members(
        forwarded, personas, client_for):
    rule_of_all_members(forwarded)
    meeting, users = council_of(forwarded, personas.mai, 11)
    closed = vote(meeting, users, ["agree"] * 9 + ["disagree"], recused=[users[10]])
    lan = closed.items.get(nominee__full_name="Nguyễn Thị Lan")
    assert (lan.agree, lan.base, lan.result) == (9, 11, AgendaItem.Result.FAILED)
    assert lan.reckoning["attendance"]["recused_members"] == 1
    assert Nominee.objects.get(full_name="Nguyễn Thị Lan").outcome_reason == (
        "Không đạt tỷ lệ phiếu: 9/11 đồng ý, cần từ 9,9 trở lên (90% × 11).")

    page = client_for(personas.mai).get(f"/hop/{closed.pk}/").content.decode()
    assert ("Quy định: từ 90% tổng số thành viên Hội đồng trở lên; cần từ 9,9 trở lên "
            "(90% × 11).") in page
    assert 'data-testid="deduction"' not in page
    assert "vẫn được tính vào số thành viên làm căn cứ tính tỷ lệ phiếu" in page

    body, tables = docx_parts(_docx(closed))
    assert "- Giấy khen của Chủ tịch UBND thành phố: từ 90% trở lên tổng số thành viên Hội đồng;" \
        in body
    assert tables[2][1][6] == "Không đạt (9/11, cần ≥ 90% × 11 = 9,9)"
    assert ("Đối với Nguyễn Thị Lan: tỷ lệ tính trên 11 thành viên, là 11 thành viên Hội đồng, "
            "kể cả 1 thành viên không tham gia biểu quyết.") in body
    assert_minutes_agree_with_themselves(closed)


def test_where_the_rule_set_lets_recusals_leave_the_base_every_place_says_so(
        forwarded, personas, client_for):
    rule_of_all_members(forwarded)
    let_recusals_leave_the_base(forwarded)
    meeting, users = council_of(forwarded, personas.mai, 11)
    client = client_for(personas.mai)
    lan = meeting.items.get(nominee__full_name="Nguyễn Thị Lan")
    actions.recuse(lan, member=meeting.members.get(user=users[10]), reason="Cùng đơn vị",
                   by=users[10])
    page = client.get(f"/hop/{meeting.pk}/").content.decode()
    rule = page[page.index('data-testid="recusal-rule"'):]
    assert rule.index("được trừ khỏi số thành viên") < rule.index("mặc định chưa kiểm chứng")
    item = page[page.index(f'id="item-{lan.pk}"'):page.index("</li>", page.index(
        f'id="item-{lan.pk}"'))]
    assert "thành viên không tham gia biểu quyết được trừ khỏi số tính tỷ lệ" in item
    assert "mặc định chưa kiểm chứng" in item  # where it acts: the item with a recusal

    closed = vote(meeting, users, ["agree"] * 9 + ["disagree"])
    lan = closed.items.get(nominee__full_name="Nguyễn Thị Lan")
    assert (lan.base, lan.result) == (10, AgendaItem.Result.PASSED)

    page = client.get(f"/hop/{closed.pk}/").content.decode()
    deduction = page[page.index('data-testid="deduction"'):]
    assert deduction.startswith('data-testid="deduction">Tính trên 10 = 11 trừ 1 thành viên không')
    assert deduction.index("mặc định chưa kiểm chứng") < deduction.index("</div>")
    minutes_page = client.get(f"/hop/{closed.pk}/bien-ban/").content.decode()
    assert "Tính trên 10 = 11 trừ 1 thành viên không tham gia biểu quyết" in minutes_page

    body, tables = docx_parts(_docx(closed))
    assert ("từ 90% trở lên tổng số thành viên Hội đồng, không tính thành viên không tham gia "
            f"biểu quyết (theo bộ quy tắc áp dụng; {UNVERIFIED});") in body
    assert tables[2][1][6] == "Đạt (9/10, cần ≥ 90% × 10 = 9)"
    assert ("Đối với Nguyễn Thị Lan: tỷ lệ tính trên 10 thành viên, là 11 thành viên Hội đồng "
            f"trừ 1 thành viên không tham gia biểu quyết, theo bộ quy tắc áp dụng ({UNVERIFIED}).") \
        in body
    assert UNVERIFIED in pdf_text(_pdf(closed))
    assert_minutes_agree_with_themselves(closed)


@pytest.mark.parametrize("base", ["all", "present"])
@pytest.mark.parametrize("leave", [False, True])
def test_the_minutes_never_contradict_their_sentence(forwarded, personas, base, leave):
    AwardForm.objects.filter(pk=forwarded.award_form_id).update(
        vote_threshold="2/3", vote_comparison="at_least", vote_base=base)
    if leave:
        let_recusals_leave_the_base(forwarded, verified=True)
    meeting, users = council_of(forwarded, personas.mai, 7, present=6)
    vote(meeting, users[:6], ["agree", "agree", "agree", "disagree"], recused=[users[5]])
    assert_minutes_agree_with_themselves(meeting)


def test_the_minutes_print_the_rule_used_even_after_the_rule_set_changes(forwarded, personas):
    rule_of_all_members(forwarded)
    meeting, users = council_of(forwarded, personas.mai, 11)
    closed = vote(meeting, users, ["agree"] * 10, recused=[users[10]])
    before = docx_parts(_docx(closed))
    AwardForm.objects.filter(pk=forwarded.award_form_id).update(vote_threshold="1/2",
                                                                vote_base="present")
    rule_set = forwarded.movement.rule_set
    rule_set.quorum, rule_set.recusals_leave_base = Fraction(3, 4), True
    rule_set.save()
    assert docx_parts(_docx(closed)) == before
    assert "Đạt (10/11, cần ≥ 90% × 11 = 9,9)" in [row[6] for row in before[1][2]]


def test_results_kept_before_the_rule_was_stored_print_consistently(forwarded, personas):
    rule_of_all_members(forwarded)
    meeting, users = council_of(forwarded, personas.mai, 11)
    closed = vote(meeting, users, ["agree"] * 10, recused=[users[10]])
    AgendaItem.objects.filter(meeting=closed).update(reckoning={})
    Meeting.objects.filter(pk=closed.pk).update(quorum_rule={})
    assert_minutes_agree_with_themselves(closed)


# --- item 2: the quorum is two thirds, exactly -------------------------------------------------

def test_six_of_nine_members_is_a_quorum_and_five_is_not(forwarded, personas, client_for):
    meeting, users = council_of(forwarded, personas.mai, 9, present=5)
    client = client_for(personas.mai)
    page = client.get(f"/hop/{meeting.pk}/").content.decode()
    quorum = page[page.index('data-testid="quorum"'):]
    assert ("Phiên họp hợp lệ khi có mặt từ 2/3 tổng số thành viên trở lên, tức có mặt từ 6 "
            "trong số 9 thành viên trở lên.") in quorum
    assert "Chưa đủ số thành viên: 5/9 có mặt." in quorum
    assert "không bỏ phiếu được (kể cả ghi phiếu bằng văn bản)" in quorum
    assert quorum.index("mặc định chưa kiểm chứng") < quorum.index("Chưa đủ")
    lan = meeting.items.get(nominee__full_name="Nguyễn Thị Lan")
    vote_url = f"/hop/{meeting.pk}/muc/{lan.pk}/bo-phieu/"
    written_url = f"/hop/{meeting.pk}/muc/{lan.pk}/phieu-van-ban/"
    assert written_url not in page  # no written ballot is taken either
    assert f"/hop/{meeting.pk}/ket-thuc/" not in page  # nor can the meeting close
    member_page = client_for(users[0]).get(f"/hop/{meeting.pk}/").content.decode()
    assert vote_url not in member_page
    assert "Chưa đủ số thành viên có mặt: chưa bỏ phiếu được." in member_page
    with pytest.raises(ValidationError, match=r"có mặt 5/9, cần từ 6 thành viên \(2/3"):
        actions.cast_vote(lan, choice="agree", by=users[0])
    response = client_for(users[0]).post(vote_url, {"choice": "agree"}, follow=True)
    assert "Chưa thể bỏ phiếu." in response.content.decode()
    assert lan.ballot_box.total == 0

    actions.set_attendance(meeting, present_user_ids={u.pk for u in users[:6]}, by=personas.mai)
    page = client.get(f"/hop/{meeting.pk}/").content.decode()
    assert "Đủ số thành viên: 6/9 có mặt." in page and written_url in page
    assert f"/hop/{meeting.pk}/ket-thuc/" in page
    assert vote_url in client_for(users[0]).get(f"/hop/{meeting.pk}/").content.decode()
    closed = vote(Meeting.objects.get(pk=meeting.pk), users[:6], ["agree"] * 6)
    assert closed.quorum_met is True
    assert closed.quorum_rule == {"quorum": "2/3", "unverified": True, "members": 9,
                                  "present": 6}
    body, _tables = docx_parts(_docx(closed))
    assert ("Có mặt 6/9 thành viên Hội đồng, đạt tỷ lệ tối thiểu 2/3 tổng số thành viên theo "
            "quy định (có mặt từ 6 trong số 9 thành viên trở lên)") in body
    assert "66,67" not in body.split("II. NỘI DUNG")[0].replace("(66,67%)", "")


def test_a_form_of_the_rule_set_shows_its_rule_with_the_exact_ratio(forwarded, personas,
                                                                    client_for):
    rule_of_all_members(forwarded, ratio="2/3", comparison="more_than")
    meeting, _users = council_of(forwarded, personas.mai, 4)
    page = client_for(personas.mai).get(f"/hop/{meeting.pk}/").content.decode()
    assert "Cần: trên 2/3 tổng số thành viên Hội đồng." in page
