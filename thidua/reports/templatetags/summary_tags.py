from django import template

from thidua.documents.render import replacement
from thidua.reports.documents import KEY

register = template.Library()


@register.simple_tag
def summary_template(movement):
    """The template the movement's summary report is written with, if an administrator
    replaced the built-in one: the issuing body's own, or one for every body (None)."""
    return replacement(KEY, movement.issuer)
