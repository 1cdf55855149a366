"""Who may do what with a dossier. State checks live in the actions, with their own messages."""

import rules

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
def is_council_secretariat(user, dossier):
    return has_role_in(Role.COUNCIL_SECRETARIAT)(user, dossier.movement.council_secretariat)


@rules.predicate
def may_propose_for(user, organisation):
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, organisation)


@rules.predicate
def signs_for_unit(user, dossier):
    """The unit's head (or a commune's chairman) signs the unit's own decisions."""
    return has_role_in(Role.UNIT_HEAD, Role.CHAIRMAN)(user, dossier.organisation)


rules.add_perm("nominations.create_dossier", may_propose_for)
rules.add_perm("nominations.decide_own_list", signs_for_unit)
rules.add_perm("nominations.edit_dossier", is_unit_editor)
rules.add_perm("nominations.submit_dossier", is_unit_head)
rules.add_perm("nominations.withdraw_dossier", is_unit_head)
rules.add_perm("nominations.review_dossier", is_receiving_officer)
rules.add_perm("nominations.council_dossier", is_council_secretariat)
rules.add_perm("nominations.manage_register", is_administrator | has_role(Role.COUNCIL_SECRETARIAT))
rules.add_perm("nominations.view_register",
               is_administrator | has_role(Role.COUNCIL_SECRETARIAT, Role.RECEIVING_OFFICE,
                                           Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.CHAIRMAN,
                                           Role.COUNCIL_MEMBER, Role.VIEWER))
