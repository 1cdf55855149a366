"""Writing the activity log, and who may read which rows of it.

Every action function calls :func:`record` inside its transaction. An app whose objects are
seen by fewer people than the organisation's scope (a draft dossier: its own unit only) calls
:func:`register_visibility` in its ``AppConfig.ready`` so the log shows their rows only to those
people.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from thidua.core.models import Activity, ActivityQuerySet


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def register_visibility(model, visible) -> None:
    """Log rows about ``model`` objects are shown only to users who may see the object:
    ``visible(user)`` returns the queryset of the ``model`` objects ``user`` may see."""
    ActivityQuerySet.visibility[model] = visible


def record(verb, *, actor=None, target=None, organisation=None, before=None, after=None,
           reason=""):
    """Append one activity row. ``actor`` may be None for system jobs (fixture loads, imports)."""
    return Activity.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        organisation=organisation,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
