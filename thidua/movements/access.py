"""The one way views fetch movements and what units send for them: missing and forbidden both
answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.movements.models import Movement, ReportPeriod
from thidua.movements.queries import units_for


def get_movement_for(user, slug) -> Movement:
    """A movement the user may see; drafts of other issuers answer 404 like missing ones."""
    return get_object_or_404(
        Movement.objects.visible_to(user).select_related(
            "issuer", "rule_set", "receiving_office", "council_secretariat"
        ),
        slug=slug,
    )


def get_movement_with(user, slug, perm: str) -> Movement:
    """A movement the user holds ``perm`` on (``movements.manage`` or ``movements.monitor``)."""
    movement = get_movement_for(user, slug)
    if not user.has_perm(perm, movement):
        raise Http404
    return movement


def get_unit_for(user, movement, unit_id=None):
    """The participating unit the user prepares for: the one asked for (``?don-vi=``) if it is
    theirs, else their first; 404 when they prepare for none."""
    units = units_for(user, movement)
    if unit_id not in (None, ""):
        units = [u for u in units if str(u.pk) == str(unit_id)]
    if not units:
        raise Http404
    return units[0]


def get_period(movement, pk) -> ReportPeriod:
    return get_object_or_404(movement.report_periods, pk=pk)
