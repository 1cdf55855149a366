"""Long documents off the request: asking for one, finding it already made, asking again.

A document is found by the hash of everything its render reads (``render.prepare``): a finished
file with that hash is served from storage without rendering. A long one (its kind's ``size``
reaches ``background_from``) without a file is queued for the worker; the job's row is written
in the request's transaction and its task queued only once that commits, so the worker never
looks for a job that is not there yet (or was rolled back).
"""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.core import activity
from thidua.core.permissions import require
from thidua.documents.flows import RENDER_FLOW
from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument
from thidua.documents.render import Prepared
from thidua.documents.tasks import render_document


def _same_content(prepared: Prepared, obj):
    return RenderedDocument.objects.filter(kind=prepared.key, object_id=obj.pk,
                                           format=prepared.fmt,
                                           content_hash=prepared.content_hash)


def stored(prepared: Prepared, obj) -> RenderedDocument | None:
    """The finished file of exactly this content, if one was made."""
    return (_same_content(prepared, obj).filter(state=RenderedDocument.State.DONE)
            .exclude(file="").first())


def _enqueue(job_id: int) -> None:
    result = render_document.enqueue(job_id)
    # The immediate backend has already run the task, which may have saved this row itself.
    RenderedDocument.objects.filter(pk=job_id).update(task_id=str(result.id))


@transaction.atomic
def request_render(prepared: Prepared, obj, *, size: int, by) -> RenderedDocument:
    """Tạo văn bản dài: queue ``obj``'s document for the worker. The same content asked for
    again while it waits, renders or has failed returns that job (a failed one is retried from
    its page), so two clicks or two people never render it twice."""
    kind = get_kind(prepared.key)
    job = RenderedDocument(kind=prepared.key, object_id=obj.pk, format=prepared.fmt,
                           content_hash=prepared.content_hash, size=size,
                           organisation=kind.organisation(obj), requested_by=by)
    require(by, "documents.follow_render", job)
    earlier = _same_content(prepared, obj).exclude(state=RenderedDocument.State.DONE).first()
    if earlier is not None:
        return earlier
    job.queued_at = timezone.now()
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # Someone asked for the same content at the same moment and their job is committed.
        return _same_content(prepared, obj).filter(state__in=RenderedDocument.ACTIVE).get()
    activity.record("document.render_requested", actor=by, target=obj,
                    organisation=job.organisation,
                    after={"kind": prepared.key, "format": prepared.fmt, "job": job.pk,
                           "size": size})
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


@transaction.atomic
def retry_render(job, *, by) -> RenderedDocument:
    """Thử lại: render a failed job (or one left by a stopped worker) again."""
    locked = RENDER_FLOW.move(job, "retry", by=by, seen={},
                              after=lambda saved: {"kind": saved.kind, "format": saved.format})
    transaction.on_commit(partial(_enqueue, locked.pk))
    return locked
