"""Who may do what with a dossier. State checks live in the actions, with their own messages;
:func:`dossier_abilities` combines both for the dossier page's buttons."""

from dataclasses import dataclass

import rules

from thidua.nominations.models import Dossier
from thidua.orgs.models import Role
from thidua.orgs.rules import has_role, has_role_in, is_administrator


@rules.predicate
def is_unit_editor(user, dossier):
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, dossier.organisation)


@rules.predicate
def is_unit_head(user, dossier):
    return has_role_in(Role.UNIT_HEAD)(user, dossier.organisation)


@rules.predicate
def is_receiving_officer(user, dossier):
    return has_role_in(Role.RECEIVING_OFFICE)(user, dossier.movement.receiving_office)


@rules.predicate
def may_propose_for(user, organisation):
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, organisation)


rules.add_perm("nominations.create_dossier", may_propose_for)
rules.add_perm("nominations.edit_dossier", is_unit_editor)
rules.add_perm("nominations.submit_dossier", is_unit_head)
rules.add_perm("nominations.withdraw_dossier", is_unit_head)
rules.add_perm("nominations.review_dossier", is_receiving_officer)
rules.add_perm("nominations.manage_register", is_administrator | has_role(Role.COUNCIL_SECRETARIAT))
rules.add_perm("nominations.view_register",
               is_administrator | has_role(Role.COUNCIL_SECRETARIAT, Role.RECEIVING_OFFICE,
                                           Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.CHAIRMAN,
                                           Role.COUNCIL_MEMBER, Role.VIEWER))


@dataclass(frozen=True)
class DossierAbilities:
    """What the dossier page offers a user: the buttons mirror the actions' own checks (an
    action still refuses by itself whatever a page shows)."""

    edit: bool
    submit: bool
    withdraw: bool
    review: bool
    forward: bool
    own_authority: bool  # a form the unit decides itself: never sent to the city


def dossier_abilities(user, dossier) -> DossierAbilities:
    editable = dossier.is_editable
    is_office = user.has_perm("nominations.review_dossier", dossier)
    own_authority = bool(dossier.award_form.decided_by(dossier.organisation))
    return DossierAbilities(
        edit=editable and user.has_perm("nominations.edit_dossier", dossier),
        submit=editable and not own_authority
        and user.has_perm("nominations.submit_dossier", dossier),
        withdraw=dossier.state != Dossier.State.WITHDRAWN
        and user.has_perm("nominations.withdraw_dossier", dossier),
        review=dossier.state == Dossier.State.SUBMITTED and is_office,
        forward=dossier.state == Dossier.State.COMMITTEE_REVIEWED and is_office,
        own_authority=own_authority,
    )
