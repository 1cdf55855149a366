"""The dossier checklist, computed from the rule set: form × nominee kind × procedure."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from thidua.nominations.models import Attachment, AttachmentVersion
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


# --- the checklist per document kind, counted in SQL (the page and submission) --------------

@dataclass
class KindLine:
    """One document kind of the checklist: for a per-nominee kind, how many of the nominees
    that need it have it ("Báo cáo thành tích: 4.998 / 5.000"); for a dossier's own document,
    how many files there are (one is enough). ``key`` is the key the office marks."""

    key: str
    label: str
    document_type: str
    per_nominee: bool
    original: bool
    count: int
    needed: int
    present: int
    kinds: tuple = ()

    @property
    def ok(self) -> bool:
        return self.present >= self.needed if self.per_nominee else self.present > 0

    @property
    def missing(self) -> int:
        return max(self.needed - self.present, 0) if self.per_nominee else int(not self.ok)


def grouped(number: int) -> str:
    """4998 → "4.998" in Vietnamese, "4,998" in English: groups of three whatever the
    locale's own grouping setting, with its separator."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def _requirements(dossier):
    return sorted((
        r for r in dossier.movement.rule_set.document_requirements.all()
        if r.provided_by == ProvidedBy.UNIT
        and r.procedure in {"any", dossier.procedure}
        and (r.award_form_id is None or r.award_form_id == dossier.award_form_id)
    ), key=lambda r: r.order)


def _kinds(requirement, all_kinds) -> tuple:
    return tuple(all_kinds) if requirement.nominee_kind == RuleNomineeKind.ANY \
        else (requirement.nominee_kind,)


def kind_lines(dossier) -> list[KindLine]:
    """The checklist per document kind, in three queries whatever the number of nominees."""
    by_kind = dict(dossier.nominees.values_list("kind").annotate(n=Count("pk")).order_by())
    with_file = dossier.attachments.filter(
        Exists(AttachmentVersion.objects.filter(attachment=OuterRef("pk"))))
    files = {(t, k): n for t, k, n in with_file.values_list("document_type", "nominee__kind")
             .annotate(n=Count("nominee", distinct=True)).order_by()}
    own = dict(with_file.filter(nominee__isnull=True).values_list("document_type")
               .annotate(n=Count("pk")).order_by())
    lines = []
    for req in _requirements(dossier):
        label = str(req.get_document_type_display())
        if req.per_nominee:
            kinds = _kinds(req, by_kind)
            needed = sum(by_kind.get(k, 0) for k in kinds)
            if not needed:
                continue
            present = sum(files.get((req.document_type, k), 0) for k in kinds)
            lines.append(KindLine(req.document_type, label, req.document_type, True,
                                  req.original, req.count, needed, present, kinds))
        else:
            if req.nominee_kind != RuleNomineeKind.ANY and not by_kind.get(req.nominee_kind):
                continue
            lines.append(KindLine(req.document_type, label, req.document_type, False,
                                  req.original, req.count, 1, own.get(req.document_type, 0)))
    return lines


def missing_nominees(dossier, line: KindLine):
    """The nominees who still lack ``line``'s document (shown on demand, a page at a time)."""
    has = Attachment.objects.filter(nominee=OuterRef("pk"), document_type=line.document_type,
                                    versions__isnull=False)
    return dossier.nominees.filter(kind__in=line.kinds).exclude(Exists(has))


def submission_problems(dossier, lines=None) -> list[str]:
    """Why the dossier cannot be submitted yet (empty when it can), one line per kind: "Thiếu:
    Báo cáo thành tích (2 / 5.000 người, tập thể chưa có)". Counted in SQL, so a list of
    thousands is checked in a few queries."""
    problems = []
    if not dossier.nominees.exists():
        problems.append(_("Chưa có người, tập thể nào trong danh sách đề nghị."))
    if dossier.unit_meeting_date is None:
        problems.append(_("Chưa nhập ngày họp xét của đơn vị."))
    for line in lines if lines is not None else kind_lines(dossier):
        if line.ok:
            continue
        if line.per_nominee:
            problems.append(_("Thiếu: %(item)s (%(missing)s / %(needed)s người, tập thể chưa có)")
                            % {"item": line.label, "missing": grouped(line.missing),
                               "needed": grouped(line.needed)})
        else:
            problems.append(_("Thiếu: %(item)s") % {"item": line.label})
    return problems
