"""The packages of a decision and of a proposal upward (hồ sơ trình cấp trên), described as plans
(``documents.packages``) and registered, so that a large one is made by the worker and a package
already made is served again while nothing in it changed."""

from django.http import Http404
from django.urls import reverse

from thidua.decisions.access import get_decision_for, get_proposal_for
from thidua.documents.packages import (
    PackageKind,
    Plan,
    register_package,
    rendered,
    safe_name,
    signed_copy,
    stored_file,
)
from thidua.nominations.packages import dossier_entries


def decision_plan(decision) -> Plan:
    """The decision (or amending decision) as PDF and DOCX, and its signed scan when filed."""
    key = decision.document_kind
    base = f"quyet-dinh-{decision.number}-{decision.year}"
    entries = (
        *signed_copy(key, decision, base),
        rendered(f"{base}.pdf", key, decision, "pdf", kind="decision_pdf",
                 description=str(decision)),
        rendered(f"{base}.docx", key, decision, "docx", kind="decision_docx",
                 description=str(decision)),
    )
    return Plan(str(decision), f"decision:{decision.pk}", entries,
                size=decision.awards.count())


def proposal_plan(proposal) -> Plan:
    """Hồ sơ trình cấp trên: the proposal (signed scan, PDF, DOCX), the supplements the higher body
    asked for and, one folder each, every dossier whose people are on its list — what the
    province receives."""
    base = f"to-trinh-{proposal.number}-{proposal.year}"
    entries = [
        *signed_copy("upward_proposal", proposal, base),
        rendered(f"{base}.pdf", "upward_proposal", proposal, "pdf", kind="upward_proposal_pdf",
                 description=str(proposal)),
        rendered(f"{base}.docx", "upward_proposal", proposal, "docx",
                 kind="upward_proposal_docx", description=str(proposal)),
    ]
    for supplement in proposal.attachments.all():
        ext = supplement.file.name.rsplit(".", 1)[-1]
        entries.append(stored_file(
            f"bo-sung/{supplement.pk}-{safe_name(supplement.description)}.{ext}", supplement.file,
            sha256=supplement.sha256, size=supplement.size, kind="supplement",
            description=supplement.description, original_name=supplement.original_name,
            sending=supplement.sending))
    dossiers = {item.nominee.dossier for item in proposal.items.select_related(
        "nominee__dossier__organisation", "nominee__dossier__award_form",
        "nominee__dossier__movement")}
    for dossier in sorted(dossiers, key=lambda d: d.pk):
        folder = f"ho-so/{dossier.pk}-{safe_name(dossier.organisation.name)}/"
        entries += dossier_entries(dossier, folder)
    return Plan(str(proposal), f"proposal:{proposal.pk}:sent:{proposal.times_sent}",
                tuple(entries), size=proposal.items.count())


def get_decision_package_for(key: str):
    """The decision whose package ``key`` is (an amending decision's is its own kind)."""
    def fetch(user, pk):
        decision = get_decision_for(user, pk)
        if decision.document_kind != key:
            raise Http404
        return decision
    return fetch


def get_proposal_package_for(user, pk):
    """Only the secretariat that sends it takes a proposal's package: the dossiers inside hold
    other units' people (birth years, ethnicity) that a unit or a council member may not open
    one by one. 404 for anyone else, as for a proposal that does not exist."""
    proposal = get_proposal_for(user, pk)
    if not user.has_perm("decisions.draft", proposal.movement):  # proposal_abilities' "manage"
        raise Http404
    return proposal


def _decision_url(decision) -> str:
    return reverse("decisions:package", args=[decision.pk])


def _decision_name(decision) -> str:
    return f"quyet-dinh-{decision.number}-{decision.year}"


for _key in ("decision", "amendment"):
    register_package(PackageKind(key=_key, fetch=get_decision_package_for(_key), plan=decision_plan,
                                 file_name=_decision_name, url=_decision_url))

register_package(PackageKind(
    key="upward_proposal", fetch=get_proposal_package_for, plan=proposal_plan,
    file_name=lambda proposal: f"to-trinh-{proposal.number}-{proposal.year}",
    url=lambda proposal: reverse("proposals:package", args=[proposal.pk])))
