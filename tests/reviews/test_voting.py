"""Quorum and threshold arithmetic: any council and ballot set gives the result of a reference
written with fractions.Fraction in the rule's own words (issue 10, items 1 and 2)."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from thidua.reviews.voting import (
    Attendance,
    Quorum,
    Tally,
    VoteRule,
    decide,
    has_quorum,
    quorum_needed,
    vote_base,
)
from thidua.rulesets.ratios import ratio_text

# Ratios as rule sets hold them: whole percentages and small fractions (2/3, 3/4, 4/5 …).
ratios = st.one_of(
    st.integers(min_value=1, max_value=100).map(lambda p: Fraction(p, 100)),
    st.integers(min_value=1, max_value=12).flatmap(
        lambda d: st.integers(min_value=1, max_value=d).map(lambda n: Fraction(n, d))),
)

rules = st.builds(
    VoteRule,
    threshold=st.one_of(st.none(), ratios),
    comparison=st.sampled_from(["at_least", "more_than"]),
    base=st.sampled_from(["present", "all"]),
    recusals_leave_base=st.booleans(),
    written_votes_count=st.booleans(),
)


@st.composite
def councils(draw):
    members = draw(st.integers(min_value=1, max_value=40))
    present = draw(st.integers(min_value=0, max_value=members))
    written = draw(st.integers(min_value=0, max_value=members - present))
    recused_present = draw(st.integers(min_value=0, max_value=present))
    recused_members = recused_present + draw(
        st.integers(min_value=0, max_value=members - present - written))
    voters = present + written - recused_present
    agree = draw(st.integers(min_value=0, max_value=voters))
    disagree = draw(st.integers(min_value=0, max_value=voters - agree))
    abstain = voters - agree - disagree
    return (Attendance(members=members, present=present, written=written,
                       recused_members=recused_members, recused_present=recused_present),
            Tally(agree, disagree, abstain))


# --- the reference: the rule's words, read with fractions ------------------------------------

def reference_base(rule, a: Attendance) -> int:
    """"Tổng số thành viên Hội đồng" is every member — a recused one too; "số thành viên dự
    họp" is those present (and the written ballots, where they count). Only a rule set that
    says so takes recused members out."""
    if rule.base == "all":
        words = a.members
        leaving = a.recused_members
    else:
        words = a.present + (a.written if rule.written_votes_count else 0)
        leaving = a.recused_present
    return words - (leaving if rule.recusals_leave_base else 0)


def reference_passes(rule, agree, base) -> bool:
    """The share of agree votes in the base, compared with the ratio as the law words it."""
    if base == 0:
        return False
    share = Fraction(agree, base)
    if rule.threshold is None:  # no legal ratio: more than half
        return share > Fraction(1, 2)
    if rule.comparison == "at_least":
        return share >= rule.threshold
    return share > rule.threshold


def reference_quorum(present, members, quorum) -> bool:
    return members > 0 and Fraction(present, members) >= quorum


@given(rules, councils())
def test_any_ballot_set_gives_the_reference_result(rule, council):
    attendance, tally = council
    base = vote_base(rule, attendance)
    assert base == reference_base(rule, attendance)
    outcome = decide(rule, tally, attendance)
    assert outcome.base == base
    assert outcome.passed == reference_passes(rule, tally.agree, base)
    # What the page and the minutes print is the arithmetic that decided: ratio × base.
    assert outcome.needed == rule.ratio * outcome.base
    assert outcome.counted - outcome.deducted == outcome.base
    if not rule.recusals_leave_base:
        assert outcome.deducted == 0
    if rule.base == "all" and not rule.recusals_leave_base:
        assert outcome.base == attendance.members  # "all members" means all of them


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=60), ratios)
def test_quorum_is_the_exact_fraction(present, members, quorum):
    present = min(present, members)
    assert has_quorum(present, members, quorum) == reference_quorum(present, members, quorum)
    needed = quorum_needed(members, quorum)
    assert reference_quorum(needed, members, quorum)
    assert needed == 0 or not reference_quorum(needed - 1, members, quorum)
    state = Quorum(quorum, members, present)
    assert state.met == (present >= needed)


@given(rules)
def test_a_rule_kept_with_a_result_reads_back_the_same(rule):
    assert VoteRule.from_data(rule.as_data()) == rule


@given(councils())
def test_attendance_kept_with_a_result_reads_back_the_same(council):
    attendance, _tally = council
    assert Attendance.from_data(attendance.as_data()) == attendance


def test_two_thirds_of_nine_members_is_six():
    two_thirds = Fraction(2, 3)
    assert has_quorum(6, 9, two_thirds) and quorum_needed(9, two_thirds) == 6
    assert not has_quorum(5, 9, two_thirds)
    # 67 % — the rounded figure the rule sets held before — would have refused 6 of 9.
    assert not has_quorum(6, 9, Fraction(67, 100))
    assert ratio_text(two_thirds) == "2/3"


def rule(threshold, comparison="at_least", base="all", recusals_leave_base=False):
    ratio = None if threshold is None else Fraction(threshold, 100)
    return VoteRule(ratio, comparison, base, recusals_leave_base=recusals_leave_base,
                    written_votes_count=True)


def everyone(members):
    return Attendance(members=members, present=members)


def test_a_recused_member_stays_in_the_all_members_base():
    # 11 members, one steps aside, 9 of the other 10 agree: 9/11 is under 90 % of all members.
    council = Attendance(members=11, present=11, recused_members=1, recused_present=1)
    outcome = decide(rule(90), Tally(9, 1, 0), council)
    assert (outcome.base, outcome.deducted, outcome.needed, outcome.passed) == (
        11, 0, Fraction(99, 10), False)
    # Only a rule set that lets recusals leave the base computes on 10 (and it is flagged).
    leaving = decide(rule(90, recusals_leave_base=True), Tally(9, 1, 0), council)
    assert (leaving.base, leaving.deducted, leaving.passed) == (10, 1, True)


def test_a_recused_member_present_stays_in_the_present_base():
    council = Attendance(members=5, present=4, recused_members=1, recused_present=1)
    majority = rule(50, "more_than", "present")
    assert decide(majority, Tally(2, 1, 0), council).base == 4  # 2 of 4 is not more than half
    assert not decide(majority, Tally(2, 1, 0), council).passed
    assert decide(rule(50, "more_than", "present", recusals_leave_base=True), Tally(2, 1, 0),
                  council).passed


def test_ninety_percent_of_seven_needs_all_seven():
    # 90 % of 7 is 6.3: six votes are not enough, whatever rounding a spreadsheet would do.
    assert not decide(rule(90), Tally(6, 1, 0), everyone(7)).passed
    assert decide(rule(90), Tally(7, 0, 0), everyone(7)).passed


def test_eighty_percent_of_ten_is_reached_with_eight():
    assert decide(rule(80), Tally(8, 2, 0), everyone(10)).passed
    assert not decide(rule(80), Tally(7, 3, 0), everyone(10)).passed


def test_simple_majority_is_more_than_half():
    majority = rule(50, "more_than", "present")
    assert not decide(majority, Tally(2, 2, 0), everyone(4)).passed
    assert decide(majority, Tally(3, 1, 0), everyone(4)).passed
    assert decide(rule(None), Tally(3, 2, 0), everyone(5)).passed


def test_no_voters_means_not_passed():
    assert not decide(rule(50, "more_than", "present"), Tally(0, 0, 0),
                      Attendance(members=3, present=0)).passed
