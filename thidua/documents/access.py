"""Finding a render job for a person: through the document's own access helper (404 for missing
and forbidden alike), so following a job shows nothing the document would not. A package's job
(format ``zip``) goes through the package's access instead, which may be narrower."""

from django.shortcuts import get_object_or_404

from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument
from thidua.documents.packages import get_package


def fetch_for_job(user, key: str, fmt: str, object_pk: int):
    """The object a job of ``key`` in ``fmt`` makes a file of, as ``user`` may reach it (404)."""
    if fmt == RenderedDocument.Format.ZIP:
        return get_package(key).fetch(user, object_pk)
    return get_kind(key).fetch(user, object_pk)


def get_render_job_for(user, key: str, object_pk: int, pk: int):
    """The job ``pk`` making the ``key`` document (or package) of object ``object_pk``, and that
    object."""
    get_kind(key)
    job = get_object_or_404(RenderedDocument, pk=pk, kind=key, object_id=object_pk)
    obj = fetch_for_job(user, key, job.format, object_pk)
    return job, obj
