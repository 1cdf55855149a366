"""Threshold arithmetic: any ballot set gives the same result as a plain reference computation."""

from hypothesis import given
from hypothesis import strategies as st

from thidua.reviews.voting import Tally, VoteRule, decide, has_quorum, vote_base


def reference_passes(threshold, comparison, agree, base):
    """The rule as a council secretary would check it on paper, in integers only."""
    if base == 0:
        return False
    if threshold is None:  # no legal percentage: more than half
        return 2 * agree > base
    if comparison == "at_least":
        return 100 * agree >= threshold * base
    return 100 * agree > threshold * base


rules = st.builds(
    VoteRule,
    threshold_percent=st.one_of(st.none(), st.integers(min_value=1, max_value=100)),
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
    recused_present = draw(st.integers(min_value=0, max_value=present + written))
    recused_members = recused_present + draw(
        st.integers(min_value=0, max_value=members - present - written))
    voters = present + written - recused_present
    agree = draw(st.integers(min_value=0, max_value=voters))
    disagree = draw(st.integers(min_value=0, max_value=voters - agree))
    abstain = voters - agree - disagree
    return {"members": members, "present": present, "written": written,
            "recused_members": recused_members, "recused_present": recused_present,
            "tally": Tally(agree, disagree, abstain)}


def reference_base(rule, c):
    if rule.base == "all":
        return c["members"] - (c["recused_members"] if rule.recusals_leave_base else 0)
    base = c["present"] + (c["written"] if rule.written_votes_count else 0)
    return base - (c["recused_present"] if rule.recusals_leave_base else 0)


@given(rules, councils())
def test_any_ballot_set_gives_the_reference_result(rule, council):
    base = vote_base(rule, members=council["members"], present=council["present"],
                     written=council["written"], recused_members=council["recused_members"],
                     recused_present=council["recused_present"])
    assert base == max(reference_base(rule, council), 0)
    outcome = decide(rule, council["tally"], base)
    assert outcome.passed == reference_passes(rule.threshold_percent, rule.comparison,
                                              council["tally"].agree, base)


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=50),
       st.integers(min_value=1, max_value=100))
def test_quorum_matches_integer_arithmetic(present, members, percent):
    present = min(present, members)
    assert has_quorum(present, members, percent) == (present * 100 >= percent * members)


def rule(threshold, comparison="at_least", base="all"):
    return VoteRule(threshold, comparison, base, recusals_leave_base=True, written_votes_count=True)


def test_ninety_percent_of_seven_needs_all_seven():
    # 90 % of 7 is 6.3: six votes are not enough, whatever rounding a spreadsheet would do.
    assert not decide(rule(90), Tally(6, 1, 0), 7).passed
    assert decide(rule(90), Tally(7, 0, 0), 7).passed


def test_eighty_percent_of_ten_is_reached_with_eight():
    assert decide(rule(80), Tally(8, 2, 0), 10).passed
    assert not decide(rule(80), Tally(7, 3, 0), 10).passed


def test_simple_majority_is_more_than_half():
    majority = rule(50, "more_than", "present")
    assert not decide(majority, Tally(2, 2, 0), 4).passed
    assert decide(majority, Tally(3, 1, 0), 4).passed
    assert decide(rule(None), Tally(3, 2, 0), 5).passed


def test_no_voters_means_not_passed():
    assert not decide(rule(50, "more_than", "present"), Tally(0, 0, 0), 0).passed
