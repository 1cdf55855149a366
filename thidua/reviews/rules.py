"""Who may hold, run and vote in meetings."""

from dataclasses import dataclass

import rules

from thidua.orgs.models import Role
from thidua.orgs.rules import has_role_in, is_administrator
from thidua.reviews.models import Meeting


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
    role = Role.RECEIVING_OFFICE if meeting.kind == Meeting.Kind.COMMITTEE else Role.COUNCIL_SECRETARIAT
    return meeting.secretary_id == user.pk or has_role_in(role)(user, meeting.organisation)


@rules.predicate
def chairs_meeting(user, meeting):
    return user.is_authenticated and meeting.chair_id == user.pk


rules.add_perm("reviews.hold_committee", holds_committee)
rules.add_perm("reviews.hold_council", holds_council)
rules.add_perm("reviews.run_meeting", runs_meeting)
rules.add_perm("reviews.close_meeting", runs_meeting | chairs_meeting)
rules.add_perm("reviews.view_minutes", is_administrator | runs_meeting | chairs_meeting)


@dataclass(frozen=True)
class MeetingAbilities:
    """What a person may do on a meeting's page now — the buttons it shows. The actions check
    the same rules again; this only spares people buttons that would be refused."""

    open: bool = False
    close: bool = False
    adjourn: bool = False
    reschedule: bool = False
    take_attendance: bool = False
    conclude: bool = False
    vote: bool = False
    record_written_votes: bool = False
    handle_objections: bool = False


def meeting_abilities(user, meeting, member=None, *, quorate=True) -> MeetingAbilities:
    """``member`` is the user's seat at the meeting (None when they have none); ``quorate``
    whether a council meeting has its quorum now — without it nobody votes, in person or in
    writing (the actions refuse it too)."""
    runs = user.has_perm("reviews.run_meeting", meeting)
    state, council = meeting.state, meeting.kind == Meeting.Kind.COUNCIL
    is_open, pending = state == Meeting.State.OPEN, state != Meeting.State.CLOSED
    return MeetingAbilities(
        open=runs and state == Meeting.State.PLANNED,
        close=is_open and (quorate or not council)
        and user.has_perm("reviews.close_meeting", meeting),
        adjourn=runs and pending,
        reschedule=runs and state == Meeting.State.PLANNED,
        take_attendance=runs and pending,
        conclude=runs and is_open and not council,
        vote=council and is_open and quorate and member is not None and member.present,
        record_written_votes=runs and is_open and council and quorate,
        handle_objections=runs and pending,
    )
