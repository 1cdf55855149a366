"""Which dossiers wait for a member in their role (the role home pages' lists)."""

from thidua.nominations.models import Dossier
from thidua.orgs.models import Role


def dossiers_waiting_for(membership, limit: int = 20):
    org = membership.organisation
    qs = Dossier.objects.select_related("award_form", "organisation").order_by("due_on", "-pk")
    if membership.role in {Role.UNIT_OFFICER, Role.UNIT_HEAD}:
        return qs.filter(organisation=org, state__in=[Dossier.State.DRAFT,
                                                      Dossier.State.RETURNED])[:limit]
    if membership.role == Role.RECEIVING_OFFICE:
        return qs.filter(movement__receiving_office=org, state=Dossier.State.SUBMITTED)[:limit]
    if membership.role == Role.COUNCIL_SECRETARIAT:
        return qs.filter(movement__council_secretariat=org, state=Dossier.State.ACCEPTED)[:limit]
    return qs.none()
