from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.reviews.models import Disclosure, Meeting


def get_meeting_for(user, pk) -> Meeting:
    """A meeting its office, members, chair or secretary may open; anything else is 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related(
            "movement__rule_set", "organisation", "chair", "secretary"),
        pk=pk)


def get_public_disclosure(pk) -> Disclosure:
    """Disclosures are public once they have started."""
    from django.utils import timezone

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(Disclosure.objects.select_related("movement"), pk=pk,
                             starts_on__lte=timezone.localdate())


def was_adjourned(meeting) -> bool:
    """Hoãn rather than closed: ``adjourn_meeting`` is the only writer of a reason on the first
    revision of the minutes (closing writes revision 1 without one)."""
    first = min(meeting.minutes.all(), key=lambda revision: revision.number, default=None)
    return bool(first and first.reason)


def get_closed_meeting_for(user, pk, kind: str, *, concluded: bool = False) -> Meeting:
    """A closed meeting of ``kind`` the user may open — the documents written from it exist only
    then; with ``concluded``, one that was not adjourned (it reached conclusions). Else 404."""
    meeting = get_meeting_for(user, pk)
    if meeting.kind != kind or meeting.state != Meeting.State.CLOSED:
        raise Http404
    if concluded and was_adjourned(meeting):
        raise Http404
    return meeting
