"""Background work of the documents app, run by ``thidua worker``: rendering long documents.

The task takes the id of a :class:`~thidua.documents.models.RenderedDocument` row and records
its progress there; the page polls the row, never the task queue.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.documents.flows import RENDER_FLOW
from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument
from thidua.documents.render import prepare, render_prepared

logger = logging.getLogger(__name__)

# Stored untranslated and translated when shown, so each reader sees their own language.
RENDER_FAILED = gettext_noop("Không tạo được tệp văn bản. Hãy bấm “Thử lại”; nếu vẫn lỗi, hãy "
                             "báo quản trị hệ thống kèm số lượt tạo.")
GONE = gettext_noop("Văn bản không còn xem được (đã bị xóa, hoặc người yêu cầu không còn quyền "
                    "xem).")


@task(takes_context=True)
def render_document(context, job_id: int) -> int:
    """Render the job's document and store it; returns its size in bytes.

    A second attempt of the same task means its first worker died mid-render (only
    ``core.recovery`` delivers a task again): the job it left running is rendered again."""
    return run_render(job_id, redelivered=context.attempt > 1)


def _move(job, transition: str, **fields) -> bool:
    """Move the job for the person who asked for it; False when it is no longer where this run
    left it (taken by another delivery of the task, or retried after it looked stalled)."""

    def prepare_fields(locked):
        for name, value in fields.items():
            setattr(locked, name, value)

    try:
        RENDER_FLOW.follow(job, transition, by=job.requested_by, cause=f"task {job.task_id}",
                           prepare=prepare_fields)
    except ValidationError:
        logger.warning("Render job %s could not %s from %s; left alone.", job.pk, transition,
                       RenderedDocument.objects.get(pk=job.pk).state)
        return False
    return True


def run_render(job_id: int, *, redelivered: bool = False) -> int:
    job = RenderedDocument.objects.select_related("requested_by").filter(pk=job_id).first()
    # Delivered twice, or already finished: the state has moved on and the job is left alone
    # instead of being rendered again. Taken up again after its worker died, it is still
    # running: rendered again from the start.
    restart = redelivered and job is not None and job.state == RenderedDocument.State.RUNNING
    if job is None or not _move(job, "restart" if restart else "start"):
        return 0
    rows = RenderedDocument.objects.filter(pk=job_id)

    def progress(percent: int, pages: int) -> None:
        # Each update commits at once (no transaction around the render): the page sees it.
        rows.update(progress=percent, pages_done=pages, progressed_at=timezone.now())

    try:
        kind = get_kind(job.kind)
        # Rendered for the person who asked, through the kind's own access: a document they may
        # no longer see is not made for them.
        obj = kind.fetch(job.requested_by or AnonymousUser(), job.object_id)
        # What the document says now: if it changed since it was asked for, the file has the
        # new content, and is stored under the new content's hash.
        prepared = prepare(job.kind, obj, job.format)
        data = render_prepared(prepared, progress)
        # Written only once the whole file exists, so a failure leaves no half file.
        job.file.save(f"{kind.file_name(obj)}-{prepared.content_hash[:16]}.{job.format}",
                      ContentFile(data), save=False)
    except Exception as exc:
        logger.exception("Render job %s failed", job_id)
        if job.file:
            job.file.delete(save=False)
        error = GONE if isinstance(exc, Http404) else (
            "; ".join(exc.messages) if isinstance(exc, ValidationError) else RENDER_FAILED)
        _move(job, "fail", error=error)
        # Raised again so the queue records the traceback for the administrator too.
        raise
    if not _move(job, "finish", file=job.file.name, content_hash=prepared.content_hash):
        job.file.delete(save=False)
        return 0
    _forget_superseded(job, prepared.content_hash)
    return len(data)


def _forget_superseded(job, content_hash: str) -> None:
    """Files of earlier contents of the same document are never served again (any request
    hashes the current content): they are removed with their rows."""
    for old in (RenderedDocument.objects.filter(kind=job.kind, object_id=job.object_id,
                                                format=job.format,
                                                state=RenderedDocument.State.DONE)
                .exclude(content_hash=content_hash).exclude(pk=job.pk)):
        if old.file:
            old.file.delete(save=False)
        old.delete()
