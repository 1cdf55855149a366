import rules

from thidua.orgs.models import Role
from thidua.orgs.rules import has_role_in


@rules.predicate
def drafts_decisions(user, movement):
    return has_role_in(Role.COUNCIL_SECRETARIAT)(user, movement.council_secretariat)


@rules.predicate
def drafts_unit_decisions(user, organisation):
    """A unit's own officer or head drafts the decisions within the unit's authority."""
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, organisation)


@rules.predicate
def manages(user, decision):
    """Who prepares a decision and, once issued, prints it and files its signed copy: the
    council secretariat for the city's decisions, the unit's own staff for a unit's."""
    if decision.issuer_id == decision.movement.issuer_id:
        return drafts_decisions(user, decision.movement)
    return drafts_unit_decisions(user, decision.issuer)


@rules.predicate
def signs(user, decision):
    """Only the chairman (or the unit head) named as signer, holding that role in the issuing
    body, signs."""
    return (user.is_authenticated and decision.signer_id == user.pk
            and has_role_in(Role.CHAIRMAN, Role.UNIT_HEAD)(user, decision.issuer))


rules.add_perm("decisions.draft", drafts_decisions)
rules.add_perm("decisions.draft_for_unit", drafts_unit_decisions)
rules.add_perm("decisions.manage", manages)
rules.add_perm("decisions.issue", signs)
