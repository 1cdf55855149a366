"""Proposals upward: the council proposed Sông Cầu's people for the provincial chairman's Bằng
khen; the secretariat drafts the Tờ trình, sends it, records a return and the higher decision."""

import io
import zipfile
from dataclasses import asdict
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from pypdf import PdfReader

from tests.pipeline import council_people
from thidua.core.models import Activity
from thidua.decisions import proposals, queries
from thidua.decisions.models import Proposal, ProposalItem
from thidua.decisions.rules import proposal_abilities
from thidua.documents.render import render_kind_docx, render_pdf
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import AwardRecord, Dossier

pytestmark = pytest.mark.django_db





def draft(movement, form, nominees, by, number=56, **extra):
    return proposals.draft_proposal(
        movement=movement, award_form=form, nominees=nominees, number=number,
        dated_on=date(2021, 12, 22), signer=council_people()["chair"],
        grounds="Căn cứ Luật Thi đua, Khen thưởng;\nXét đề nghị của Hội đồng.", by=by, **extra)


def test_the_council_proposed_them_upward(upward):
    assert [n.full_name for n in upward] == ["Nông Thị Thu Trang", "Ma Văn Đức"]


def test_secretariat_drafts_a_proposal_with_its_list(upward, movement, province_form, personas):
    proposal = draft(movement, province_form, upward, personas.mai)
    assert proposal.state == Proposal.State.DRAFT
    assert proposal.recipient == "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn"
    assert [i.name for i in proposal.items.all()] == ["Nông Thị Thu Trang", "Ma Văn Đức"]
    assert list(queries.eligible_for_proposal(movement, province_form)) == []


def test_only_the_council_secretariat_drafts(upward, movement, province_form, personas):
    for who in [personas.hanh, personas.dung, personas.binh, personas.stranger]:
        with pytest.raises(PermissionDenied):
            draft(movement, province_form, upward, who)
    assert not Proposal.objects.exists()


def test_refusals_when_drafting(upward, approved, movement, province_form, city_certificate,
                                personas):
    with pytest.raises(ValidationError, match="thuộc thẩm quyền của Chủ tịch"):
        draft(movement, city_certificate, approved, personas.mai)
    with pytest.raises(ValidationError, match="Nguyễn Thị Lan"):
        draft(movement, province_form, [*upward, approved[0]], personas.mai)
    with pytest.raises(ValidationError, match="chưa có ai"):
        draft(movement, province_form, [], personas.mai)
    with pytest.raises(ValidationError, match="không phải Chủ tịch"):
        proposals.draft_proposal(
            movement=movement, award_form=province_form, nominees=upward, number=1,
            dated_on=date(2021, 12, 22), signer=personas.mai, grounds="x", by=personas.mai)
    draft(movement, province_form, upward[:1], personas.mai)
    with pytest.raises(ValidationError, match="đã có trong tờ trình khác"):
        draft(movement, province_form, upward, personas.mai)
    assert Proposal.objects.count() == 1


def test_send_return_resend_and_record_the_higher_decision(upward, movement, province_form,
                                                            personas):
    proposal = draft(movement, province_form, upward, personas.mai)
    proposal = proposals.send_proposal(proposal, by=personas.mai)
    assert (proposal.state, proposal.times_sent) == (Proposal.State.SENT, 1)
    with pytest.raises(ValidationError, match="đã được gửi"):
        proposals.send_proposal(proposal, by=personas.mai)

    proposal = proposals.record_return(proposal, reason="Bổ sung xác nhận của cơ quan thuế",
                                       by=personas.mai)
    assert proposal.state == Proposal.State.RETURNED
    assert "cơ quan thuế" in proposal.return_reason
    assert personas.hanh.notices.filter(text__contains="cơ quan thuế").exists()
    with pytest.raises(ValidationError, match="đang chờ quyết định"):
        proposals.record_higher_decision(proposal, number="1", decided_on=date(2022, 1, 5),
                                         issuer_name="Chủ tịch UBND tỉnh", awarded=[],
                                         by=personas.mai)
    proposal = proposals.send_proposal(proposal, by=personas.mai, note="Đã bổ sung")
    assert (proposal.state, proposal.times_sent) == (Proposal.State.SENT, 2)

    trang, duc = proposal.items.order_by("order")
    proposal = proposals.record_higher_decision(
        proposal, number="2345/QĐ-UBND", decided_on=date(2022, 1, 5),
        issuer_name="Chủ tịch UBND tỉnh Bắc Kạn", awarded=[trang.pk], by=personas.mai)
    assert proposal.state == Proposal.State.DECIDED
    trang.refresh_from_db()
    duc.refresh_from_db()
    assert (trang.result, trang.awarded_form) == (ProposalItem.Result.AWARDED, province_form.name)
    assert duc.result == ProposalItem.Result.NOT_AWARDED
    record = AwardRecord.objects.get(nominee=trang.nominee)
    assert (record.decision_number, record.decision_date, record.source, record.award_name) == (
        "2345/QĐ-UBND", date(2022, 1, 5), AwardRecord.Source.HIGHER, province_form.name)
    assert not AwardRecord.objects.filter(nominee=duc.nominee).exists()
    with pytest.raises(ValidationError):
        proposals.record_return(proposal, reason="x", by=personas.mai)


def test_higher_decision_refusals_leave_nothing(upward, movement, province_form, personas):
    proposal = proposals.send_proposal(draft(movement, province_form, upward, personas.mai),
                                       by=personas.mai)
    for kwargs, message in [
        ({"number": " "}, "số quyết định"),
        ({"issuer_name": ""}, "cơ quan"),
        ({"decided_on": date(2021, 12, 1)}, "trước ngày tờ trình"),
        ({"decided_on": date(2999, 1, 1)}, "tương lai"),
        ({"awarded": [999999]}, "không thuộc tờ trình"),
    ]:
        args = {"number": "9/QĐ-UBND", "decided_on": date(2022, 1, 5),
                "issuer_name": "Chủ tịch UBND tỉnh", "awarded": [], **kwargs}
        with pytest.raises(ValidationError, match=message):
            proposals.record_higher_decision(proposal, by=personas.mai, **args)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SENT
    assert not AwardRecord.objects.exists()
    assert set(proposal.items.values_list("result", flat=True)) == {"pending"}
    with pytest.raises(PermissionDenied):
        proposals.record_higher_decision(proposal, number="9", decided_on=date(2022, 1, 5),
                                         issuer_name="x", awarded=[], by=personas.hanh)


def test_a_number_is_used_once_per_series_and_year(upward, movement, province_form, personas):
    first = draft(movement, province_form, upward[:1], personas.mai, number=7)
    proposals.send_proposal(first, by=personas.mai)
    with pytest.raises(ValidationError, match="đã được dùng"):
        draft(movement, province_form, upward[1:], personas.mai, number=7)


def test_documents_read_back(upward, movement, province_form, personas):
    nominee = upward[0]
    nominee.achievement_summary = "Tổ \"Xung kích\" & <Tổ 5>: tiêm 1.200 mũi"
    nominee.save()
    decomposed = "Nguyễn Thị Lan".encode().decode()  # NFC reference
    proposal = draft(movement, province_form, upward, personas.mai)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf("upward_proposal", proposal))).pages)
    flat = " ".join(pdf.split())
    assert "TỜ TRÌNH" in flat and "Số: 56/TTr-UBND" in flat
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn" in flat
    assert "Nông Thị Thu Trang" in flat and "Ma Văn Đức" in flat
    assert "Tổ \"Xung kích\" & <Tổ 5>" in flat
    assert "2 cá nhân" in flat and decomposed not in flat
    doc = Document(io.BytesIO(render_kind_docx("upward_proposal", proposal)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "TỜ TRÌNH" in text
    assert any("Nông Thị Thu Trang" in c for c in cells)
    assert any("Tổ \"Xung kích\" & <Tổ 5>" in c for c in cells)


def test_package_bundles_the_proposal_and_the_dossiers(upward, movement, province_form, personas,
                                                       client_for):
    import hashlib
    import json

    proposal = draft(movement, province_form, upward, personas.mai)
    response = client_for(personas.mai).get(f"/to-trinh/{proposal.pk}/tron-bo.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    paths = {f["path"] for f in manifest["files"]}
    assert "to-trinh-56-2021.pdf" in paths and "to-trinh-56-2021.docx" in paths
    dossier = upward[0].dossier
    folder = [p for p in paths if p.startswith(f"ho-so/{dossier.pk}-")]
    assert any(p.endswith("danh-sach.xlsx") for p in folder)
    assert sum(p.endswith(".pdf") or p.endswith(".docx") for p in folder) >= 3
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]


def test_the_pages_from_draft_to_decided(upward, movement, province_form, personas, client_for):
    client = client_for(personas.mai)
    url = f"/to-trinh/phong-trao/{movement.slug}/moi/"
    page = client.get(url).content.decode()
    assert "Nông Thị Thu Trang" in page and "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn" in page
    response = client.post(url, {
        "award_form": province_form.pk, "number": 56, "series": "TTr-UBND",
        "dated_on": "2021-12-22", "recipient": "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn",
        "signer": personas.binh.pk, "signer_capacity": "TM. ỦY BAN NHÂN DÂN",
        "grounds": "Căn cứ …", "nominees": [n.pk for n in upward]}, follow=True)
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == f"/to-trinh/{proposal.pk}/"
    # A draft stays with the secretariat; the unit sees the proposal once it is sent.
    assert client_for(personas.hanh).get(f"/to-trinh/{proposal.pk}/").status_code == 404
    page = client.post(f"/to-trinh/{proposal.pk}/gui/", {"state": "draft"},
                       follow=True).content.decode()
    assert "Đã ghi nhận gửi tờ trình" in page
    assert client_for(personas.hanh).get(f"/to-trinh/{proposal.pk}/").status_code == 200
    assert client_for(personas.thu).get(f"/to-trinh/{proposal.pk}/").status_code == 404
    # A stale page (still showing "draft") cannot send it twice.
    page = client.post(f"/to-trinh/{proposal.pk}/gui/", {"state": "draft"},
                       follow=True).content.decode()
    assert "Tờ trình vừa được cập nhật (hiện: Đã gửi cấp trên)" in page
    page = client.post(f"/to-trinh/{proposal.pk}/gui/", {}, follow=True).content.decode()
    assert "hãy tải lại trang" in page
    page = client.post(f"/to-trinh/{proposal.pk}/tra-lai/", {"state": "sent", "reason": ""},
                       follow=True).content.decode()
    assert "Hãy ghi nội dung cấp trên yêu cầu bổ sung" in page
    trang, duc = proposal.items.order_by("order")
    response = client.post(f"/to-trinh/{proposal.pk}/quyet-dinh-cap-tren/", {
        "state": "sent", "number": "2345/QĐ-UBND", "decided_on": "2022-01-05",
        "issuer_name": "Chủ tịch UBND tỉnh Bắc Kạn", "awarded": [str(duc.pk)]}, follow=True)
    page = response.content.decode()
    assert "sổ khen thưởng đã được cập nhật" in page
    assert "Quyết định số 2345/QĐ-UBND ngày 05/01/2022" in page
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECIDED
    assert list(AwardRecord.objects.values_list("nominee__full_name", flat=True)) == ["Ma Văn Đức"]
    # The unit officer may look but not act.
    response = client_for(personas.hanh).post(f"/to-trinh/{proposal.pk}/tra-lai/",
                                              {"state": "decided", "reason": "x"}, follow=True)
    assert "quyền" in response.content.decode()


def test_a_bad_higher_decision_form_keeps_what_was_typed(upward, movement, province_form,
                                                         personas, client_for):
    proposal = proposals.send_proposal(draft(movement, province_form, upward, personas.mai),
                                       by=personas.mai)
    response = client_for(personas.mai).post(
        f"/to-trinh/{proposal.pk}/quyet-dinh-cap-tren/",
        {"state": "sent", "number": "2345/QĐ-UBND", "decided_on": "31/02/2022",
         "issuer_name": "Chủ tịch UBND tỉnh"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="2345/QĐ-UBND"' in page and "Nhập một ngày hợp lệ" in page
    assert Proposal.objects.get().state == Proposal.State.SENT


def test_grounds_keep_one_line_each(upward, movement, province_form, personas):
    proposal = draft(movement, province_form, upward, personas.mai)
    assert proposal.grounds == "Căn cứ Luật Thi đua, Khen thưởng;\nXét đề nghị của Hội đồng."
    doc = Document(io.BytesIO(render_kind_docx("upward_proposal", proposal)))
    texts = [p.text for p in doc.paragraphs]
    # One paragraph per ground, each indented as the first (Decree 30/2020).
    at = texts.index("Căn cứ Luật Thi đua, Khen thưởng;")
    assert texts[at + 1] == "Xét đề nghị của Hội đồng."


def test_supplements_go_with_the_next_sending(upward, movement, province_form, personas,
                                              client_for):
    import json

    from tests.pipeline import pdf, pdf_bytes

    proposal = proposals.send_proposal(draft(movement, province_form, upward, personas.mai),
                                       by=personas.mai)
    client = client_for(personas.mai)
    url = f"/to-trinh/{proposal.pk}/bo-sung/"
    page = client.post(url, {"description": "Xác nhận", "file": pdf()}, follow=True)
    assert "Chỉ bổ sung tài liệu khi cấp trên trả lại" in page.content.decode()
    proposals.record_return(proposal, reason="Thiếu xác nhận thuế", by=personas.mai)
    page = client.post(url, {"description": "", "file": pdf()}, follow=True).content.decode()
    assert "Hãy ghi tài liệu bổ sung là gì" in page
    page = client_for(personas.hanh).post(url, {"description": "X", "file": pdf()},
                                          follow=True).content.decode()
    assert "quyền" in page
    assert not proposal.attachments.exists()
    page = client.post(url, {"description": "Xác nhận của Chi cục Thuế",
                             "file": pdf("thue.pdf", "thue")}, follow=True).content.decode()
    assert "Đã thêm tài liệu bổ sung" in page and "Xác nhận của Chi cục Thuế" in page
    supplement = proposal.attachments.get()
    assert supplement.sending == 2
    served = client.get(f"/to-trinh/{proposal.pk}/bo-sung/{supplement.pk}/")
    assert b"".join(served.streaming_content) == pdf_bytes("thue")
    for who in [personas.hanh, personas.khanh]:  # as with the package
        assert client_for(who).get(
            f"/to-trinh/{proposal.pk}/bo-sung/{supplement.pk}/").status_code == 404
    long = client.post(url, {"description": "x" * 256, "file": pdf()}, follow=True)
    assert "dài 256 ký tự, quá giới hạn 255 ký tự" in long.content.decode()
    assert proposal.attachments.count() == 1
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        client.get(f"/to-trinh/{proposal.pk}/tron-bo.zip").streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    [entry] = [f for f in manifest["files"] if f["kind"] == "supplement"]
    assert entry["description"] == "Xác nhận của Chi cục Thuế" and entry["sending"] == 2
    assert archive.read(entry["path"]) == pdf_bytes("thue")


def test_a_dossier_on_a_sent_proposal_cannot_be_withdrawn(upward, movement, province_form,
                                                          personas):
    proposal = draft(movement, province_form, upward, personas.mai)
    dossier = upward[0].dossier
    proposals.send_proposal(proposal, by=personas.mai)
    with pytest.raises(ValidationError, match="đã được trình cấp trên"):
        dossier_actions.withdraw_dossier(dossier, by=personas.tam, reason="Rút")
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.COUNCIL_REVIEWED


def test_only_the_secretariat_takes_the_package(upward, movement, province_form, personas,
                                                client_for):
    proposal = proposals.send_proposal(draft(movement, province_form, upward, personas.mai),
                                       by=personas.mai)
    url = f"/to-trinh/{proposal.pk}/tron-bo.zip"
    # The unit and a council member may read the proposal but not open others' dossiers in it.
    for who in [personas.hanh, personas.khanh]:
        client = client_for(who)
        assert client.get(f"/to-trinh/{proposal.pk}/").status_code == 200
        assert client.get(url).status_code == 404
        assert url not in client.get(f"/to-trinh/{proposal.pk}/").content.decode()
    assert client_for(personas.mai).get(url).status_code == 200


def test_a_deleted_draft_takes_its_signed_scan_with_it(upward, movement, province_form, personas,
                                                       client_for, django_capture_on_commit_callbacks):
    from tests.pipeline import pdf
    from thidua.documents.models import SignedCopy

    proposal = draft(movement, province_form, upward, personas.mai)
    client_for(personas.mai).post(f"/van-ban/upward_proposal/{proposal.pk}/ban-da-ky/",
                                  {"file": pdf("tt-da-ky.pdf")})
    scan = SignedCopy.objects.get()
    storage, name = scan.file.storage, scan.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.delete_proposal_draft(proposal, by=personas.mai)
    assert not SignedCopy.objects.exists() and not storage.exists(name)


def test_each_move_is_logged_with_its_actor_and_states(upward, movement, province_form, personas):
    proposal = proposals.send_proposal(draft(movement, province_form, upward, personas.mai),
                                       by=personas.mai, expected_state="draft")
    proposals.record_return(proposal, reason="Bổ sung xác nhận", by=personas.mai,
                            expected_state="sent")
    proposal = proposals.send_proposal(proposal, by=personas.mai, note="Đã bổ sung",
                                       expected_state="returned")
    proposals.record_higher_decision(
        proposal, number="2345/QĐ-UBND", decided_on=date(2022, 1, 5), issuer_name="Chủ tịch",
        awarded=[proposal.items.first().pk], by=personas.mai, expected_state="sent")
    rows = [(a.verb, a.actor, a.before["state"], a.after["state"], a.reason)
            for a in Activity.objects.for_object(proposal).exclude(
                verb="proposal.drafted").order_by("pk")]
    assert rows == [
        ("proposal.sent", personas.mai, "draft", "sent", ""),
        ("proposal.returned", personas.mai, "sent", "returned", "Bổ sung xác nhận"),
        ("proposal.sent", personas.mai, "returned", "sent", "Đã bổ sung"),
        ("proposal.decided", personas.mai, "sent", "decided", ""),
    ]
    decided = Activity.objects.for_object(proposal).get(verb="proposal.decided").after
    assert (decided["number"], decided["awarded"], decided["not_awarded"]) == ("2345/QĐ-UBND", 1, 1)
    sendings = Activity.objects.for_object(proposal).filter(verb="proposal.sent").order_by("pk")
    assert [a.after["times"] for a in sendings] == [1, 2]


def test_a_stale_page_cannot_record_a_return(upward, movement, province_form, personas):
    proposal = proposals.send_proposal(draft(movement, province_form, upward, personas.mai),
                                       by=personas.mai)
    with pytest.raises(ValidationError, match="vừa được cập nhật"):
        proposals.record_return(proposal, reason="x", by=personas.mai, expected_state="draft")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SENT
    assert not Activity.objects.filter(verb="proposal.returned").exists()


def test_the_buttons_follow_the_state_and_only_the_secretariat_gets_them(
        upward, movement, province_form, personas):
    proposal = draft(movement, province_form, upward, personas.mai)
    on = lambda user: {k for k, v in asdict(proposal_abilities(user, proposal)).items() if v}  # noqa: E731
    assert on(personas.mai) == {"manage", "send", "delete"}
    proposal = proposals.send_proposal(proposal, by=personas.mai)
    assert on(personas.mai) == {"manage", "record"}
    proposal = proposals.record_return(proposal, reason="x", by=personas.mai)
    assert on(personas.mai) == {"manage", "send", "supplement"}
    for user in [personas.hanh, personas.khanh, personas.binh, personas.stranger]:
        assert on(user) == set(), user
