"""Finding a render job for a person: through the document's own access helper (404 for missing
and forbidden alike), so following a job shows nothing the document would not."""

from django.shortcuts import get_object_or_404

from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument


def get_render_job_for(user, key: str, object_pk: int, pk: int):
    """The job ``pk`` making the ``key`` document of object ``object_pk``, and that object."""
    kind = get_kind(key)
    obj = kind.fetch(user, object_pk)
    job = get_object_or_404(RenderedDocument, pk=pk, kind=key, object_id=obj.pk)
    return job, obj
