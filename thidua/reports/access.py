"""The one way views fetch a movement's summary reports: missing and forbidden both answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.movements.access import get_movement_for


def get_summarisable_movement(user, slug):
    """A movement whose summary report the user may draft (its council secretariat,
    administrators)."""
    movement = get_movement_for(user, slug)
    if not user.has_perm("reports.summarise", movement):
        raise Http404
    return movement


def get_summary_report_for(user, slug, pk):
    movement = get_summarisable_movement(user, slug)
    return get_object_or_404(movement.summary_reports.select_related("requested_by"), pk=pk)
