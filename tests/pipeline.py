"""Builders for the dossier pipeline, usable from any test: Sông Cầu ward proposes the city
chairman's Giấy khen in plan 23; the office accepts; the Steering Committee reviews; the council
votes; the secretariat drafts the decision.

Everything is built through the action functions, so test data obeys the product's own rules.
The matching pytest fixtures (``draft``, ``submitted``, ``accepted``, ``forwarded``, ``council``,
``approved``) are in tests/conftest.py.
"""

import io
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.decisions import actions as decision_actions
from thidua.nominations import actions as dossier_actions
from thidua.nominations.choices import NomineeRow
from thidua.nominations.excel import build_template
from thidua.nominations.models import Dossier, Nominee
from thidua.orgs.models import User
from thidua.reviews import actions as review_actions
from thidua.reviews.models import Meeting

CITY_CERTIFICATE = "giay-khen-chu-tich-ubnd-huyen"  # the city chairman's Giấy khen
PROVINCE_FORM = "bang-khen-chu-tich-ubnd-tinh"  # the provincial chairman's Bằng khen
WARD_FORM = "giay-khen-chu-tich-ubnd-xa"  # a ward chairman's Giấy khen
# The council meets in the demo movement's time, so decisions dated December 2021 (after it)
# are valid: a decision is never signed before the meeting that approved its list.
COUNCIL_DAY = datetime(2021, 12, 15, 8, 0)


# --- files ------------------------------------------------------------------------------------

def pdf_bytes(text: str = "bien ban") -> bytes:
    body = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body
            + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def pdf(name: str = "bien-ban.pdf", text: str = "bien ban") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def docx(name: str = "bao-cao.docx") -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buf.getvalue())


# --- dossiers ---------------------------------------------------------------------------------

def person(name="Nguyễn Thị Lan", year=1985, gender="female", unit="Trạm Y tế phường Sông Cầu",
           **extra) -> NomineeRow:
    return NomineeRow(kind="individual", full_name=name, gender=gender, birth_year=year,
                      position="Y sĩ", unit_name=unit, category="frontline_health",
                      achievement_summary="Trực chốt kiểm soát dịch 60 ngày liên tục.",
                      citation="Đã có thành tích xuất sắc trong phòng, chống dịch COVID-19",
                      **extra)


def sheet_with(rows, award="Giấy khen của Chủ tịch UBND thành phố"):
    """An office sheet made from the product's own template, filled below the example row."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template([("x", award)])))
    ws = wb.worksheets[0]
    start = ws.max_row + 1
    for i, (name, year, gender) in enumerate(rows):
        r = start + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, name)
        ws.cell(r, 3 if gender == "male" else 4, year)
        ws.cell(r, 5, "Kinh")
        ws.cell(r, 6, "Y sĩ – Trạm Y tế phường Sông Cầu")
        ws.cell(r, 7, "Trực chốt kiểm soát dịch")
        ws.cell(r, 8, award)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("danh-sach.xlsx", buf.getvalue())


def new_draft(movement, award_form, officer, *nominees: NomineeRow):
    """A draft dossier of the officer's unit with ``nominees`` (default: Nguyễn Thị Lan)."""
    dossier = dossier_actions.create_dossier(
        movement=movement, organisation=officer.organisations_with_role("unit_officer")[0],
        award_form=award_form, unit_meeting_date=date(2021, 11, 15),
        unit_meeting_result="10/10 thành viên nhất trí", by=officer)
    for row in nominees or (person(),):
        dossier_actions.add_nominee(dossier, row, by=officer)
    return dossier


def complete(dossier, by):
    """Attach every document the checklist asks for."""
    dossier.refresh_from_db()
    dossier_actions.attach_document(dossier, document_type="unit_submission",
                                    uploaded_file=pdf("tt.pdf"), original=False, by=by)
    dossier_actions.attach_document(dossier, document_type="unit_minutes",
                                    uploaded_file=pdf("bb.pdf"), original=False, by=by)
    for nominee in dossier.nominees.all():
        dossier_actions.attach_document(dossier, document_type="achievement_report",
                                        nominee=nominee, uploaded_file=docx(), by=by)
    dossier.refresh_from_db()
    return dossier


def accept(dossier, *, officer, head, office):
    """Complete, submit and accept a draft."""
    complete(dossier, officer)
    submitted = dossier_actions.submit_dossier(dossier, by=head)
    return dossier_actions.accept_dossier(submitted, by=office)


# --- meetings ---------------------------------------------------------------------------------

def council_people():
    get = User.objects.get
    return {"chair": get(username="chutich"), "vice": get(username="hoidong.pho"),
            "member": get(username="hoidong"), "health": get(username="hoidong.yte"),
            "secretary": get(username="noivu")}


def run_committee(dossier, by, not_proposed=()):
    """The Steering Committee proposes everyone except ``not_proposed`` names."""
    meeting = review_actions.create_meeting(
        kind="committee", movement=dossier.movement, title="Họp xét Ban Chỉ đạo",
        scheduled_at=timezone.now(), place="Phòng họp số 1", chair=by, secretary=by,
        nominees=list(dossier.nominees.all()), by=by)
    meeting = review_actions.open_meeting(meeting, by=by)
    for item in meeting.items.select_related("nominee"):
        if item.nominee.full_name in not_proposed:
            review_actions.set_conclusion(item, conclusion="not_propose",
                                          reason="Thành tích chưa nổi bật", by=by)
        else:
            review_actions.set_conclusion(item, conclusion="propose", by=by)
    return review_actions.close_meeting(meeting, by=by)


def forward(dossier, office, not_proposed=()):
    """The committee reviews an accepted dossier and the office forwards it to the council."""
    run_committee(dossier, office, not_proposed=not_proposed)
    return dossier_actions.forward_to_council(Dossier.objects.get(pk=dossier.pk), by=office)


def open_council(dossier, secretary, members=None, present=None, when=None):
    people = council_people()
    roles = members or [(people["chair"], "chair"), (people["vice"], "vice_chair"),
                        (people["member"], "member"), (people["health"], "member")]
    meeting = review_actions.create_meeting(
        kind="council", movement=dossier.movement, title="Phiên họp Hội đồng TĐKT",
        scheduled_at=when or timezone.make_aware(COUNCIL_DAY), place="Hội trường UBND thành phố",
        chair=people["chair"], secretary=secretary,
        nominees=list(dossier.nominees.filter(committee_conclusion="propose")),
        members=roles, by=secretary)
    attending = present if present is not None else [u for u, _r in roles]
    review_actions.set_attendance(meeting, present_user_ids={u.pk for u in attending},
                                  by=secretary)
    return review_actions.open_meeting(Meeting.objects.get(pk=meeting.pk), by=secretary)


def approve_all(council) -> list[Nominee]:
    """Every member votes "agree" on every item and the secretary closes the meeting; returns
    the nominees approved for the chairman's decision."""
    people = council_people()
    for key in ["chair", "vice", "member", "health"]:
        for item in council.items.all():
            review_actions.cast_vote(item, choice="agree", by=people[key])
    review_actions.close_meeting(council, by=people["secretary"])
    return list(Nominee.objects.filter(council_outcome="approved_local").order_by("order"))


def next_working_day(days=1):
    day = timezone.localdate()
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- decisions --------------------------------------------------------------------------------

def draft_for(movement, form, nominees, by, number=1234, **extra):
    return decision_actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=number,
        issued_on=date(2021, 12, 20), signer=council_people()["chair"],
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;\nTheo đề nghị của Hội đồng.", by=by,
        **extra)


def draft_ward(dossier, by, number=15, **extra):
    return decision_actions.draft_unit_decision(
        dossier, nominees=list(dossier.nominees.all()), number=number,
        issued_on=date(2021, 12, 10), signer=dossier.organisation.memberships.get(
            role="unit_head").user, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=by,
        **extra)
