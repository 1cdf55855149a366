"""How views tell people that an action was refused."""

from django.contrib import messages


def report_refusal(request, exc) -> None:
    """Each Vietnamese message of a ValidationError or PermissionDenied, as a page message."""
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)
