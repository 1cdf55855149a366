"""What changed between two submissions of a dossier, from their snapshots.

A snapshot (``nominations.actions.snapshot``) keeps each nominee's fields as stored values: a
choice's value ("frontline"), the content area's id. The diff shows them as the office reads
them — the choice's label, the area as "2.1. Title" from the labels the snapshot itself kept
(``content_areas``), so an area renamed or removed since still reads as it was sent. A field a
snapshot does not hold (one taken before the field existed) counts as empty: old snapshots
still compare, and show a value set since as added.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.nominations.forms import NomineeForm

HEADER_LABELS = {
    "award_form": _("Hình thức đề nghị"),
    "procedure": _("Thủ tục"),
    "unit_meeting_date": _("Ngày họp xét của đơn vị"),
    "unit_meeting_result": _("Kết quả họp xét"),
}
# The nominee's content area: the snapshot holds its id, and the labels in ``content_areas``.
AREA = "content_area"


@dataclass
class Change:
    what: str
    before: str = ""
    after: str = ""


@dataclass
class DossierDiff:
    header: list[Change] = field(default_factory=list)
    nominees_added: list[str] = field(default_factory=list)
    nominees_removed: list[str] = field(default_factory=list)
    nominees_changed: list[tuple[str, list[Change]]] = field(default_factory=list)
    documents: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.header or self.nominees_added or self.nominees_removed
                    or self.nominees_changed or self.documents)


def _doc_label(doc: dict) -> str:
    return f"{doc['type']} — {doc['nominee']}" if doc["nominee"] else doc["type"]


def _choice_labels() -> dict[str, dict[str, str]]:
    """Each choice field of the nominee's form: its values' labels, in the reader's language."""
    return {name: {str(value): str(label) for value, label in f.choices if value}
            for name, f in NomineeForm.base_fields.items()
            if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField)}


def _readable(name: str, value: str, choices: dict, areas: dict) -> str:
    if not value:
        return ""
    if name == AREA:
        return areas.get(value, value)
    return choices.get(name, {}).get(value, value)


def _nominee_changes(old: dict, new: dict, labels, choices, old_areas, new_areas) -> list[Change]:
    changes = []
    for name in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(name, ""), new.get(name, "")
        if before != after:
            changes.append(Change(labels.get(name, name),
                                  _readable(name, before, choices, old_areas),
                                  _readable(name, after, choices, new_areas)))
    return changes


def compare(old: dict, new: dict) -> DossierDiff:
    diff = DossierDiff()
    for key, label in HEADER_LABELS.items():
        if old.get(key) != new.get(key):
            diff.header.append(Change(str(label), old.get(key, ""), new.get(key, "")))
    old_n, new_n = old["nominees"], new["nominees"]
    diff.nominees_added = [new_n[k]["full_name"] for k in new_n if k not in old_n]
    diff.nominees_removed = [old_n[k]["full_name"] for k in old_n if k not in new_n]
    labels = {name: str(f.label) for name, f in NomineeForm.base_fields.items()}
    choices = _choice_labels()
    old_areas, new_areas = old.get("content_areas", {}), new.get("content_areas", {})
    for key in (k for k in new_n if k in old_n):  # in the list's order, not a set's
        changes = _nominee_changes(old_n[key], new_n[key], labels, choices, old_areas, new_areas)
        if changes:
            diff.nominees_changed.append((new_n[key]["full_name"], changes))
    old_d, new_d = old["documents"], new["documents"]
    for key in (k for k in new_d if k not in old_d):
        diff.documents.append(Change(_doc_label(new_d[key]), "", new_d[key]["file"]))
    for key in (k for k in old_d if k not in new_d):
        diff.documents.append(Change(_doc_label(old_d[key]), old_d[key]["file"], ""))
    for key in (k for k in new_d if k in old_d):
        if old_d[key]["sha256"] != new_d[key]["sha256"]:
            diff.documents.append(Change(_doc_label(new_d[key]), old_d[key]["file"],
                                         new_d[key]["file"]))
    return diff
