from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.decisions.models import Decision


def get_decision_for(user, pk) -> Decision:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        Decision.objects.visible_to(user).select_related(
            "movement", "issuer", "award_form", "signer"), pk=pk)
