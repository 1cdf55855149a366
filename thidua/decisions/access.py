from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.decisions.models import Decision, Proposal
from thidua.documents.models import CertificateBatch


def get_decision_for(user, pk) -> Decision:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        Decision.objects.visible_to(user).select_related(
            "movement", "issuer", "award_form", "signer"), pk=pk)


def get_proposal_for(user, pk) -> Proposal:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(
        Proposal.objects.visible_to(user).select_related(
            "movement", "proposer", "award_form", "signer"), pk=pk)


def get_certificate_batch_for(user, decision_pk, pk):
    """A print run of the decision's certificates, for those who may print them (``manage``: the
    council secretariat, or a unit's staff for the unit's own decisions); anyone else gets 404,
    as for a batch that does not exist."""
    decision = get_decision_for(user, decision_pk)
    if not user.has_perm("decisions.manage", decision):
        raise Http404
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    batch = get_object_or_404(CertificateBatch.objects.select_related("layout"), pk=pk,
                              decision=decision)
    batch.decision = decision
    return batch
