"""The one way views fetch an organisation: absent and not-yours both answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.orgs.models import Organisation


def get_organisation_for(user, pk, need: str = "view") -> Organisation:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    organisation = get_object_or_404(Organisation.objects.visible_to(user), pk=pk)
    if not user.has_perm(f"orgs.{need}_organisation", organisation):
        raise Http404
    return organisation
