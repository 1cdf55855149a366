"""Background work of the decisions app, run by ``thidua worker``.

A task takes the id of a row that says what to do and records how far it got on that row; the
page polls the row, never the task queue, so the queue backend can change without the pages.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.decisions.flows import BATCH_FLOW
from thidua.decisions.models import CertificateBatch
from thidua.decisions.printing import certificate_texts
from thidua.documents import certificates
from thidua.documents.models import CertificateLayout

logger = logging.getLogger(__name__)

# Stored untranslated and translated when shown, so each reader sees their own language.
RENDER_FAILED = gettext_noop("Không tạo được tệp PDF giấy khen. Hãy bấm “Thử lại”; nếu vẫn lỗi, "
                             "hãy báo quản trị hệ thống kèm số lượt in.")


@task(takes_context=True)
def print_certificate_batch(context, batch_id: int) -> int:
    """Render the batch's certificates into one PDF; returns the number of pages.

    A second attempt of the same task means its first worker died mid-batch (only
    ``core.recovery`` delivers a task again): the batch it left running is restarted."""
    return run_certificate_batch(batch_id, redelivered=context.attempt > 1)


def _move(batch, transition: str, **fields) -> bool:
    """Move the batch for the person who asked for it; False when it is no longer where this
    run left it (taken by another delivery of the task, or retried after it looked stalled)."""

    def prepare(locked):
        for name, value in fields.items():
            setattr(locked, name, value)

    try:
        # The cause names the queue's task, whose record keeps any traceback.
        BATCH_FLOW.follow(batch, transition, by=batch.requested_by,
                          cause=f"task {batch.task_id}", prepare=prepare)
    except ValidationError:
        logger.warning("Certificate batch %s could not %s from %s; left alone.", batch.pk,
                       transition, CertificateBatch.objects.get(pk=batch.pk).state)
        return False
    return True


def run_certificate_batch(batch_id: int, *, redelivered: bool = False) -> int:
    batch = CertificateBatch.objects.select_related(
        "decision__issuer", "decision__signer", "layout", "requested_by").filter(
        pk=batch_id).first()
    # A task delivered twice, or a batch already finished, finds the state moved on and is left
    # alone instead of being printed again over a good file. Taken up again after its worker
    # died, it finds the batch still running: printed again from the start, the same serials.
    restart = redelivered and batch is not None and batch.state == CertificateBatch.State.RUNNING
    if batch is None or not _move(batch, "restart" if restart else "start"):
        return 0
    rows = CertificateBatch.objects.filter(pk=batch_id)
    try:
        decision = batch.decision
        awards = list(decision.printable_awards())
        texts = certificate_texts(decision, awards, base_url=batch.base_url)
        rows.update(pages_total=len(texts))
        # No transaction around the rendering: each progress update commits at once, so the
        # polling page sees it while the rest is still being drawn.
        pdf = certificates.render(
            texts, batch.layout or CertificateLayout(name="A4 ngang"),
            full_design=batch.full_design, progress=lambda done: rows.update(pages_done=done,
                                                       progressed_at=timezone.now()))
        # The file is written only once the whole PDF exists, so a failure leaves no half file.
        batch.file.save(f"giay-khen-{decision.number}-{decision.year}-{batch.pk}.pdf",
                        ContentFile(pdf), save=False)
    except Exception:
        logger.exception("Certificate batch %s failed", batch_id)
        if batch.file:
            batch.file.delete(save=False)
        _move(batch, "fail", error=RENDER_FAILED)
        # Raised again so the queue records the traceback for the administrator too.
        raise
    if not _move(batch, "finish", file=batch.file.name, pages_done=len(texts)):
        batch.file.delete(save=False)
        return 0
    return len(texts)
