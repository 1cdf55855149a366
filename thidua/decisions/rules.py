from dataclasses import dataclass

import rules
from django_fsm import can_proceed

from thidua.decisions.models import Decision, Proposal
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


# What a person may do with an object as it stands now: the permission and the state together,
# so that a page offers a button only where the action would go through.

@dataclass(frozen=True)
class DecisionAbilities:
    """Ký ban hành, xóa dự thảo, sửa đổi, in giấy khen: the buttons of a decision's page."""

    issue: bool = False
    delete: bool = False
    amend: bool = False
    print_certificates: bool = False


def decision_abilities(user, decision) -> DecisionAbilities:
    may_manage = user.has_perm("decisions.manage", decision)
    draft = decision.state == Decision.State.DRAFT
    return DecisionAbilities(
        issue=can_proceed(decision.issue) and user.has_perm("decisions.issue", decision),
        delete=draft and may_manage,
        amend=decision.state == Decision.State.ISSUED and may_manage,
        print_certificates=decision.state == Decision.State.ISSUED and may_manage,
    )


@dataclass(frozen=True)
class ProposalAbilities:
    """Gửi, ghi nhận trả lại hoặc quyết định của cấp trên, bổ sung, xóa: the buttons of a
    proposal's page (all the secretariat's)."""

    manage: bool = False
    send: bool = False
    record: bool = False
    supplement: bool = False
    delete: bool = False


def proposal_abilities(user, proposal) -> ProposalAbilities:
    may_manage = user.has_perm("decisions.draft", proposal.movement)
    return ProposalAbilities(
        manage=may_manage,
        send=may_manage and can_proceed(proposal.send),
        # The higher body answers a proposal that was sent: a return or its decision.
        record=may_manage and can_proceed(proposal.decide),
        supplement=may_manage and proposal.state == Proposal.State.RETURNED,
        delete=may_manage and proposal.state == Proposal.State.DRAFT,
    )


def may_draft_unit_decision(user, dossier) -> bool:
    """A unit's own staff, for a form within the unit's own authority."""
    return (user.has_perm("decisions.draft_for_unit", dossier.organisation)
            and bool(dossier.award_form.decided_by(dossier.organisation)))
