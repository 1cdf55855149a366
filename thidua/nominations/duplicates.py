"""Warnings for the same subject nominated twice, and for an achievement already rewarded.

Matching folds case and diacritics ("Đỗ Đức Đạt" = "do duc dat") and compares birth year and
unit, so a name typed differently in two wards' Excel lists still meets itself.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from thidua.nominations.models import AwardRecord, Dossier, Nominee


@dataclass
class DuplicateWarning:
    nominee: Nominee
    others: list[Nominee] = field(default_factory=list)
    awards: list[AwardRecord] = field(default_factory=list)


def _same_person(a: Nominee, b: Nominee) -> bool:
    if a.kind != b.kind or a.name_folded != b.name_folded:
        return False
    if a.birth_year and b.birth_year and a.birth_year != b.birth_year:
        return False
    same_unit = (a.unit_folded and a.unit_folded == b.unit_folded) or (
        a.dossier.organisation_id == b.dossier.organisation_id)
    return bool(same_unit) or a.subject_id == b.subject_id


def comparable_nominees(dossier):
    """The nominees of the movement that ``dossier``'s list is compared with, and whose subject
    one of its nominees may be linked to: every dossier of the movement but withdrawn ones;
    another unit's only once sent (its unsent draft is its own business)."""
    return (
        Nominee.objects.filter(dossier__movement_id=dossier.movement_id)
        .exclude(dossier__state=Dossier.State.WITHDRAWN)
        .filter(Q(dossier__organisation_id=dossier.organisation_id) | Q(dossier__round__gt=0))
    )


def duplicate_warnings(dossier, nominees) -> dict[int, DuplicateWarning]:
    """Warnings for each nominee of ``dossier``, keyed by nominee id; two queries in all."""
    if not nominees:
        return {}
    names = {n.name_folded for n in nominees}
    candidates = list(
        comparable_nominees(dossier).filter(name_folded__in=names)
        .select_related("dossier__organisation", "dossier__award_form")
    )
    awards = list(
        AwardRecord.objects.filter(subject_id__in={n.subject_id for n in nominees},
                                   movement_id=dossier.movement_id)
    )
    warnings = {}
    for nominee in nominees:
        others = [c for c in candidates if c.pk != nominee.pk and _same_person(nominee, c)]
        if nominee.duplicate_confirmed:
            others = [o for o in others if o.subject_id == nominee.subject_id]
        rewarded = [a for a in awards if a.subject_id == nominee.subject_id]
        if others or rewarded:
            warnings[nominee.pk] = DuplicateWarning(nominee, others, rewarded)
    return warnings
