"""Hồ sơ gửi cấp trên: one ZIP per dossier or decision, with a manifest of what each file is and
its SHA-256 — what the province receives."""

import hashlib
import io
import json
import zipfile

from django.utils import timezone

from thidua.core.text import fold
from thidua.documents.render import render_pdf


def _safe(name: str) -> str:
    """An ASCII file name for the archive (some unzip tools still mangle UTF-8 names)."""
    folded = fold(name).replace(" ", "-")
    return "".join(ch for ch in folded if ch.isalnum() or ch in "-._") or "tep"


class Package:
    def __init__(self, title: str, reference: str):
        self.buffer = io.BytesIO()
        self.archive = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)
        self.manifest = {"title": title, "reference": reference,
                         "created_at": timezone.now().isoformat(), "files": []}

    def add(self, path: str, content: bytes, *, kind: str, description: str, **extra):
        if any(f["path"] == path for f in self.manifest["files"]):
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}-{len(self.manifest['files'])}{dot}{ext}"
        self.archive.writestr(path, content)
        self.manifest["files"].append({
            "path": path, "kind": kind, "description": description,
            "sha256": hashlib.sha256(content).hexdigest(), "size": len(content), **extra})

    def close(self) -> bytes:
        self.archive.writestr("manifest.json", json.dumps(self.manifest, ensure_ascii=False,
                                                          indent=2))
        self.archive.close()
        return self.buffer.getvalue()


def dossier_package(dossier, excel_list: bytes) -> bytes:
    """Every current document of a dossier, its list as Excel, and the manifest."""
    package = Package(f"Hồ sơ đề nghị {dossier.award_form.name} — {dossier.organisation.name}",
                      f"dossier:{dossier.pk}:round:{dossier.round}")
    add_dossier(package, dossier, excel_list)
    # The unit's Tờ trình as the product writes it from the dossier's current data. The signed
    # paper, once the unit uploaded it, travels as its "unit_submission" attachment above.
    package.add("to-trinh-don-vi.pdf", render_pdf("unit_proposal", dossier), kind="unit_proposal_pdf",
                description="Tờ trình của đơn vị, kèm danh sách — bản do hệ thống lập, chưa ký",
                dossier=dossier.pk)
    add_signed_copy(package, "unit_proposal", dossier, "to-trinh-don-vi")
    return package.close()


def add_dossier(package: Package, dossier, excel_list: bytes, folder: str = "") -> None:
    """A dossier's list and current documents, under ``folder`` when bundled with others."""
    package.add(f"{folder}danh-sach.xlsx", excel_list, kind="nominee_list",
                description="Danh sách đề nghị khen thưởng", dossier=dossier.pk)
    attachments = dossier.attachments.select_related("nominee").prefetch_related("versions")
    for attachment in attachments:
        versions = list(attachment.versions.all())
        if not versions:
            continue
        latest = versions[0]
        with latest.file.open("rb") as handle:
            content = handle.read()
        who = f"-{_safe(attachment.nominee.full_name)}" if attachment.nominee else ""
        ext = latest.file.name.rsplit(".", 1)[-1]
        package.add(f"{folder}tai-lieu/{attachment.document_type}{who}.{ext}", content,
                    kind=attachment.document_type,
                    description=attachment.get_document_type_display()
                    + (f" — {attachment.nominee.full_name}" if attachment.nominee else ""),
                    original=attachment.original, original_name=latest.original_name,
                    uploaded_at=latest.uploaded_at.isoformat(), dossier=dossier.pk)


def add_signed_copy(package: Package, key: str, obj, base: str) -> None:
    """The signed scan, when one is filed: the record the receiver relies on."""
    from thidua.documents.models import SignedCopy

    copy = SignedCopy.current(key, obj)
    if copy is None:
        return
    with copy.file.open("rb") as handle:
        content = handle.read()
    ext = copy.file.name.rsplit(".", 1)[-1]
    package.add(f"{base}-ban-da-ky.{ext}", content, kind=f"{key}_signed",
                description=f"{obj} — bản đã ký", original_name=copy.original_name,
                uploaded_at=copy.uploaded_at.isoformat())


def decision_package(decision, pdf: bytes, docx: bytes) -> bytes:
    package = Package(str(decision), f"decision:{decision.pk}")
    base = f"quyet-dinh-{decision.number}-{decision.year}"
    add_signed_copy(package, decision.document_kind, decision, base)
    package.add(f"{base}.pdf", pdf, kind="decision_pdf", description=str(decision))
    package.add(f"{base}.docx", docx, kind="decision_docx", description=str(decision))
    return package.close()


def proposal_package(proposal) -> bytes:
    """Hồ sơ trình cấp trên: the proposal (signed scan, PDF, DOCX) and, one folder each, every
    dossier whose people are on its list — what the province receives."""
    from thidua.documents.render import render_kind_docx, render_pdf
    from thidua.nominations.lists import dossier_list_xlsx

    package = Package(str(proposal), f"proposal:{proposal.pk}:sent:{proposal.times_sent}")
    base = f"to-trinh-{proposal.number}-{proposal.year}"
    add_signed_copy(package, "upward_proposal", proposal, base)
    package.add(f"{base}.pdf", render_pdf("upward_proposal", proposal), kind="upward_proposal_pdf",
                description=str(proposal))
    package.add(f"{base}.docx", render_kind_docx("upward_proposal", proposal),
                kind="upward_proposal_docx", description=str(proposal))
    for supplement in proposal.attachments.all():
        with supplement.file.open("rb") as handle:
            content = handle.read()
        ext = supplement.file.name.rsplit(".", 1)[-1]
        package.add(f"bo-sung/{supplement.pk}-{_safe(supplement.description)}.{ext}", content,
                    kind="supplement", description=supplement.description,
                    original_name=supplement.original_name, sending=supplement.sending)
    dossiers = {item.nominee.dossier for item in proposal.items.select_related(
        "nominee__dossier__organisation", "nominee__dossier__award_form")}
    for dossier in sorted(dossiers, key=lambda d: d.pk):
        folder = f"ho-so/{dossier.pk}-{_safe(dossier.organisation.name)}/"
        add_dossier(package, dossier, dossier_list_xlsx(dossier), folder)
    return package.close()
