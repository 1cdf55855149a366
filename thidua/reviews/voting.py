"""The council's arithmetic: quorum and whether a nominee passes, from counts alone.

Pure functions over numbers, so the rule can be checked against a reference computation for any
ballot set (tests/reviews/test_voting.py) and reused for the minutes.
"""

from dataclasses import dataclass
from fractions import Fraction

from thidua.rulesets.models import VoteBase, VoteComparison


@dataclass(frozen=True)
class Tally:
    agree: int
    disagree: int
    abstain: int


@dataclass(frozen=True)
class VoteRule:
    threshold_percent: int | None  # None: no legal percentage — a simple majority applies
    comparison: str  # VoteComparison
    base: str  # VoteBase
    recusals_leave_base: bool
    written_votes_count: bool

    @classmethod
    def for_form(cls, award_form, rule_set) -> "VoteRule":
        return cls(
            threshold_percent=award_form.vote_threshold_percent,
            comparison=award_form.vote_comparison,
            base=award_form.vote_base,
            recusals_leave_base=rule_set.recusals_leave_base,
            written_votes_count=rule_set.written_votes_count,
        )


@dataclass(frozen=True)
class Outcome:
    base: int
    needed: Fraction  # agree votes must reach (at_least) or exceed (more_than) this
    passed: bool


def has_quorum(present: int, members: int, quorum_percent: int) -> bool:
    """A meeting is valid when the members present reach ``quorum_percent`` of all members."""
    if members <= 0:
        return False
    return present * 100 >= quorum_percent * members


def vote_base(rule: VoteRule, *, members: int, present: int, written: int,
              recused_members: int, recused_present: int) -> int:
    """How many members the percentage is taken of.

    ``recused_present`` counts recused members among those present or voting in writing;
    ``recused_members`` counts every recused member.
    """
    if rule.base == VoteBase.ALL:
        base = members - (recused_members if rule.recusals_leave_base else 0)
    else:
        base = present + (written if rule.written_votes_count else 0)
        if rule.recusals_leave_base:
            base -= recused_present
    return max(base, 0)


def decide(rule: VoteRule, tally: Tally, base: int) -> Outcome:
    """Whether the agree votes pass the rule. Exact arithmetic: 90 % of 7 is 6.3, not 6."""
    percent = rule.threshold_percent if rule.threshold_percent is not None else 50
    comparison = rule.comparison if rule.threshold_percent is not None else VoteComparison.MORE_THAN
    needed = Fraction(percent * base, 100)
    if base == 0:
        return Outcome(base, needed, False)
    at_least = comparison == VoteComparison.AT_LEAST
    passed = tally.agree >= needed if at_least else tally.agree > needed
    return Outcome(base, needed, passed)
