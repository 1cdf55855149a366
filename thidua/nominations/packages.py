"""A dossier's package: its list, every current document and the unit's Tờ trình, as one ZIP
with the manifest — what the unit sends, and a folder of the proposal upward's package.

Described as a plan (``documents.packages``): each file with the identity of its bytes, so a
package already made is found again, and a large one is made by the worker."""

from functools import partial

from django.urls import reverse

from thidua.documents.packages import (
    Entry,
    PackageKind,
    Plan,
    digest_of,
    generated,
    register_package,
    rendered,
    safe_name,
    signed_copy,
    stored_file,
)
from thidua.nominations.access import get_dossier_for
from thidua.nominations.lists import award_form_choices, dossier_list_xlsx
from thidua.nominations.models import Nominee

# Writing the Excel list (openpyxl): about half a millisecond a row, measured with the package.
LIST_MS = 50
LIST_MS_PER_ROW = 0.5


def dossier_plan(dossier) -> Plan:
    """Every current document of a dossier, its list as Excel, the unit's Tờ trình as the product
    writes it from the dossier's current data, and its signed scan when filed. The signed paper
    the unit uploaded travels as its "unit_submission" attachment."""
    entries = [
        *dossier_entries(dossier),
        rendered("to-trinh-don-vi.pdf", "unit_proposal", dossier, "pdf", kind="unit_proposal_pdf",
                 description="Tờ trình của đơn vị, kèm danh sách — bản do hệ thống lập, chưa ký",
                 dossier=dossier.pk),
        *signed_copy("unit_proposal", dossier, "to-trinh-don-vi"),
    ]
    return Plan(f"Hồ sơ đề nghị {dossier.award_form.name} — {dossier.organisation.name}",
                f"dossier:{dossier.pk}:round:{dossier.round}", tuple(entries),
                size=dossier.nominees.count())


def dossier_entries(dossier, folder: str = "") -> list[Entry]:
    """A dossier's list and current documents, under ``folder`` when bundled with others."""
    rows, identity = list_identity(dossier)
    entries = [generated(f"{folder}danh-sach.xlsx", partial(dossier_list_xlsx, dossier),
                         identity=identity, cost_ms=LIST_MS + LIST_MS_PER_ROW * rows,
                         kind="nominee_list", description="Danh sách đề nghị khen thưởng",
                         dossier=dossier.pk)]
    attachments = dossier.attachments.select_related("nominee").prefetch_related("versions")
    for attachment in attachments:
        versions = list(attachment.versions.all())
        if not versions:
            continue
        latest = versions[0]
        who = f"-{safe_name(attachment.nominee.full_name)}" if attachment.nominee else ""
        ext = latest.file.name.rsplit(".", 1)[-1]
        entries.append(stored_file(
            f"{folder}tai-lieu/{attachment.document_type}{who}.{ext}", latest.file,
            sha256=latest.sha256, size=latest.size, kind=attachment.document_type,
            description=attachment.get_document_type_display()
            + (f" — {attachment.nominee.full_name}" if attachment.nominee else ""),
            original=attachment.original, original_name=latest.original_name,
            uploaded_at=latest.uploaded_at.isoformat(), dossier=dossier.pk))
    return entries


def list_identity(dossier) -> tuple[int, str]:
    """How many rows the dossier's Excel list has, and the hash of everything it is made from:
    every column of its nominees, the movement's award forms and content areas, the dossier's
    form and unit (``lists.dossier_list_xlsx``)."""
    columns = [f.attname for f in Nominee._meta.concrete_fields]
    nominees = list(dossier.nominees.order_by("pk").values_list(*columns))
    movement = dossier.movement
    return len(nominees), digest_of(
        nominees, award_form_choices(movement),
        list(movement.content_areas.order_by("pk").values_list()),
        dossier.award_form.code, dossier.award_form.name, dossier.organisation.name)


# Whoever may see the dossier takes its package (its list and documents are the dossier's own).
register_package(PackageKind(
    key="unit_proposal", fetch=get_dossier_for, plan=dossier_plan,
    file_name=lambda dossier: f"ho-so-{dossier.pk}",
    url=lambda dossier: reverse("nominations:package", args=[dossier.pk])))
