from django.shortcuts import get_object_or_404

from thidua.movements.models import Movement


def get_movement_for(user, slug) -> Movement:
    """A movement the user may see; drafts of other issuers answer 404 like missing ones."""
    return get_object_or_404(
        Movement.objects.visible_to(user).select_related(
            "issuer", "rule_set", "receiving_office", "council_secretariat"
        ),
        slug=slug,
    )
