"""Small filters of the dossier page: a row's warning by nominee id, grouped numbers."""

from django import template

from thidua.nominations.completeness import grouped as group_digits

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ warnings|get_item:n.pk }}``: the row's entry, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def grouped(number) -> str:
    """4998 → "4.998" (the language's thousands separator)."""
    try:
        return group_digits(int(number))
    except (TypeError, ValueError):
        return ""
