"""The council's arithmetic: quorum and whether a nominee passes, from counts alone.

Pure functions over numbers and exact fractions (``fractions.Fraction``: a quorum of two thirds
is 2/3, and 6 of 9 members reach it), so the rule can be checked against a reference
computation for any ballot set (tests/reviews/test_voting.py) and reused for the page and the
minutes, which print the same numbers the decision was taken on.

The base follows the rule's own words: "tổng số thành viên Hội đồng" is every member of the
council, a member who stepped aside (recused) included; "số thành viên dự họp" is every member
present (and, where the rule set counts them, those who sent a written ballot). Only a rule set
that says so (``recusals_leave_base``) takes recused members out of the base — and the page, the
result and the minutes say when that happened.
"""

from dataclasses import asdict, dataclass
from fractions import Fraction
from math import ceil

from thidua.rulesets.models import VoteBase, VoteComparison
from thidua.rulesets.ratios import parse_ratio, ratio_key, ratio_text

SIMPLE_MAJORITY = Fraction(1, 2)


@dataclass(frozen=True)
class Tally:
    agree: int
    disagree: int
    abstain: int


@dataclass(frozen=True)
class VoteRule:
    threshold: Fraction | None  # None: no legal ratio — more than half applies
    comparison: str  # VoteComparison
    base: str  # VoteBase
    recusals_leave_base: bool
    written_votes_count: bool
    # The rule-set and award-form fields this rule took whose value is not verified.
    unverified: tuple[str, ...] = ()

    @classmethod
    def for_form(cls, award_form, rule_set) -> "VoteRule":
        unverified = tuple(
            [name for name in award_form.VOTE_FIELDS if award_form.is_unverified(name)]
            + [name for name in ("recusals_leave_base", "written_votes_count")
               if rule_set.is_unverified(name)])
        return cls(
            threshold=award_form.vote_threshold,
            comparison=award_form.vote_comparison,
            base=award_form.vote_base,
            recusals_leave_base=rule_set.recusals_leave_base,
            written_votes_count=rule_set.written_votes_count,
            unverified=unverified,
        )

    @property
    def ratio(self) -> Fraction:
        """The ratio compared with: the threshold, or one half when the law gives none."""
        return self.threshold if self.threshold is not None else SIMPLE_MAJORITY

    @property
    def at_least(self) -> bool:
        return self.threshold is not None and self.comparison == VoteComparison.AT_LEAST

    @property
    def recusals_unverified(self) -> bool:
        return "recusals_leave_base" in self.unverified

    def as_data(self) -> dict:
        """The rule as JSON, kept with each result so the minutes print the rule that was used
        even after the rule set changes."""
        data = asdict(self)
        data["threshold"] = None if self.threshold is None else ratio_key(self.threshold)
        data["unverified"] = list(self.unverified)
        return data

    @classmethod
    def from_data(cls, data: dict) -> "VoteRule":
        threshold = data.get("threshold")
        return cls(threshold=None if threshold is None else parse_ratio(threshold),
                   comparison=data["comparison"], base=data["base"],
                   recusals_leave_base=data["recusals_leave_base"],
                   written_votes_count=data["written_votes_count"],
                   unverified=tuple(data.get("unverified", ())))


@dataclass(frozen=True)
class Attendance:
    """Who could count for one agenda item: ``recused_present`` counts recused members among
    those present or voting in writing; ``recused_members`` every recused member."""

    members: int
    present: int
    written: int = 0
    recused_members: int = 0
    recused_present: int = 0

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "Attendance":
        return cls(**{name: int(data.get(name, 0)) for name in
                      ("members", "present", "written", "recused_members", "recused_present")})


@dataclass(frozen=True)
class Quorum:
    """The quorum of one council meeting: ``ratio`` of ``members`` must be present."""

    ratio: Fraction
    members: int
    present: int
    unverified: bool = False

    @property
    def needed(self) -> int:
        return quorum_needed(self.members, self.ratio)

    @property
    def met(self) -> bool:
        return has_quorum(self.present, self.members, self.ratio)

    @property
    def text(self) -> str:
        return ratio_text(self.ratio)

    def as_data(self) -> dict:
        return {"quorum": ratio_key(self.ratio), "unverified": self.unverified,
                "members": self.members, "present": self.present}

    @classmethod
    def from_data(cls, data: dict) -> "Quorum":
        return cls(ratio=parse_ratio(data["quorum"]), members=int(data["members"]),
                   present=int(data["present"]), unverified=bool(data.get("unverified")))


@dataclass(frozen=True)
class Outcome:
    counted: int  # the members the rule's words name (all members, or those taking part)
    deducted: int  # recused members taken out of them (only where the rule set says so)
    needed: Fraction  # agree votes must reach (at_least) or exceed (more_than) this
    passed: bool

    @property
    def base(self) -> int:
        """How many members the ratio is taken of."""
        return self.counted - self.deducted


def quorum_needed(members: int, quorum: Fraction) -> int:
    """The fewest members present that reach ``quorum`` of ``members`` (2/3 of 9 is 6)."""
    return ceil(quorum * members)


def has_quorum(present: int, members: int, quorum: Fraction) -> bool:
    """A meeting is valid when the members present reach ``quorum`` of all members."""
    if members <= 0:
        return False
    return present >= quorum * members


def counted_members(rule: VoteRule, attendance: Attendance) -> int:
    """The members the rule's words name, before any recusal leaves them."""
    if rule.base == VoteBase.ALL:
        return attendance.members
    return attendance.present + (attendance.written if rule.written_votes_count else 0)


def deducted_members(rule: VoteRule, attendance: Attendance) -> int:
    """Recused members taken out of the base — none unless the rule set lets them leave it."""
    if not rule.recusals_leave_base:
        return 0
    if rule.base == VoteBase.ALL:
        return attendance.recused_members
    return attendance.recused_present


def vote_base(rule: VoteRule, attendance: Attendance) -> int:
    """How many members the ratio is taken of."""
    return max(counted_members(rule, attendance) - deducted_members(rule, attendance), 0)


def decide(rule: VoteRule, tally: Tally, attendance: Attendance) -> Outcome:
    """Whether the agree votes pass the rule. Exact arithmetic: 90 % of 7 is 6.3, not 6."""
    counted = counted_members(rule, attendance)
    deducted = min(deducted_members(rule, attendance), counted)
    base = counted - deducted
    needed = rule.ratio * base
    if base == 0:
        return Outcome(counted, deducted, needed, False)
    passed = tally.agree >= needed if rule.at_least else tally.agree > needed
    return Outcome(counted, deducted, needed, passed)


def decide_on_base(rule: VoteRule, tally: Tally, base: int) -> Outcome:
    """The same decision on a base already known (results kept before the rule was stored
    with them)."""
    return decide(rule, tally, Attendance(members=base, present=base))


@dataclass(frozen=True)
class Reckoning:
    """One counted agenda item: the rule, the attendance it was taken on (None for results kept
    before the attendance was stored with them), the counts and the outcome."""

    rule: VoteRule
    attendance: Attendance | None
    tally: Tally
    outcome: Outcome
