"""Who may do what with a movement and what its units send (django-rules).

The movement's office is its council secretariat (which creates, edits, launches, closes it,
as the issuing body's standing organ) and, for following the units, its receiving office;
administrators may do both. A unit's officer prepares its registration, plan and reports; its
head approves and sends the registration."""

from dataclasses import dataclass

import rules

from thidua.movements.models import Movement
from thidua.orgs.models import Organisation, Role
from thidua.orgs.rules import has_role, has_role_in, is_administrator


def movement_of(obj):
    """The movement a permission is asked about: the movement itself, or the movement of a
    registration, a unit plan or a progress report (the workflows ask about those)."""
    if obj is None or isinstance(obj, Movement):
        return obj
    if hasattr(obj, "period"):
        return obj.period.movement
    return obj.movement


def unit_of(obj):
    """The unit a permission is asked about: an organisation, or the unit that sends a
    registration, a plan or a report."""
    if obj is None or isinstance(obj, Organisation):
        return obj
    return obj.organisation


@rules.predicate
def is_movement_secretariat(user, obj):
    movement = movement_of(obj)
    return movement is not None and has_role_in(Role.COUNCIL_SECRETARIAT)(
        user, movement.council_secretariat)


@rules.predicate
def is_movement_receiving_office(user, obj):
    movement = movement_of(obj)
    return movement is not None and has_role_in(Role.RECEIVING_OFFICE)(
        user, movement.receiving_office)


@rules.predicate
def is_unit_editor(user, obj):
    return has_role_in(Role.UNIT_OFFICER, Role.UNIT_HEAD)(user, unit_of(obj))


@rules.predicate
def is_unit_head(user, obj):
    return has_role_in(Role.UNIT_HEAD)(user, unit_of(obj))


manages = is_administrator | is_movement_secretariat
monitors = manages | is_movement_receiving_office

rules.add_perm("movements.create", is_administrator | has_role(Role.COUNCIL_SECRETARIAT))
rules.add_perm("movements.manage", manages)
rules.add_perm("movements.monitor", monitors)
# object: the unit, or what it sends (registration, plan, report)
rules.add_perm("movements.prepare", is_unit_editor)
rules.add_perm("movements.approve", is_unit_head)


@dataclass(frozen=True)
class MovementAbilities:
    """What the movement's page offers a user (the actions check again by themselves)."""

    edit: bool
    launch: bool
    close: bool
    summarise: bool
    monitor: bool
    units: tuple  # the participating units this user prepares for


def movement_abilities(user, movement, units=()) -> MovementAbilities:
    manage = user.has_perm("movements.manage", movement)
    status = movement.status
    return MovementAbilities(
        edit=manage and status in (Movement.Status.DRAFT, Movement.Status.PUBLISHED),
        launch=manage and status == Movement.Status.DRAFT,
        close=manage and status == Movement.Status.PUBLISHED,
        summarise=manage and status == Movement.Status.CLOSED,
        monitor=user.has_perm("movements.monitor", movement),
        units=tuple(units),
    )
