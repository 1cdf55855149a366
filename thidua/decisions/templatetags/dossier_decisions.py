"""The decisions a unit made on its own list, shown on the dossier page.

The dossier page belongs to ``nominations``, a lower layer that must not import decisions; it
loads this tag instead (``{% load dossier_decisions %}{% dossier_decisions dossier user %}``).
"""

from django import template

from thidua.decisions.models import Decision
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
        and dossier.nominees.filter(awards__isnull=True).exists()
        and user.has_perm("decisions.draft_for_unit", dossier.organisation),
    }
