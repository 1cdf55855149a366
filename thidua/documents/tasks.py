"""Background work of the documents app, run by ``thidua worker``: rendering long documents and
making large packages (ZIP).

The task takes the id of a :class:`~thidua.documents.models.RenderedDocument` row and records
its progress there; the page polls the row, never the task queue.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.core.jobs import Finished, run_job
from thidua.documents.flows import RENDER_FLOW
from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument
from thidua.documents.packages import build_file, get_package
from thidua.documents.render import prepare, render_prepared

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


def run_render(job_id: int, *, redelivered: bool = False) -> int:
    return run_job(RENDER_FLOW, job_id, redelivered=redelivered, work=_render, failure=_failure,
                   after=lambda job, finished: _forget_superseded(
                       job, finished.fields["content_hash"]))


def _render(job, rows) -> Finished:
    def progress(percent: int, pages: int) -> None:
        rows.update(progress=percent, pages_done=pages, progressed_at=timezone.now())

    if job.format == RenderedDocument.Format.ZIP:
        return _package(job, progress)
    kind = get_kind(job.kind)
    # Rendered for the person who asked, through the kind's own access: a document they may
    # no longer see is not made for them.
    obj = kind.fetch(job.requested_by or AnonymousUser(), job.object_id)
    # What the document says now: if it changed since it was asked for, the file has the new
    # content, and is stored under the new content's hash.
    prepared = prepare(job.kind, obj, job.format)
    data = render_prepared(prepared, progress)
    return Finished(f"{kind.file_name(obj)}-{prepared.content_hash[:16]}.{job.format}", data,
                    result=len(data),
                    fields={"content_hash": prepared.content_hash, "progress": 100})


def _package(job, progress) -> Finished:
    """A document's package: made from what it holds now (its plan), written to a temporary
    file entry by entry and stored under the plan's key."""
    package = get_package(job.kind)
    # For the person who asked, through the package's own access (narrower than the
    # document's for a proposal upward).
    obj = package.fetch(job.requested_by or AnonymousUser(), job.object_id)
    plan = package.plan(obj)
    made = build_file(plan, progress)
    return Finished(f"{package.file_name(obj)}-{plan.key[:16]}.zip", made, result=made.size,
                    fields={"content_hash": plan.key, "progress": 100})


def _failure(exc: Exception) -> str:
    if isinstance(exc, Http404):
        return GONE
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else RENDER_FAILED


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
