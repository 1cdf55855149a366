"""Decision pages: drafting, the chairman's issuing, downloads, certificates, verification."""

import io

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from tests.pipeline import draft_for
from thidua.decisions import actions
from thidua.decisions.models import Decision

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_secretariat_drafts_through_the_form(approved, movement, city_certificate, personas,
                                             client_for):
    client = client_for(personas.mai)
    url = f"/quyet-dinh/phong-trao/{movement.slug}/moi/"
    page = html(client.get(url))
    assert "Nguyễn Thị Lan" in page and "Căn cứ Luật Thi đua, Khen thưởng năm 2003" in page
    response = client.post(url, {
        "award_form": city_certificate.pk, "number": 1234, "series": "QĐ-UBND",
        "issued_on": "2021-12-20", "signer": personas.binh.pk,
        "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "legal_grounds": "Căn cứ …",
        "nominees": [n.pk for n in approved]}, follow=True)
    decision = Decision.objects.get()
    assert response.redirect_chain[-1][0] == f"/quyet-dinh/{decision.pk}/"
    assert decision.awards.count() == 2
    assert client_for(personas.hanh).get(url).status_code == 404


def test_the_chairman_issues_from_the_page_and_units_see_it(approved, movement, city_certificate,
                                                            personas, client_for):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    assert client_for(personas.hanh).get(f"/quyet-dinh/{decision.pk}/").status_code == 404
    page = html(client_for(personas.binh).get(f"/quyet-dinh/{decision.pk}/"))
    assert "Ký ban hành" in page
    assert "Ký ban hành" not in html(client_for(personas.mai).get(f"/quyet-dinh/{decision.pk}/"))
    client_for(personas.binh).post(f"/quyet-dinh/{decision.pk}/ban-hanh/")
    decision.refresh_from_db()
    assert decision.state == Decision.State.ISSUED
    unit_response = client_for(personas.hanh).get(f"/quyet-dinh/{decision.pk}/")
    assert unit_response.status_code == 200
    unit_page = html(unit_response)
    assert "Nguyễn Thị Lan" in unit_page and "447.000" in unit_page and "894.000" in unit_page
    again = client_for(personas.binh).post(f"/quyet-dinh/{decision.pk}/ban-hanh/", follow=True)
    assert "không ban hành lại" in html(again)


def test_documents_download_as_files(approved, movement, city_certificate, personas, client_for):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    client = client_for(personas.mai)
    pdf = client.get(f"/van-ban/decision/{decision.pk}.pdf")
    assert pdf["Content-Disposition"].startswith("attachment")
    assert PdfReader(io.BytesIO(pdf.content)).pages
    docx = client.get(f"/van-ban/decision/{decision.pk}.docx")
    assert "QUYẾT ĐỊNH" in "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert client.get(f"/van-ban/decision/{decision.pk}.exe").status_code == 404
    # certificates only for an issued decision
    assert client.get(f"/quyet-dinh/{decision.pk}/giay-khen.pdf").status_code == 302


def test_certificates_print_and_verify(approved, movement, city_certificate, personas,
                                       client_for):
    decision = actions.issue_decision(draft_for(movement, city_certificate, approved,
                                                personas.mai), by=personas.binh)
    client = client_for(personas.mai)
    response = client.get(f"/quyet-dinh/{decision.pk}/giay-khen.pdf", {"kieu": "phoi"})
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2
    award = decision.awards.get(order=1)
    serial = award.serial
    public = Client().get(f"/xac-minh/{serial}/", {"ma": award.verify_code})
    page = html(public)
    assert public.status_code == 200 and "Nguyễn Thị Lan" in page
    assert "1234/QĐ-UBND" in page and "20/12/2021" in page
    assert "1985" not in page and "Trạm Y tế" not in page  # nothing more than DOMAIN §7 allows
    missing = Client().get("/xac-minh/2021.999.99999/")
    assert missing.status_code == 404 and "không hợp lệ" in html(missing)


def test_decision_package_has_both_formats_and_a_manifest(approved, movement, city_certificate,
                                                          personas, client_for):
    import hashlib
    import json
    import zipfile

    decision = draft_for(movement, city_certificate, approved, personas.mai)
    response = client_for(personas.mai).get(f"/quyet-dinh/{decision.pk}/tron-bo.zip")
    # Streamed from the temporary file it was written to.
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    kinds = {f["kind"]: f for f in manifest["files"]}
    assert set(kinds) == {"decision_pdf", "decision_docx"}
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
