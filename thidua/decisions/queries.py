"""Reads of the decisions app: who may still go into a decision or a proposal upward, the cash an
award carries, the totals the city reports. The forms offer and the actions accept the same
people because both ask here."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from thidua.decisions.models import Decision, awarded, on_a_proposal
from thidua.nominations.models import CouncilOutcome, Dossier, Nominee
from thidua.orgs.models import Kind
from thidua.reviews.models import Meeting
from thidua.rulesets.models import BaseSalary


def eligible_nominees(movement, award_form=None):
    """Approved by the council for the chairman's decision (for ``award_form``, when given), on
    a list still standing (not withdrawn), and not in any decision yet."""
    nominees = (Nominee.objects.filter(
        dossier__movement=movement, dossier__state=Dossier.State.COUNCIL_REVIEWED,
        council_outcome=CouncilOutcome.APPROVED_LOCAL)
        .filter(~awarded()))
    if award_form is not None:
        nominees = nominees.filter(dossier__award_form=award_form)
    return nominees.select_related("dossier__organisation", "dossier__award_form")


def eligible_for_proposal(movement, award_form=None):
    """Proposed upward by the council (for ``award_form``, when given), and not on any
    proposal yet."""
    nominees = Nominee.objects.filter(
        dossier__movement=movement, dossier__state=Dossier.State.COUNCIL_REVIEWED,
        council_outcome=CouncilOutcome.APPROVED_UPWARD).filter(~on_a_proposal())
    if award_form is not None:
        nominees = nominees.filter(dossier__award_form=award_form)
    return nominees.select_related("dossier__organisation", "dossier__award_form")


def council_day(nominees):
    """The day of the council meeting that voted on ``nominees`` (the latest, when an earlier
    one was adjourned), as it was scheduled: a decision or proposal on them is not dated before
    it. The scheduled day, not the opening: a meeting cannot open before it, and an office that
    records a meeting held on paper opens it in the product days later. None without one."""
    latest = (Meeting.objects.filter(kind=Meeting.Kind.COUNCIL, state=Meeting.State.CLOSED,
                                     items__nominee__in=[n.pk for n in nominees])
              .aggregate(latest=Max("scheduled_at"))["latest"])
    return timezone.localtime(latest).date() if latest else None


def cash_for(award_form, kind, day) -> int:
    """Tiền thưởng: the form's multiplier for the nominee's kind × the base salary on ``day``."""
    multiplier = (award_form.cash_multiplier_collective if kind == "collective"
                  else award_form.cash_multiplier_individual)
    if not multiplier:
        return 0
    try:
        base = BaseSalary.on(day).amount
    except BaseSalary.DoesNotExist:
        return 0
    return int((Decimal(multiplier) * base).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def unit_signer_capacity(unit) -> str:
    """How a unit's own decision is usually signed (Decree 30): a People's Committee works as a
    collective body, so its chairman signs on behalf of it (TM.); an agency is signed by its
    head. The kind of body decides, not its level."""
    if unit.kind == Kind.PEOPLES_COMMITTEE:
        return Decision.Capacity.ON_BEHALF
    return Decision.Capacity.HEAD


def totals_of(awards) -> dict:
    """What an issued decision adds to the city's counts: its lines that correct no other
    decision's (a corrected line is counted once, in the original decision)."""
    first = [a for a in awards if a.replaces_id is None]
    return {"awarded_collectives": sum(a.kind == "collective" for a in first),
            "awarded_individuals": sum(a.kind != "collective" for a in first),
            "awarded_cash": sum(a.cash for a in first)}


def issued_summary(decisions):
    """Tổng hợp: per issuing body (the city and each unit deciding within its own authority),
    how many decisions were issued, how many collectives and individuals they awarded, and the
    cash — the counts the city reports. One GROUP BY over the decisions (their totals were kept
    at issuing), never over every award."""
    # A decision that only corrects another's lines adds nothing (as its lines add nothing).
    counted = Q(awarded_collectives__gt=0) | Q(awarded_individuals__gt=0)
    return (decisions.filter(counted, state=Decision.State.ISSUED).order_by()
            .values("issuer__name", "issuer__path")
            .annotate(decisions=Count("pk"), collectives=Sum("awarded_collectives"),
                      individuals=Sum("awarded_individuals"), cash=Sum("awarded_cash"))
            .order_by("issuer__path"))
