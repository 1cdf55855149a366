"""Live figures of a movement for its public page (``movements`` is below decisions and
exemplars, so its template loads this tag: ``{% load movement_figures %}{% movement_figures movement %}``)."""

from django import template

from thidua.decisions.honour_roll import awards_decided
from thidua.exemplars.queries import published_count, units_taking_part

register = template.Library()


@register.inclusion_tag("decisions/_movement_figures.html")
def movement_figures(movement):
    return {
        "movement": movement,
        "exemplars": published_count(movement),
        "units": units_taking_part(movement),
        "awards": awards_decided(movement),
    }
