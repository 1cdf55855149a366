import rules

from thidua.orgs.models import Role
from thidua.orgs.rules import has_role_in


@rules.predicate
def drafts_decisions(user, movement):
    return has_role_in(Role.COUNCIL_SECRETARIAT)(user, movement.council_secretariat)


@rules.predicate
def signs(user, decision):
    """Only the chairman named as signer, holding that role in the issuing body, signs."""
    return (user.is_authenticated and decision.signer_id == user.pk
            and has_role_in(Role.CHAIRMAN)(user, decision.issuer))


rules.add_perm("decisions.draft", drafts_decisions)
rules.add_perm("decisions.issue", signs)
