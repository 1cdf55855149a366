"""How views tell people that an action was refused."""

from django.contrib import messages


def report_refusal(request, exc) -> None:
    """Each Vietnamese message of a ValidationError or PermissionDenied, as a page message."""
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def perform(request, action, *args, success: str = "", **kwargs) -> bool:
    """Run an action for a view: a refusal becomes the action's own Vietnamese message (never a
    500), a success the given message. Returns whether the action went through."""
    from django.core.exceptions import PermissionDenied, ValidationError

    try:
        action(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        report_refusal(request, exc)
        return False
    if success:
        messages.success(request, success)
    return True
