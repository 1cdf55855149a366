"""The one way a view fetches an exemplar, a photo or a suggestion: missing and forbidden are
both 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.exemplars.models import Exemplar, ExemplarPhoto, Suggestion

_RELATED = ("movement", "organisation", "content_area", "criterion", "consent_by")


def get_exemplar_for(user, pk, need: str = "view") -> Exemplar:
    """``need``: "view" (may see it), "edit", "publish"."""
    exemplar = get_object_or_404(Exemplar.objects.visible_to(user).select_related(*_RELATED), pk=pk)
    if need == "edit" and not user.has_perm("exemplars.edit_exemplar", exemplar):
        raise Http404
    if need == "publish" and not user.has_perm("exemplars.publish_exemplar", exemplar):
        raise Http404
    return exemplar


def get_public_exemplar(pk) -> Exemplar:
    return get_object_or_404(Exemplar.objects.public().select_related(*_RELATED), pk=pk)


def get_photo_for(user, pk) -> ExemplarPhoto:
    """A photo, for whoever may see its exemplar (anyone, once the exemplar is public)."""
    return get_object_or_404(ExemplarPhoto.objects.select_related("exemplar").filter(
        exemplar__in=Exemplar.objects.visible_to(user)), pk=pk)


def get_suggestion_for(user, pk) -> Suggestion:
    suggestion = get_object_or_404(Suggestion.objects.select_related("movement"), pk=pk)
    if not user.has_perm("exemplars.moderate_suggestion", suggestion):
        raise Http404
    return suggestion
