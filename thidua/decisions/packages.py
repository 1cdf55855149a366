"""The packages of a decision and of a proposal upward (hồ sơ trình cấp trên)."""

from thidua.documents.packages import Package, add_signed_copy, safe_name
from thidua.documents.render import render_kind_docx, render_pdf
from thidua.nominations.lists import dossier_list_xlsx
from thidua.nominations.packages import add_dossier


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
        package.add(f"bo-sung/{supplement.pk}-{safe_name(supplement.description)}.{ext}", content,
                    kind="supplement", description=supplement.description,
                    original_name=supplement.original_name, sending=supplement.sending)
    dossiers = {item.nominee.dossier for item in proposal.items.select_related(
        "nominee__dossier__organisation", "nominee__dossier__award_form")}
    for dossier in sorted(dossiers, key=lambda d: d.pk):
        folder = f"ho-so/{dossier.pk}-{safe_name(dossier.organisation.name)}/"
        add_dossier(package, dossier, dossier_list_xlsx(dossier), folder)
    return package.close()
