"""Reads of exemplars that several places need: the public lists, the figures of a movement,
the manager's queue, and what an exemplar gives a nominee."""

from django.db.models import Exists, OuterRef

from thidua.exemplars.models import Exemplar, Suggestion
from thidua.movements.models import Movement
from thidua.orgs.models import Organisation, Role

LIST_RELATED = ("organisation", "content_area", "movement")


def public_exemplars(*, movement=None, content_area=None, organisation=None, kind=None):
    """Published exemplars a visitor may see, newest first, optionally narrowed."""
    qs = Exemplar.objects.public().select_related(*LIST_RELATED)
    if movement is not None:
        qs = qs.filter(movement=movement)
    if content_area is not None:
        qs = qs.filter(content_area=content_area)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_at", "-pk")


def units_with_public_exemplars(movement=None):
    """Organisations that have at least one public exemplar (the portal's "by unit" choices)."""
    public = Exemplar.objects.public().filter(organisation=OuterRef("pk"))
    if movement is not None:
        public = public.filter(movement=movement)
    return Organisation.objects.filter(Exists(public)).order_by("path")


def published_count(movement) -> int:
    return Exemplar.objects.public().filter(movement=movement).count()


def units_taking_part(movement) -> int:
    """Đơn vị tham gia: the movement's current participants."""
    return movement.participants.filter(removed_on__isnull=True).count()


def managed_exemplars(user):
    """The manager's list: what the user may see beyond the public pages, newest first."""
    return (Exemplar.objects.visible_to(user).select_related(*LIST_RELATED)
            .order_by("-updated_at", "-pk"))


def suggestion_queue(user, state=Suggestion.State.NEW):
    """Suggestions of the movements the user edits for, oldest first (a queue)."""
    qs = Suggestion.objects.select_related("movement").filter(state=state).order_by("pk")
    if user.is_superuser:
        return qs
    orgs = [m.organisation_id for m in user.active_memberships()
            if m.role == Role.COMMUNICATIONS_EDITOR]
    edited = Movement.communications_editors.through.objects.filter(
        movement_id=OuterRef("movement_id"), organisation_id__in=orgs)
    return qs.filter(Exists(edited))


def nominee_prefill(exemplar, movement=None) -> dict:
    """The fields of a nominee an exemplar fills in (for the "add nominee" form of a dossier):
    the name, the unit and the achievement summary; the officer completes the rest (birth
    year, gender…, which an exemplar never holds). When the exemplar belongs to ``movement``
    (the dossier's), also what it is for — its content area (one of that movement's, so the
    form offers it) and participant kind; an exemplar of another movement gives neither."""
    initial = {
        "kind": "individual" if exemplar.shows_person else "collective",
        "full_name": exemplar.person_name or exemplar.title,
        "unit_name": exemplar.organisation.name,
        "achievement_summary": exemplar.summary,
    }
    if movement is not None and exemplar.movement_id == movement.pk:
        if exemplar.content_area_id is not None:
            initial["content_area"] = exemplar.content_area_id
        if exemplar.participant_kind:
            initial["participant_kind"] = exemplar.participant_kind
    return initial
