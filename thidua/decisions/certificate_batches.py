"""Asking for a decision's certificates as one PDF made in the background, and asking again.

The row is written in the request's transaction; the task is queued only once that commits, so
the worker never looks for a batch that is not there yet (or was rolled back).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import activity
from thidua.core.permissions import require
from thidua.decisions.flows import BATCH_FLOW, DECISION_FLOW
from thidua.decisions.models import CertificateBatch, Decision
from thidua.decisions.tasks import print_certificate_batch


def _enqueue(batch_id: int) -> None:
    result = print_certificate_batch.enqueue(batch_id)
    # The immediate backend has already run the task, which may have saved this row itself.
    CertificateBatch.objects.filter(pk=batch_id).update(task_id=str(result.id))


@transaction.atomic
def request_certificate_batch(decision, *, layout, full_design: bool, base_url: str,
                              by) -> CertificateBatch:
    """In giấy khen: queue the issued decision's certificates as one PDF on ``layout``
    (None = the built-in A4 layout). The same request while one is still waiting or printing
    returns that one instead of printing twice."""
    require(by, "decisions.manage", decision)
    # The lock makes two clicks at once find each other's batch rather than start two.
    locked = DECISION_FLOW.lock(decision, seen={})
    if locked.state != Decision.State.ISSUED:
        raise ValidationError(_("Chỉ in giấy khen của quyết định đã ban hành."))
    if layout is not None and layout.organisation_id not in (None, locked.issuer_id):
        raise ValidationError(_("Mẫu phôi này không thuộc cơ quan ban hành quyết định."))
    awards = locked.printable_awards().count()
    if not awards:
        raise ValidationError(_("Quyết định không có ai được khen thưởng để in giấy khen."))
    waiting = [b for b in CertificateBatch.objects.filter(
        decision=locked, layout=layout, full_design=full_design, state__in=CertificateBatch.ACTIVE)
        if not b.is_stalled]
    if waiting:
        return waiting[0]
    batch = CertificateBatch.objects.create(
        decision=locked, layout=layout, full_design=full_design, pages_total=awards,
        base_url=base_url, requested_by=by, queued_at=timezone.now())
    activity.record("certificates.requested", actor=by, target=locked, organisation=locked.issuer,
                    after={"batch": batch.pk, "layout": layout.name if layout else None,
                           "full_design": full_design, "pages": awards})
    transaction.on_commit(partial(_enqueue, batch.pk))
    return batch


@transaction.atomic
def retry_certificate_batch(batch, *, by) -> CertificateBatch:
    """Thử lại: print a failed batch again, as it was asked for. The serials are the decision's,
    so the new file carries the same numbers as the failed attempt would have."""
    # The page does not say which state it showed: what counts is that the batch has failed or
    # stalled now, which the transition's condition checks on the locked row.
    locked = BATCH_FLOW.move(batch, "retry", by=by, seen={},
                             after=lambda saved: {"batch": saved.pk,
                                                  "decision": saved.decision.number_label})
    transaction.on_commit(partial(_enqueue, locked.pk))
    return locked
