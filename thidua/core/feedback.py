"""The one way a view runs an action: :func:`perform`.

An action refuses with ``ValidationError`` or ``PermissionDenied`` carrying Vietnamese messages;
``perform`` turns a refusal into those messages on the page (never a 500) and a success into the
given message, and hands back an :class:`Outcome` the view branches on::

    done = perform(request, actions.draft_decision, movement=movement, by=request.user,
                   success=_("Đã lập dự thảo quyết định."), **form.cleaned_data)
    if done:
        return redirect(done.value)
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

# A lock conflict the database could not queue (a PostgreSQL deadlock, SQLite's "database is
# locked" after the busy timeout): the action's transaction was rolled back whole, so the person
# is told the truth — someone else acted at the same moment — rather than shown a 500.
LOCK_CONFLICT = _("Có người khác vừa thao tác trên cùng dữ liệu này đúng lúc anh/chị thao tác; "
                  "chưa có gì được lưu. Hãy tải lại trang và thử lại.")


@dataclass(frozen=True)
class Outcome:
    """What an action gave back (``value``), or the messages of its refusal (``refusal``)."""

    value: Any = None
    refusal: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return not self.refusal


def refusal_messages(exc) -> tuple[str, ...]:
    return tuple(str(m) for m in getattr(exc, "messages", None) or [str(exc)])


def perform(request, action, *args, success: str | Callable[[Any], str] = "",
            **kwargs) -> Outcome:
    """Run ``action(*args, **kwargs)`` for a view. ``success`` is the page message when it goes
    through (a callable gets the action's result, for messages that count what was done)."""
    try:
        value = action(*args, **kwargs)
    except OperationalError:
        messages.error(request, LOCK_CONFLICT)
        return Outcome(refusal=(str(LOCK_CONFLICT),))
    except (ValidationError, PermissionDenied) as exc:
        refusal = refusal_messages(exc)
        for message in refusal:
            messages.error(request, message)
        return Outcome(refusal=refusal or ("",))
    text = success(value) if callable(success) else success
    if text:
        messages.success(request, text)
    return Outcome(value=value)

