"""A dossier's package: its list, every current document and the unit's Tờ trình, as one ZIP
with the manifest — what the unit sends, and a folder of the proposal upward's package."""

from thidua.documents.packages import Package, add_signed_copy, safe_name
from thidua.documents.render import render_pdf


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
        who = f"-{safe_name(attachment.nominee.full_name)}" if attachment.nominee else ""
        ext = latest.file.name.rsplit(".", 1)[-1]
        package.add(f"{folder}tai-lieu/{attachment.document_type}{who}.{ext}", content,
                    kind=attachment.document_type,
                    description=attachment.get_document_type_display()
                    + (f" — {attachment.nominee.full_name}" if attachment.nominee else ""),
                    original=attachment.original, original_name=latest.original_name,
                    uploaded_at=latest.uploaded_at.isoformat(), dossier=dossier.pk)
