"""What changed between two submissions of a dossier, from their snapshots."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from thidua.nominations.forms import NomineeForm

HEADER_LABELS = {
    "award_form": _("Hình thức đề nghị"),
    "procedure": _("Thủ tục"),
    "unit_meeting_date": _("Ngày họp xét của đơn vị"),
    "unit_meeting_result": _("Kết quả họp xét"),
}


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


def compare(old: dict, new: dict) -> DossierDiff:
    diff = DossierDiff()
    for key, label in HEADER_LABELS.items():
        if old.get(key) != new.get(key):
            diff.header.append(Change(str(label), old.get(key, ""), new.get(key, "")))
    old_n, new_n = old["nominees"], new["nominees"]
    diff.nominees_added = [new_n[k]["full_name"] for k in new_n if k not in old_n]
    diff.nominees_removed = [old_n[k]["full_name"] for k in old_n if k not in new_n]
    labels = {name: str(f.label) for name, f in NomineeForm.base_fields.items()}
    for key in new_n.keys() & old_n.keys():
        changes = [Change(labels.get(f, f), old_n[key][f], new_n[key][f])
                   for f in new_n[key] if old_n[key].get(f) != new_n[key][f]]
        if changes:
            diff.nominees_changed.append((new_n[key]["full_name"], changes))
    old_d, new_d = old["documents"], new["documents"]
    for key in new_d.keys() - old_d.keys():
        diff.documents.append(Change(_doc_label(new_d[key]), "", new_d[key]["file"]))
    for key in old_d.keys() - new_d.keys():
        diff.documents.append(Change(_doc_label(old_d[key]), old_d[key]["file"], ""))
    for key in new_d.keys() & old_d.keys():
        if old_d[key]["sha256"] != new_d[key]["sha256"]:
            diff.documents.append(Change(_doc_label(new_d[key]), old_d[key]["file"],
                                         new_d[key]["file"]))
    return diff
