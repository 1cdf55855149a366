"""What decisions say about a dossier, shown on the dossier page: the unit's own decisions on its
list, and the outcome once the city or a higher body has decided.

The dossier page belongs to ``nominations``, a lower layer that must not import decisions; it
loads these tags instead (``{% load dossier_decisions %}``).
"""

from django import template
from django.utils.translation import gettext as _

from thidua.decisions.models import Award, Decision, Proposal, ProposalItem, awarded
from thidua.nominations.models import Dossier

register = template.Library()


@register.inclusion_tag("decisions/_dossier_decisions.html")
def dossier_decisions(dossier, user):
    """The unit's decisions on ``dossier``'s list, and the button to draft one while someone on
    the list has no award yet and ``user`` drafts the unit's decisions."""
    return {
        "dossier": dossier,
        "decisions": Decision.objects.filter(awards__nominee__dossier=dossier).distinct(),
        "may_draft": dossier.state in {Dossier.State.DRAFT, Dossier.State.DECIDED_BY_UNIT}
        and dossier.nominees.filter(~awarded()).exists()
        and user.has_perm("decisions.draft_for_unit", dossier.organisation),
    }


# Only these dossiers can have issued awards or answered proposals (a city decision takes
# council-reviewed lists, a unit's own decision moves its list to "decided by the unit"): the
# others skip two joins whose cost follows the size of the award register.
DECIDED_STATES = {Dossier.State.COUNCIL_REVIEWED, Dossier.State.DECIDED_BY_UNIT}
# Names shown under each decision; the decision's own page lists everyone.
NAMES_SHOWN = 50


def _outcome(dossier):
    """The issued awards of the dossier's people and the higher bodies' answers, by decision
    (two queries, whatever the size of the list)."""
    if dossier.state not in DECIDED_STATES:
        return {}, {}
    awards = list(Award.objects.filter(nominee__dossier=dossier, decision__state=Decision.State.ISSUED)
                  .select_related("decision__issuer", "decision__award_form").order_by(
                      "decision__issued_on", "decision_id", "order", "pk"))
    decisions = {}
    for award in awards:
        decisions.setdefault(award.decision, []).append(award)
    answered = list(ProposalItem.objects.filter(nominee__dossier=dossier,
                                                proposal__state=Proposal.State.DECIDED)
                    .select_related("proposal").order_by("proposal_id", "order", "pk"))
    higher = {}
    for item in answered:
        higher.setdefault(item.proposal, []).append(item)
    return decisions, higher


@register.inclusion_tag("decisions/_dossier_outcome.html")
def dossier_outcome(dossier, user):
    """Kết quả khen thưởng: each decision that awarded someone of the list (number, date, who
    received what, the certificates' serials and their verification pages), and each higher
    decision recorded on a proposal upward. Nothing while no decision exists."""
    decisions, higher = _outcome(dossier)
    return {"decisions": [(decision, awards[:NAMES_SHOWN], len(awards) - NAMES_SHOWN)
                          for decision, awards in decisions.items()],
            "higher": [(proposal, items[:NAMES_SHOWN], len(items) - NAMES_SHOWN)
                       for proposal, items in higher.items()],
            "dossier": dossier}


@register.simple_tag
def dossier_state(dossier):
    """The dossier's state as its unit reads it: once decided, what was decided, not only that
    the council reviewed it."""
    if dossier.state in {Dossier.State.COUNCIL_REVIEWED, Dossier.State.DECIDED_BY_UNIT}:
        if Award.objects.filter(nominee__dossier=dossier,
                                decision__state=Decision.State.ISSUED).exists():
            return _("Đã có quyết định khen thưởng")
        if ProposalItem.objects.filter(nominee__dossier=dossier,
                                       proposal__state=Proposal.State.DECIDED).exists():
            return _("Cấp trên đã quyết định")
    return dossier.get_state_display()
