"""One way to move a stateful object: lock → is it still what the user saw → may this person →
may it move from here → prepare → move → save (optimistically) → log.

Every model with a state (a django-fsm-2 ``FSMField`` and ``ConcurrentTransitionMixin``) gets one
:class:`Workflow` describing it, and every change of state goes through :meth:`Workflow.move` (a
person's act, permission-checked) or :meth:`Workflow.follow` (a move another permitted act causes,
such as a dossier moving because the chairman closed the council meeting: it carries that person
as the actor, never "the system").

Two people acting at once: the row lock makes the second wait, and finding the state changed
refuses them with the workflow's own "someone changed this" message; on a database without row
locks (SQLite) the optimistic save (an UPDATE filtered on the old state) does the same.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed

from thidua.core import activity
from thidua.core.permissions import require

REFUSED = _("Không thực hiện được thao tác này ở trạng thái “%(state)s”.")
STALE = _("Dữ liệu vừa được người khác thay đổi (trạng thái hiện tại: %(state)s). Hãy tải lại "
          "trang để xem và thao tác lại.")


def _self(obj):
    return obj


@dataclass(frozen=True)
class Workflow:
    """How the objects of one model move between states.

    ``perms`` names the permission each transition needs (checked against ``perm_target(obj)``);
    ``refusals`` the message when a transition is not allowed from the current state (it may use
    ``%(state)s``); ``stale`` the message when the object is no longer what the user saw.
    ``verbs`` overrides the activity-log verb of a transition (default ``<prefix>.<transition>``);
    every verb must have a label in :mod:`thidua.core.verbs`.
    """

    model: type
    verb_prefix: str
    perms: Mapping[str, str]
    organisation: Callable[[Any], Any]
    refusals: Mapping[str, Any] = field(default_factory=dict)
    refused: Any = REFUSED
    stale: Any = STALE
    verbs: Mapping[str, str] = field(default_factory=dict)
    select_related: tuple[str, ...] = ()
    perm_target: Callable[[Any], Any] = _self
    state_field: str = "state"

    def verb(self, transition: str) -> str:
        return self.verbs.get(transition, f"{self.verb_prefix}.{transition}")

    def lock(self, obj, *, seen: Mapping[str, Any] | None = None):
        """The row, locked for this transaction, refused when it no longer shows what the user
        saw: ``seen`` maps fields to the values the user's page showed (default: the state of
        ``obj`` as the caller read it)."""
        # Only the object's own row: locking the rows it joins (its movement, organisation…)
        # would make two acts on different objects of one movement deadlock on PostgreSQL.
        locked = (self.model.objects.select_for_update(of=("self",))
                  .select_related(*self.select_related).get(pk=obj.pk))
        if seen is None:
            seen = {self.state_field: getattr(obj, self.state_field)}
        if any(value is not None and getattr(locked, name) != value
               for name, value in seen.items()):
            raise ValidationError(self._stale(locked))
        return locked

    def move(self, obj, transition: str, *, by, seen: Mapping[str, Any] | None = None,
             prepare: Callable[[Any], None] | None = None, reason: str = "",
             after: Callable[[Any], dict] | dict | None = None, conflict: Any = None):
        """A person's act: lock, check, ``prepare(locked)`` (the move's own preconditions and
        field changes; raise ValidationError to refuse), move, save, log. Returns the saved
        object. ``conflict`` is the message when saving breaks a uniqueness rule."""
        with transaction.atomic():
            locked = self.lock(obj, seen=seen)
            require(by, self.perms[transition], self.perm_target(locked))
            return self._apply(locked, transition, by=by, prepare=prepare, reason=reason,
                               after=after, conflict=conflict)

    def follow(self, obj, transition: str, *, by, cause, prepare=None, reason: str = "",
               after=None, conflict=None):
        """A move caused by another act that was permission-checked itself (closing a meeting
        moves its dossiers; issuing a unit's decision settles its list). No permission of its
        own is asked, the log names the person whose act caused it, and ``cause`` (the object
        or words) is recorded with it."""
        with transaction.atomic():
            locked = self.lock(obj, seen={})
            extra = {"cause": str(cause)[:300]}
            if callable(after):
                given = after
                merged = lambda saved: {**extra, **given(saved)}  # noqa: E731
            else:
                merged = {**extra, **(after or {})}
            return self._apply(locked, transition, by=by, prepare=prepare, reason=reason,
                               after=merged, conflict=conflict)

    def _apply(self, locked, transition, *, by, prepare, reason, after, conflict):
        method = getattr(locked, transition)
        before = getattr(locked, self.state_field)
        if not can_proceed(method):
            message = self.refusals.get(transition, self.refused)
            raise ValidationError(message % {"state": self._state_label(locked)})
        if prepare is not None:
            prepare(locked)
        method()
        try:
            with transaction.atomic():
                locked.save()
        except ConcurrentTransition:
            current = self.model.objects.get(pk=locked.pk)
            raise ValidationError(self._stale(current)) from None
        except IntegrityError:
            if conflict is None:
                raise
            raise ValidationError(conflict) from None
        extra = after(locked) if callable(after) else (after or {})
        activity.record(self.verb(transition), actor=by, target=locked,
                        organisation=self.organisation(locked),
                        before={self.state_field: before},
                        after={self.state_field: getattr(locked, self.state_field), **extra},
                        reason=reason)
        return locked

    def _state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.state_field}_display")())

    def _stale(self, current):
        return self.stale % {"state": self._state_label(current)}
