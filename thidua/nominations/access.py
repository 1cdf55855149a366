"""The one way views fetch a dossier or its parts: absent and not-yours both answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thidua.nominations.duplicates import comparable_nominees
from thidua.nominations.models import (
    AttachmentVersion,
    Dossier,
    Nominee,
    RejectedSheet,
    Subject,
)

NEEDS = {
    "view": None,
    "edit": "nominations.edit_dossier",
    "submit": "nominations.submit_dossier",
    "withdraw": "nominations.withdraw_dossier",
    "review": "nominations.review_dossier",
}


def get_dossier_for(user, pk, need: str = "view") -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.visible_to(user).select_related(
            "movement__rule_set", "movement__receiving_office", "organisation", "award_form"),
        pk=pk,
    )
    perm = NEEDS[need]
    if perm and not user.has_perm(perm, dossier):
        raise Http404
    return dossier


def get_nominee_for(user, dossier_pk, nominee_pk, need: str = "view") -> Nominee:
    dossier = get_dossier_for(user, dossier_pk, need)
    return get_object_or_404(dossier.nominees.select_related("subject"), pk=nominee_pk)


def get_file_for(user, dossier_pk, version_pk) -> AttachmentVersion:
    dossier = get_dossier_for(user, dossier_pk)
    return get_object_or_404(
        AttachmentVersion.objects.select_related("attachment"),
        attachment__dossier=dossier, pk=version_pk,
    )


def get_returned_dossier_for(user, pk) -> Dossier:
    """A dossier the user may see that the receiving office has returned at least once (the
    return notice exists only then); anything else is 404 like a missing dossier."""
    dossier = get_dossier_for(user, pk)
    if not dossier.deficiencies.exists():
        raise Http404
    return dossier


def get_rejected_sheet_for(user, dossier) -> RejectedSheet:
    """The user's own rejected list for this dossier, while it lasts; anyone else's, or an
    expired one, is 404."""
    return get_object_or_404(RejectedSheet, dossier=dossier, uploaded_by=user,
                             expires_at__gt=timezone.now())


def get_linkable_subject_for(nominee, pk) -> Subject:
    """A subject a nominee (fetched by :func:`get_nominee_for`) may be linked to: one nominated
    with the same name in the movement, in a dossier its list is compared with
    (``duplicates.comparable_nominees``). Any other — one known only from another unit's unsent
    draft, or none — is 404 like a missing one."""
    if pk is None:
        raise Http404
    same_name = comparable_nominees(nominee.dossier).filter(name_folded=nominee.name_folded)
    subject = Subject.objects.filter(pk=pk, nominations__in=same_name).first()
    if subject is None:
        raise Http404
    return subject
