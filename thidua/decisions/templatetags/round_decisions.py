"""The decisions that follow a review round (sơ kết, tổng kết), for the round's page:
``movements`` is below decisions, so its template loads this tag
(``{% load round_decisions %}{% round_decisions period user %}``)."""

from django import template

from thidua.decisions.models import Decision

register = template.Library()


@register.inclusion_tag("decisions/_round_decisions.html")
def round_decisions(period, user):
    """The round's decisions this reader may see, newest first."""
    decisions = (Decision.objects.visible_to(user).filter(review_round=period)
                 .select_related("award_form").order_by("-issued_on", "-pk")[:50])
    return {"decisions": decisions}
