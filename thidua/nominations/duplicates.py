"""Warnings for the same subject nominated twice, and for an achievement already rewarded.

Matching folds case and diacritics ("Đỗ Đức Đạt" = "do duc dat"): each nominee keeps its
``person_key`` (folded name + birth year, written when the list changes), so the candidates are
looked up by index — never a nominee compared with every other one. Kind and unit (the same
folded unit, the same proposing unit, or the same subject) are then checked on those few, the
same rule in SQL (:func:`flagged`, for the whole list) and in Python (:func:`duplicate_warnings`,
for the rows on screen).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from thidua.nominations.models import AwardRecord, Dossier, Nominee


@dataclass
class DuplicateWarning:
    nominee: Nominee
    others: list[Nominee] = field(default_factory=list)
    awards: list[AwardRecord] = field(default_factory=list)


def _same_person(a: Nominee, b: Nominee, organisation_id) -> bool:
    """``b`` (a candidate with ``a``'s person key) is the same subject as ``a``, a nominee of a
    dossier of ``organisation_id``."""
    if a.kind != b.kind or a.person_key != b.person_key:
        return False
    same_unit = (a.unit_folded and a.unit_folded == b.unit_folded) or (
        organisation_id == b.dossier.organisation_id)
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
    """Warnings for each of ``nominees`` (the rows on screen) of ``dossier``, keyed by nominee
    id; two indexed queries in all, however long the list."""
    if not nominees:
        return {}
    candidates = {}
    for other in (comparable_nominees(dossier)
                  .filter(person_key__in={n.person_key for n in nominees})
                  .select_related("dossier__organisation", "dossier__award_form")
                  .order_by("pk")):
        candidates.setdefault(other.person_key, []).append(other)
    awards = {}
    for award in AwardRecord.objects.filter(subject_id__in={n.subject_id for n in nominees},
                                            movement_id=dossier.movement_id):
        awards.setdefault(award.subject_id, []).append(award)
    warnings = {}
    for nominee in nominees:
        others = [c for c in candidates.get(nominee.person_key, [])
                  if c.pk != nominee.pk and _same_person(nominee, c, dossier.organisation_id)]
        if nominee.duplicate_confirmed:
            others = [o for o in others if o.subject_id == nominee.subject_id]
        rewarded = awards.get(nominee.subject_id, [])
        if others or rewarded:
            warnings[nominee.pk] = DuplicateWarning(nominee, others, rewarded)
    return warnings


def flagged(dossier):
    """The nominees of ``dossier`` that :func:`duplicate_warnings` warns about, as one query
    (EXISTS probes on the person key): the page counts them and can show only them."""
    same = (comparable_nominees(dossier)
            .filter(person_key=OuterRef("person_key"), kind=OuterRef("kind"))
            .exclude(pk=OuterRef("pk"))
            .filter((Q(unit_folded=OuterRef("unit_folded")) & ~Q(unit_folded=""))
                    | Q(dossier__organisation_id=dossier.organisation_id)
                    | Q(subject_id=OuterRef("subject_id"))))
    rewarded = AwardRecord.objects.filter(subject_id=OuterRef("subject_id"),
                                          movement_id=dossier.movement_id)
    return dossier.nominees.filter(
        (Q(duplicate_confirmed=False) & Exists(same))
        | Exists(same.filter(subject_id=OuterRef("subject_id")))
        | Exists(rewarded))
