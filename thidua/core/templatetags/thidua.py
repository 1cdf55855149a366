from django import template

register = template.Library()


@register.filter
def money(amount) -> str:
    """447000 → "447.000": Vietnamese thousands separator, whatever the locale settings."""
    try:
        return f"{int(amount):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
