"""Every read of meetings, agendas, ballots and disclosures: who is eligible, what a page shows,
what the minutes say. Nothing here writes; the writes are in :mod:`thidua.reviews.actions` and
:mod:`thidua.reviews.disclosures`.

Ballots are secret: the reads give counts per agenda item and who voted, never who chose what.
"""

from collections import Counter

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.text import fold
from thidua.core.workdays import add_working_days
from thidua.movements.models import Movement
from thidua.nominations.models import Attachment, CommitteeConclusion, Dossier, Nominee
from thidua.orgs.models import Membership
from thidua.reviews.access import IN_PROGRESS
from thidua.reviews.models import (
    AgendaItem,
    BallotBox,
    BallotReceipt,
    Disclosure,
    Meeting,
    Recusal,
)
from thidua.reviews.voting import (
    Attendance,
    Outcome,
    Quorum,
    Reckoning,
    Tally,
    VoteRule,
    decide,
    decide_on_base,
)
from thidua.rulesets.models import vote_rule_words
from thidua.rulesets.ratios import number_text, ratio_text

PENDING = [Meeting.State.PLANNED, Meeting.State.OPEN]


def is_withdrawn(item) -> bool:
    """A unit may withdraw until the decision; its nominees then get no conclusion or outcome."""
    return item.nominee.dossier.state == Dossier.State.WITHDRAWN


# --- who is eligible ------------------------------------------------------------------------

def on_pending_agenda(kind):
    """For nominees: on the agenda of a meeting of ``kind`` not yet closed. One EXISTS, so both
    conditions hold for the same agenda item (``exclude()`` across a many-valued relation
    does not promise that)."""
    return Exists(AgendaItem.objects.filter(nominee=OuterRef("pk"), meeting__kind=kind,
                                            meeting__state__in=PENDING))


def committee_candidates(movement):
    """Nominees of accepted dossiers not yet concluded by the Steering Committee."""
    return (Nominee.objects.filter(dossier__movement=movement,
                                   dossier__state=Dossier.State.ACCEPTED, committee_conclusion="")
            .filter(~on_pending_agenda(Meeting.Kind.COMMITTEE))
            .select_related("dossier__organisation", "dossier__award_form"))


def council_candidates(movement):
    """Nominees the committee proposed, in forwarded dossiers, without a council outcome."""
    return (Nominee.objects.filter(dossier__movement=movement,
                                   dossier__state=Dossier.State.FORWARDED,
                                   committee_conclusion=CommitteeConclusion.PROPOSE,
                                   council_outcome="")
            .filter(~on_pending_agenda(Meeting.Kind.COUNCIL))
            .select_related("dossier__organisation", "dossier__award_form"))


def candidates(movement, kind):
    """Who may go on the agenda of a new meeting of ``kind``."""
    return (committee_candidates(movement) if kind == Meeting.Kind.COMMITTEE
            else council_candidates(movement))


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


# --- lists ----------------------------------------------------------------------------------

def meetings_for(user):
    """Họp xét: the meetings the user may open, with the size of each agenda."""
    items = (AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by()
             .values("meeting").annotate(n=Count("pk")).values("n"))
    return (Meeting.objects.visible_to(user).select_related("movement")
            .annotate(item_count=Coalesce(Subquery(items, output_field=IntegerField()),
                                          Value(0))))


def movements_held_by(user, perm):
    """Movements in progress for which the user may hold meetings (``perm``)."""
    return [m for m in Movement.objects.filter(status=IN_PROGRESS)
            .select_related("receiving_office", "council_secretariat")
            if user.has_perm(perm, m)]


def _disclosed_count():
    """A disclosure's number of names, computed for the rows of a page only (a correlated
    subquery): ``Count("nominees")`` would group every disclosure's names first."""
    through = Disclosure.nominees.through
    counted = (through.objects.filter(disclosure=OuterRef("pk")).order_by()
               .values("disclosure").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def public_disclosures(day):
    """Danh sách công khai: every disclosure that has started by ``day``."""
    return (Disclosure.objects.filter(starts_on__lte=day)
            .select_related("movement").annotate(count=_disclosed_count()))


def disclosed_nominees(disclosure):
    """The names of a disclosure in their order (a queryset: the page takes a slice)."""
    return disclosure.nominees.select_related("dossier__organisation", "dossier__award_form")


def disclosed_count(disclosure) -> int:
    return Disclosure.nominees.through.objects.filter(disclosure=disclosure).count()


def disclosed_nominee(disclosure, pk):
    """The one name of ``disclosure`` an objection is about, or None (a number not on it, or
    not a number)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return disclosure.nominees.filter(pk=pk).first()


def takes_objections(disclosure, day=None) -> bool:
    """Objections are taken from the first to the last day of the disclosure."""
    day = day or timezone.localdate()
    return disclosure.starts_on <= day <= disclosure.ends_on


# --- a meeting's page -----------------------------------------------------------------------

def member_of(meeting, user):
    """The user's seat at the meeting, or None."""
    return meeting.members.filter(user_id=user.pk).first() if user.is_authenticated else None


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


def agenda_rows(meeting, me) -> list[dict]:
    """Each agenda item with what the member ``me`` (or None) may see of it — counts of who
    voted, never choices."""
    # Each nominee's achievement report (or summary) goes with the item: members read it before
    # they vote.
    reports = Prefetch("nominee__attachments", to_attr="reports", queryset=Attachment.objects.filter(
        document_type__in=["achievement_report", "achievement_summary"]).prefetch_related("versions"))
    items = list(meeting.items.select_related("nominee__dossier__organisation",
                                              "nominee__dossier__award_form")
                 .prefetch_related("nominee__objections", "recusals__member__user", reports))
    voted = dict(BallotReceipt.objects.filter(item__meeting=meeting).values("item_id")
                 .annotate(n=Count("pk")).values_list("item_id", "n"))
    mine = set()
    recused = set()
    if me is not None:
        mine = set(BallotReceipt.objects.filter(item__meeting=meeting, member=me)
                   .values_list("item_id", flat=True))
        recused = set(Recusal.objects.filter(item__meeting=meeting, member=me)
                      .values_list("item_id", flat=True))
    council = meeting.kind == Meeting.Kind.COUNCIL
    flagged = conflicts(meeting) if council else {}
    rule_set = meeting.movement.rule_set
    rows = []
    for item in items:
        reckoning = reckoning_of(item, rule_set) if council else None
        rule = (reckoning.rule if reckoning is not None
                else VoteRule.for_form(item.nominee.dossier.award_form, rule_set) if council
                else None)
        rows.append({
            "item": item,
            "voted": voted.get(item.pk, 0),
            "i_voted": item.pk in mine,
            "i_recused": item.pk in recused,
            "conflict": me is not None and me.pk in flagged.get(item.pk, set()),
            "flagged": len(flagged.get(item.pk, ())),
            # The rule the item is (or was) decided by, and how its result was reached.
            "rule": rule,
            "rule_text": rule_words(rule) if rule else "",
            "reckoning": reckoning,
            "needed": needed_text(reckoning.rule, reckoning.outcome) if reckoning else "",
        })
    return rows


def rule_words(rule: VoteRule) -> str:
    """The voting rule in words with its exact ratio, as the page shows it; the recusal
    setting is named when it is on."""
    words = vote_rule_words(rule.threshold, rule.comparison, rule.base)
    if rule.recusals_leave_base:
        words += _("; thành viên không tham gia biểu quyết được trừ khỏi số tính tỷ lệ (theo bộ "
                   "quy tắc)")
    return words


def quorum_of(meeting, members=None) -> Quorum:
    """The council meeting's quorum: as the closing checked it once closed, else the rule set's
    with today's attendance (``members``: the meeting's members, if already read)."""
    if meeting.quorum_rule:
        return Quorum.from_data(meeting.quorum_rule)
    rule_set = meeting.movement.rule_set
    members = list(meeting.members.all()) if members is None else members
    return Quorum(ratio=rule_set.quorum, members=len(members),
                  present=sum(1 for m in members if m.present),
                  unverified=rule_set.is_unverified("quorum"))


def reckoning_of(item, rule_set) -> Reckoning | None:
    """How a counted item's result was reached — from the rule and attendance kept with it at
    closing; for results kept before those were stored, from the rule set's rule on the stored
    base. None before the count."""
    if item.agree is None or item.base is None or item.result not in ("passed", "failed"):
        return None
    tally = Tally(item.agree, item.disagree, item.abstain)
    if item.reckoning:
        rule = VoteRule.from_data(item.reckoning["rule"])
        attendance = Attendance.from_data(item.reckoning["attendance"])
        return Reckoning(rule, attendance, tally, decide(rule, tally, attendance))
    rule = VoteRule.for_form(item.nominee.dossier.award_form, rule_set)
    return Reckoning(rule, None, tally, decide_on_base(rule, tally, item.base))


NEEDED_AT_LEAST = gettext_lazy("từ %(needed)s trở lên (%(ratio)s × %(base)s)")
NEEDED_MORE_THAN = gettext_lazy("trên %(needed)s (%(ratio)s × %(base)s)")


def needed_text(rule: VoteRule, outcome: Outcome) -> str:
    """How many agree votes the rule needed, with the arithmetic that gives it: "từ 9,9 trở lên
    (90% × 11)", "trên 2 (50% × 4)"."""
    words = {"needed": number_text(outcome.needed), "ratio": ratio_text(rule.ratio),
             "base": outcome.base}
    return str(NEEDED_AT_LEAST if rule.at_least else NEEDED_MORE_THAN) % words


def tallies(meeting) -> dict[int, Tally]:
    """Counts per agenda item — the only view of ballots anyone gets."""
    boxes = {b.item_id: b for b in BallotBox.objects.filter(item__meeting=meeting)}
    empty = BallotBox()
    return {item_id: Tally(boxes.get(item_id, empty).agree, boxes.get(item_id, empty).disagree,
                           boxes.get(item_id, empty).abstain)
            for item_id in meeting.items.values_list("pk", flat=True)}


# --- the minutes ----------------------------------------------------------------------------

def minutes_data(meeting) -> dict:
    """Everything the minutes need, as plain data (no ballot, only counts)."""
    members = list(meeting.members.select_related("user"))
    items = list(meeting.items.select_related("nominee__dossier__organisation",
                                              "nominee__dossier__award_form")
                 .prefetch_related("recusals__member__user", "nominee__objections"))
    written = Counter(BallotReceipt.objects.filter(item__meeting=meeting, written=True)
                      .values_list("member_id", flat=True))
    council = meeting.kind == Meeting.Kind.COUNCIL
    quorum = quorum_of(meeting, members) if council else None
    rule_set = meeting.movement.rule_set

    def moment(value):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""

    def counted(item) -> dict:
        reckoning = reckoning_of(item, rule_set) if council else None
        if reckoning is None:
            return {}
        rule, outcome = reckoning.rule, reckoning.outcome
        return {"rule": rule_words(rule), "needed": needed_text(rule, outcome),
                "counted": outcome.counted, "deducted": outcome.deducted,
                "deduction_unverified": bool(outcome.deducted) and rule.recusals_unverified}

    return {
        "title": meeting.title,
        "kind": meeting.get_kind_display(),
        "scheduled_at": moment(meeting.scheduled_at),
        # When it really opened and ended; empty when it never opened (adjourned beforehand).
        "opened_at": moment(meeting.opened_at),
        "closed_at": moment(meeting.closed_at),
        "quorum": quorum.text if quorum else "",
        "quorum_needed": quorum.needed if quorum else None,
        "quorum_unverified": quorum.unverified if quorum else False,
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
            **counted(i),
            "recusals": [{"member": str(r.member.user), "reason": r.reason}
                         for r in i.recusals.all()],
            "objections": [{"from": o.name, "text": o.text, "handling": o.handling}
                           for o in i.nominee.objections.all()],
        } for i in items],
        "notes": "",
    }
