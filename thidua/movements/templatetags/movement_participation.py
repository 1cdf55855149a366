"""Where a unit stands in a movement, for the pages of the apps above (the dossier page:
``{% load movement_participation %}{% withdrawn_notice dossier %}``)."""

from django import template

from thidua.movements.queries import withdrawal

register = template.Library()


@register.inclusion_tag("movements/_withdrawn_notice.html")
def withdrawn_notice(dossier):
    """Says so when the dossier's unit was removed from its movement after sending it (the
    dossier is kept, and still shows where it came from)."""
    return {"participant": withdrawal(dossier.movement_id, dossier.organisation_id)}
