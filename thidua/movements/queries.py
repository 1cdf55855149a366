"""Which movements concern a user in each of their roles (the role home pages' lists)."""

from django.db.models import Q

from thidua.movements.models import Movement
from thidua.orgs.models import Role

OPEN = [Movement.Status.PUBLISHED]


def _ancestor_ids(organisation) -> list[int]:
    return [int(p) for p in organisation.path.strip("/").split("/") if p]


def movements_for(membership):
    """Open movements that the member's organisation acts on in the member's role."""
    org = membership.organisation
    qs = Movement.objects.filter(status__in=OPEN).select_related("issuer")
    role = membership.role
    if role == Role.RECEIVING_OFFICE:
        return qs.filter(receiving_office=org)
    if role == Role.COUNCIL_SECRETARIAT:
        return qs.filter(council_secretariat=org)
    if role == Role.COMMUNICATIONS_EDITOR:
        return qs.filter(communications_editors=org)
    if role in {Role.COUNCIL_MEMBER, Role.CHAIRMAN}:
        return qs.filter(issuer=org)
    if role == Role.VIEWER:
        return qs.filter(Q(issuer__path__startswith=org.path) | Q(issuer_id__in=_ancestor_ids(org)))
    # Units take part in the movements launched by their own body or any body above it.
    return qs.filter(issuer_id__in=_ancestor_ids(org))
