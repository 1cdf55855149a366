from django import template

register = template.Library()


@register.filter
def amount(value) -> str:
    """A figure as Vietnamese write it: 1.234 (thousands), 12,5 (decimals); text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and value != int(value):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


@register.simple_tag(takes_context=True)
def may_summarise(context, movement) -> bool:
    """Whether the person may draft the movement's summary report: the movement's pages (a
    lower app) ask through this tag, never by importing the reports app."""
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and movement.status != "draft"
                and user.has_perm("reports.summarise", movement))
