"""Who may hold, run and vote in meetings."""

import rules

from thidua.orgs.models import Role
from thidua.orgs.rules import has_role_in, is_administrator


@rules.predicate
def holds_committee(user, movement):
    return has_role_in(Role.RECEIVING_OFFICE)(user, movement.receiving_office)


@rules.predicate
def holds_council(user, movement):
    return has_role_in(Role.COUNCIL_SECRETARIAT)(user, movement.council_secretariat)


@rules.predicate
def runs_meeting(user, meeting):
    """The holding office's staff and the meeting's own secretary run it."""
    if not user.is_authenticated:
        return False
    role = Role.RECEIVING_OFFICE if meeting.kind == "committee" else Role.COUNCIL_SECRETARIAT
    return meeting.secretary_id == user.pk or has_role_in(role)(user, meeting.organisation)


@rules.predicate
def chairs_meeting(user, meeting):
    return user.is_authenticated and meeting.chair_id == user.pk


rules.add_perm("reviews.hold_committee", holds_committee)
rules.add_perm("reviews.hold_council", holds_council)
rules.add_perm("reviews.run_meeting", runs_meeting)
rules.add_perm("reviews.close_meeting", runs_meeting | chairs_meeting)
rules.add_perm("reviews.view_minutes", is_administrator | runs_meeting | chairs_meeting)
