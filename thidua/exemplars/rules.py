"""Who may do what with exemplars and suggestions. State checks live in the actions (with their
own messages); :func:`exemplar_abilities` combines both for the page's buttons."""

from dataclasses import dataclass

import rules

from thidua.orgs.models import Role
from thidua.orgs.rules import has_role_in, is_administrator


def _is_editor_of(user, movement) -> bool:
    """A communications editor of an organisation the movement names for its communications."""
    if not (user and user.is_authenticated):
        return False
    editor_orgs = {m.organisation_id for m in user.active_memberships()
                   if m.role == Role.COMMUNICATIONS_EDITOR}
    if not editor_orgs:
        return False
    return movement.communications_editors.filter(pk__in=editor_orgs).exists()


@rules.predicate
def is_movement_editor(user, movement):
    return _is_editor_of(user, movement)


@rules.predicate
def is_exemplar_editor(user, exemplar):
    return _is_editor_of(user, exemplar.movement)


@rules.predicate
def is_unit_officer_of_exemplar(user, exemplar):
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, exemplar.organisation)


@rules.predicate
def may_record_for(user, organisation):
    """A unit's officer or head records exemplars of their own unit."""
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, organisation)


@rules.predicate
def is_suggestion_editor(user, suggestion):
    return _is_editor_of(user, suggestion.movement)


# Creating: the unit's officer for the unit; an editor for any unit (checked on the movement).
rules.add_perm("exemplars.record_for_unit", may_record_for)
rules.add_perm("exemplars.edit_movement", is_administrator | is_movement_editor)
rules.add_perm("exemplars.edit_exemplar", is_unit_officer_of_exemplar | is_exemplar_editor)
rules.add_perm("exemplars.submit_exemplar", is_unit_officer_of_exemplar | is_exemplar_editor)
rules.add_perm("exemplars.publish_exemplar", is_exemplar_editor)
rules.add_perm("exemplars.moderate_suggestion", is_suggestion_editor)


@dataclass(frozen=True)
class ExemplarAbilities:
    """What the exemplar's page offers a user (the actions still refuse by themselves)."""

    edit: bool
    submit: bool
    publish: bool
    return_or_reject: bool
    unpublish: bool
    record_consent: bool
    nominate: bool


def exemplar_abilities(user, exemplar) -> ExemplarAbilities:
    state = exemplar.state
    states = exemplar.State
    editor = user.has_perm("exemplars.publish_exemplar", exemplar)
    may_edit = user.has_perm("exemplars.edit_exemplar", exemplar)
    editable = state in (states.DRAFT, states.RETURNED) or (editor and exemplar.is_editable)
    return ExemplarAbilities(
        edit=may_edit and editable,
        submit=state in (states.DRAFT, states.RETURNED)
        and user.has_perm("exemplars.submit_exemplar", exemplar),
        publish=editor and state in (states.SUBMITTED, states.UNPUBLISHED),
        return_or_reject=editor and state == states.SUBMITTED,
        unpublish=editor and state == states.PUBLISHED,
        record_consent=may_edit and exemplar.shows_person and not exemplar.has_consent,
        nominate=bool(user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD))
        and user.has_perm("exemplars.edit_exemplar", exemplar),
    )
