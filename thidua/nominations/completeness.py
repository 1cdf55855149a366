"""The dossier checklist, computed from the rule set: form × nominee kind × procedure."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from thidua.rulesets.models import NomineeKind as RuleNomineeKind
from thidua.rulesets.models import ProvidedBy


@dataclass
class ChecklistItem:
    key: str
    label: str
    document_type: str
    nominee_id: int | None
    original: bool
    count: int
    present: int

    @property
    def ok(self) -> bool:
        return self.present > 0


def checklist(dossier, nominees, attachments) -> list[ChecklistItem]:
    """Every document the unit must provide, and how many files are there for each.

    ``nominees`` and ``attachments`` are passed in (already fetched, with versions prefetched)
    so a page shows the checklist without extra queries per nominee.
    """
    requirements = [
        r for r in dossier.movement.rule_set.document_requirements.all()
        if r.provided_by == ProvidedBy.UNIT
        and r.procedure in {"any", dossier.procedure}
        and (r.award_form_id is None or r.award_form_id == dossier.award_form_id)
    ]
    present = {}
    for attachment in attachments:
        if attachment.versions.all():
            key = (attachment.document_type, attachment.nominee_id)
            present[key] = present.get(key, 0) + 1

    items = []
    for req in sorted(requirements, key=lambda r: r.order):
        label = req.get_document_type_display()
        if req.per_nominee:
            for nominee in nominees:
                if req.nominee_kind not in {RuleNomineeKind.ANY, nominee.kind}:
                    continue
                items.append(ChecklistItem(
                    key=f"{req.document_type}:{nominee.pk}",
                    label=_("%(doc)s — %(name)s") % {"doc": label, "name": nominee.full_name},
                    document_type=req.document_type, nominee_id=nominee.pk,
                    original=req.original, count=req.count,
                    present=present.get((req.document_type, nominee.pk), 0),
                ))
        else:
            if req.nominee_kind != RuleNomineeKind.ANY and not any(
                    n.kind == req.nominee_kind for n in nominees):
                continue
            items.append(ChecklistItem(
                key=req.document_type, label=label, document_type=req.document_type,
                nominee_id=None, original=req.original, count=req.count,
                present=present.get((req.document_type, None), 0),
            ))
    return items


def missing_for_submission(dossier, nominees, attachments, items=None) -> list[str]:
    """Human-readable reasons the dossier cannot be submitted yet (empty when it can).
    ``items`` is the checklist when the caller has already computed it."""
    problems = []
    if not nominees:
        problems.append(_("Chưa có người, tập thể nào trong danh sách đề nghị."))
    if dossier.unit_meeting_date is None:
        problems.append(_("Chưa nhập ngày họp xét của đơn vị."))
    problems += [_("Thiếu: %(item)s") % {"item": item.label}
                 for item in (items if items is not None
                              else checklist(dossier, nominees, attachments)) if not item.ok]
    return problems
