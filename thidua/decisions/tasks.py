"""Background work of the decisions app, run by ``thidua worker``.

A task takes the id of a row that says what to do and records how far it got on that row; the
page polls the row, never the task queue, so the queue backend can change without the pages.
"""

from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from thidua.core.jobs import Finished, run_job
from thidua.decisions.flows import BATCH_FLOW
from thidua.decisions.printing import certificate_texts
from thidua.documents import certificates
from thidua.documents.models import CertificateLayout

# Stored untranslated and translated when shown, so each reader sees their own language.
RENDER_FAILED = gettext_noop("Không tạo được tệp PDF giấy khen. Hãy bấm “Thử lại”; nếu vẫn lỗi, "
                             "hãy báo quản trị hệ thống kèm số lượt in.")


@task(takes_context=True)
def print_certificate_batch(context, batch_id: int) -> int:
    """Render the batch's certificates into one PDF; returns the number of pages.

    A second attempt of the same task means its first worker died mid-batch (only
    ``core.recovery`` delivers a task again): the batch it left running is restarted."""
    return run_certificate_batch(batch_id, redelivered=context.attempt > 1)


def run_certificate_batch(batch_id: int, *, redelivered: bool = False) -> int:
    # Taken up again after its worker died, the batch is printed again on the same serials.
    return run_job(BATCH_FLOW, batch_id, redelivered=redelivered, work=_print, failure=RENDER_FAILED,
                   select_related=("decision__issuer", "decision__signer", "layout"))


def _print(batch, rows) -> Finished:
    decision = batch.decision
    awards = list(decision.printable_awards())
    texts = certificate_texts(decision, awards, base_url=batch.base_url)
    rows.update(pages_total=len(texts))
    pdf = certificates.render(
        texts, batch.layout or CertificateLayout(name="A4 ngang"), full_design=batch.full_design,
        progress=lambda done: rows.update(pages_done=done, progressed_at=timezone.now()))
    return Finished(f"giay-khen-{decision.number}-{decision.year}-{batch.pk}.pdf", pdf,
                    result=len(texts), fields={"pages_done": len(texts)})
