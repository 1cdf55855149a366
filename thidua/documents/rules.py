import rules
from django.http import Http404

from thidua.documents.access import fetch_for_job
from thidua.orgs.models import Role


def layout_organisations(user) -> set[int]:
    """Whose pre-printed blanks a user sets up (mẫu phôi): the secretariat, those of the bodies
    whose movements it serves; a unit's officer and head, their unit's own."""
    from thidua.movements.models import Movement

    if not user.is_authenticated:
        return set()
    secretariats = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
    issuers = set(Movement.objects.filter(council_secretariat__in=secretariats)
                  .values_list("issuer_id", flat=True))
    units = {o.pk for o in user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)}
    return issuers | units


@rules.predicate
def sets_up_layouts(user, organisation=None):
    if user.is_authenticated and user.is_superuser:
        return True
    organisations = layout_organisations(user)
    return bool(organisations) if organisation is None else organisation.pk in organisations


rules.add_perm("documents.manage_layouts", sets_up_layouts)


@rules.predicate
def sees_document(user, job):
    """Whoever may read the document a render job makes (its kind's access helper; for a
    package, the package's) may follow and retry the job; the job shows nothing the document
    does not."""
    if not user.is_authenticated:
        return False
    try:
        fetch_for_job(user, job.kind, job.format, job.object_id)
    except Http404:
        return False
    return True


rules.add_perm("documents.follow_render", sees_document)
