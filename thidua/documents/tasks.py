"""Background work of the documents app, run by ``thidua db_worker``.

A task takes the id of a row that says what to do and records how far it got on that row; the
page polls the row, never the task queue, so the queue backend can change without the pages.
"""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.decisions.printing import certificate_texts
from thidua.documents import certificates
from thidua.documents.models import CertificateBatch, CertificateLayout

logger = logging.getLogger(__name__)

# Stored untranslated and translated when shown, so each reader sees their own language.
RENDER_FAILED = gettext_noop("Không tạo được tệp PDF giấy khen. Hãy bấm “Thử lại”; nếu vẫn lỗi, "
                             "hãy báo quản trị hệ thống kèm số lượt in.")


@task()
def print_certificate_batch(batch_id: int) -> int:
    """Render the batch's certificates into one PDF; returns the number of pages."""
    return run_certificate_batch(batch_id)


def run_certificate_batch(batch_id: int) -> int:
    # Claim by a conditional update: a task delivered twice, or a batch already finished,
    # is left alone instead of being printed again over a good file.
    claimed = CertificateBatch.objects.filter(pk=batch_id, state=CertificateBatch.State.QUEUED).update(
        state=CertificateBatch.State.RUNNING, started_at=timezone.now(), finished_at=None,
        progressed_at=None, pages_done=0, error="")
    if not claimed:
        logger.warning("Certificate batch %s is not queued; nothing to do.", batch_id)
        return 0
    batch = CertificateBatch.objects.select_related(
        "decision__issuer", "decision__signer", "layout").get(pk=batch_id)
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
        rows.update(state=CertificateBatch.State.DONE, file=batch.file.name,
                    pages_done=len(texts), finished_at=timezone.now())
    except Exception:
        logger.exception("Certificate batch %s failed", batch_id)
        if batch.file:
            batch.file.delete(save=False)
        rows.update(state=CertificateBatch.State.FAILED, file="", error=RENDER_FAILED,
                    finished_at=timezone.now())
        # Raised again so the queue records the traceback for the administrator too.
        raise
    return len(texts)
