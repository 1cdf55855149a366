"""The dossier package: every current document, the list and a manifest with SHA-256."""

import hashlib
import io
import json
import zipfile

import openpyxl
import pytest

from tests.pipeline import complete, pdf
from thidua.nominations import actions

pytestmark = pytest.mark.django_db


def test_dossier_package_holds_current_documents_and_a_true_manifest(draft, personas,
                                                                     client_for):
    complete(draft, personas.hanh)
    old = draft.attachments.get(document_type="unit_minutes")
    actions.attach_document(draft, document_type="unit_minutes", attachment=old,
                            uploaded_file=pdf("bien-ban-moi.pdf", "ban moi"), by=personas.hanh)
    response = client_for(personas.hanh).get(f"/ho-so/{draft.pk}/ho-so.zip")
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    paths = {f["path"]: f for f in manifest["files"]}
    assert set(archive.namelist()) == set(paths) | {"manifest.json"}
    for path, entry in paths.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == entry["sha256"]
    minutes = next(f for f in manifest["files"] if f["kind"] == "unit_minutes")
    assert minutes["original_name"] == "bien-ban-moi.pdf"  # the current version only
    report = next(f for f in manifest["files"] if f["kind"] == "achievement_report")
    assert report["path"] == "tai-lieu/achievement_report-nguyen-thi-lan.docx"
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("danh-sach.xlsx"))).worksheets[0]
    assert any(c.value == "Nguyễn Thị Lan" for row in sheet.iter_rows() for c in row)


def test_another_unit_cannot_download_the_package(draft, personas, client_for):
    assert client_for(personas.thu).get(f"/ho-so/{draft.pk}/ho-so.zip").status_code == 404
