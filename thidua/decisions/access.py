from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.decisions.models import CertificateBatch, Decision, Proposal
from thidua.movements.access import get_movement_for
from thidua.movements.models import Movement


def get_drafting_movement_for(user, slug) -> Movement:
    """A published movement whose decisions and proposals upward ``user`` drafts (the council
    secretariat's); 404 for anyone else, as for a movement that does not exist."""
    movement = get_movement_for(user, slug)
    if movement.status != Movement.Status.PUBLISHED or not user.has_perm("decisions.draft",
                                                                         movement):
        raise Http404
    return movement


def get_decision_for(user, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.visible_to(user).select_related(
            "movement", "issuer", "award_form", "signer"), pk=pk)


def get_proposal_for(user, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(user).select_related(
            "movement", "proposer", "award_form", "signer"), pk=pk)


def get_certificate_batch_for(user, decision_pk: int, pk: int) -> CertificateBatch:
    """A print run of the decision's certificates, for those who may print them (``manage``: the
    council secretariat, or a unit's staff for the unit's own decisions); anyone else gets 404,
    as for a batch that does not exist."""
    decision = get_decision_for(user, decision_pk)
    if not user.has_perm("decisions.manage", decision):
        raise Http404
    batch = get_object_or_404(CertificateBatch.objects.select_related("layout"), pk=pk,
                              decision=decision)
    batch.decision = decision
    return batch
