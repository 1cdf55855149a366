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
