"""The demo data set: Bắc Kạn city in 2021 and one account per role (all people fictional).

Two parts:

- ``seed_demo()`` — the bare system (rule sets, organisations, the plan-23 movement, one account
  per role). The test session is seeded with it, and ``thidua seed-demo --empty`` stops there.
- ``seed_living_city()`` — the city at work, built only through the product's own actions (so
  the demo is also a run of them): dossiers from five units in every state, a closed Steering
  Committee review and council meeting, an open council meeting with a ballot still due, a
  running public disclosure with an objection, issued decisions with printed certificates, a
  proposal upward with the province's decision, and past awards imported into the register.

The history happens in late 2021 (the plan's own time, ``clock``); what still waits for someone
happens in the last working days before today, so deadlines and late items read as they would
in an office. The pipeline builders below are also what tests use (``tests/pipeline.py``).
"""

import hashlib
import io
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from unittest import mock

import openpyxl
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from thidua.core.models import Notice
from thidua.core.workdays import add_working_days
from thidua.decisions import actions as decision_actions
from thidua.decisions import certificate_batches, proposals
from thidua.decisions.models import Decision
from thidua.decisions.tasks import run_certificate_batch
from thidua.exemplars.demo import seed_exemplars
from thidua.movements import actions as movement_actions
from thidua.movements.demo import seed_progress
from thidua.movements.loader import load_movement
from thidua.movements.models import Movement
from thidua.nominations import actions as dossier_actions
from thidua.nominations import excel
from thidua.nominations.choices import NomineeRow
from thidua.nominations.excel import build_template
from thidua.nominations.lists import award_form_choices, content_area_choices
from thidua.nominations.models import Dossier, Nominee
from thidua.orgs import actions, demo_mfa
from thidua.orgs.models import Organisation, User
from thidua.reviews import actions as review_actions
from thidua.reviews import disclosures
from thidua.reviews.models import Meeting
from thidua.rulesets.loader import load_rule_sets
from thidua.rulesets.models import AwardForm

DEMO_FILE = Path(__file__).parent / "fixtures" / "demo-bac-kan-2021.yaml"
PLAN = "23/KH-UBND"

CITY_CERTIFICATE = "giay-khen-chu-tich-ubnd-huyen"  # the city chairman's Giấy khen
PROVINCE_FORM = "bang-khen-chu-tich-ubnd-tinh"  # the provincial chairman's Bằng khen
WARD_FORM = "giay-khen-chu-tich-ubnd-xa"  # a ward chairman's Giấy khen
LABOUR_ORDER = "huan-chuong-lao-dong-hang-ba"  # publicly disclosed before the council votes
# The council meets in the demo movement's time, so decisions dated December 2021 (after it)
# are valid: a decision is never signed before the meeting that approved its list.
COUNCIL_DAY = datetime(2021, 12, 15, 8, 0)
# The living city's issued city decision: its presence means the city was already built.
CITY_DECISION_NUMBER = 2468


def demo_data() -> dict:
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def load_organisations(data: dict) -> int:
    created = 0
    for row in data["organisations"]:
        if Organisation.objects.filter(code=row["code"]).exists():
            continue
        parent = Organisation.objects.get(code=row["parent"]) if row["parent"] else None
        actions.create_organisation(
            code=row["code"], name=row["name"], short_name=row.get("short_name", ""),
            level=row["level"], kind=row["kind"], parent=parent, valid_from=data["valid_from"],
        )
        created += 1
    return created


@transaction.atomic
def load_accounts(data: dict, key: str = "accounts") -> list[dict]:
    """Create the demo accounts that do not exist yet; returns every account for printing.

    Roles are held from the demo's own start date, so the living city (late 2021) finds its
    people in office."""
    accounts = []
    for row in data[key]:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            is_admin = row["role"] == "administrator"
            user = User.objects.create_user(
                username=row["username"], password=data["password"],
                full_name=row["full_name"], email=f"{row['username']}@example.invalid",
                is_staff=is_admin, is_superuser=is_admin,
            )
        if row["organisation"]:
            actions.grant_role(user, Organisation.objects.get(code=row["organisation"]),
                               row["role"], title=row.get("title", ""),
                               valid_from=data["valid_from"])
        accounts.append({**row, "password": data["password"]})
    demo_mfa.give_demo_devices(accounts)  # the privileged accounts' demo authenticator
    return accounts


def seed_demo() -> list[dict]:
    """The bare system: what tests start from and ``seed-demo --empty`` gives."""
    data = demo_data()
    load_rule_sets()
    load_organisations(data)
    load_movement()
    return load_accounts(data)


# --- the clock --------------------------------------------------------------------------------

_real_now = timezone.now


@contextmanager
def clock(moment: datetime):
    """Act as on ``moment`` (naive: local time): the actions read "today" and stamp their rows
    through ``django.utils.timezone.now``, which runs from ``moment`` while inside. Only the demo
    builder uses it, to write a history the actions would otherwise refuse as back-dated."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    started = _real_now()
    with mock.patch.object(timezone, "now", lambda: moment + (_real_now() - started)):
        yield


def working_days_ago(days: int, hour: int = 9) -> datetime:
    """A local moment ``days`` working days before today (Monday to Friday, as core.workdays)."""
    day = timezone.localdate()
    while days > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return datetime.combine(day, time(hour))


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
    values = {"position": "Y sĩ", "category": "frontline_health",
              "achievement_summary": "Trực chốt kiểm soát dịch 60 ngày liên tục.",
              "citation": "Đã có thành tích xuất sắc trong phòng, chống dịch COVID-19", **extra}
    return NomineeRow(kind="individual", full_name=name, gender=gender, birth_year=year,
                      unit_name=unit, **values)


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


def new_draft(movement, award_form, officer, *nominees: NomineeRow, meeting_day=date(2021, 11, 15)):
    """A draft dossier of the officer's unit with ``nominees`` (default: Nguyễn Thị Lan)."""
    dossier = dossier_actions.create_dossier(
        movement=movement, organisation=officer.organisations_with_role("unit_officer")[0],
        award_form=award_form, unit_meeting_date=meeting_day,
        unit_meeting_result="10/10 thành viên nhất trí", by=officer)
    for row in nominees or (person(),):
        dossier_actions.add_nominee(dossier, row, by=officer)
    return dossier


def import_list(dossier, rows: list[NomineeRow], *, by) -> int:
    """The officer's Excel list: the product's own workbook written with ``rows``, read back by
    the importer and added through the import action, exactly as an upload would be."""
    forms = award_form_choices(dossier.movement)
    areas = content_area_choices(dossier.movement)
    data = excel.export_nominees(
        [NomineeRow(**{**row.__dict__, "award_form_code": dossier.award_form.code})
         for row in rows], forms, title="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        unit=dossier.organisation.name, content_areas=areas)
    result = excel.parse_nominee_sheet(data, forms, dossier_form=dossier.award_form.code,
                                       content_areas=areas)
    if not result.ok:
        raise ValueError([str(e.message) for e in result.errors])
    return dossier_actions.import_nominees(dossier, result.rows, by=by,
                                           source_sha256=hashlib.sha256(data).hexdigest())


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


def run_committee(dossier, by, not_proposed=(), *, dossiers=(), when=None):
    """The Steering Committee proposes everyone except ``not_proposed`` names (of ``dossier``
    and any further ``dossiers`` on the same agenda)."""
    nominees = [n for d in (dossier, *dossiers) for n in d.nominees.all()]
    meeting = review_actions.create_meeting(
        kind="committee", movement=dossier.movement, title="Họp xét Ban Chỉ đạo",
        scheduled_at=when or timezone.now(), place="Phòng họp số 1", chair=by, secretary=by,
        nominees=nominees, by=by)
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


def open_council(dossier, secretary, members=None, present=None, when=None, *, dossiers=(),
                 title="Phiên họp Hội đồng TĐKT"):
    people = council_people()
    roles = members or [(people["chair"], "chair"), (people["vice"], "vice_chair"),
                        (people["member"], "member"), (people["health"], "member")]
    nominees = [n for d in (dossier, *dossiers)
                for n in d.nominees.filter(committee_conclusion="propose")]
    meeting = review_actions.create_meeting(
        kind="council", movement=dossier.movement, title=title,
        scheduled_at=when or timezone.make_aware(COUNCIL_DAY), place="Hội trường UBND thành phố",
        chair=people["chair"], secretary=secretary, nominees=nominees, members=roles,
        by=secretary)
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


# --- decisions --------------------------------------------------------------------------------

def draft_for(movement, form, nominees, by, number=1234, issued_on=date(2021, 12, 20), **extra):
    return decision_actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=number,
        issued_on=issued_on, signer=council_people()["chair"],
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;\nTheo đề nghị của Hội đồng.", by=by,
        **extra)


def draft_ward(dossier, by, number=15, issued_on=date(2021, 12, 10), **extra):
    return decision_actions.draft_unit_decision(
        dossier, nominees=list(dossier.nominees.all()), number=number,
        issued_on=issued_on, signer=dossier.organisation.memberships.get(
            role="unit_head").user, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=by,
        **extra)


# --- the living city --------------------------------------------------------------------------

# Who is who in the living city (usernames of the demo file).
CAST = {
    "hanh": "canbo.songcau", "tam": "chutich.songcau",          # Sông Cầu ward
    "thu": "canbo.ducxuan", "xuan_head": "chutich.ducxuan",     # Đức Xuân ward
    "phuong": "canbo.minhkhai", "tuan": "chutich.minhkhai",     # Nguyễn Thị Minh Khai ward
    "huong": "canbo.ttyt", "duc": "giamdoc.ttyt",               # the city health centre
    "dung": "vanphong", "mai": "noivu", "binh": "chutich",
}
GROUNDS = ("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003; Luật sửa đổi, bổ sung một số điều "
           "của Luật Thi đua, Khen thưởng ngày 16/11/2013;\nCăn cứ Nghị định số 91/2017/NĐ-CP "
           "ngày 31/7/2017 của Chính phủ;\nTheo đề nghị của Hội đồng Thi đua - Khen thưởng "
           "thành phố.")
HEALTH = {"category": "frontline_health"}
SONG_CAU = "Trạm Y tế phường Sông Cầu"
TTYT = "Trung tâm Y tế thành phố Bắc Kạn"


def _p(name, year, gender, position, unit, summary, **extra) -> NomineeRow:
    return person(name=name, year=year, gender=gender, unit=unit, position=position,
                  achievement_summary=summary, **extra)


# The lists, as each unit's officer would type them into the Excel template.
LISTS = {
    "song_cau_2021": [
        _p("Nguyễn Thị Lan", 1985, "female", "Y sĩ", SONG_CAU,
           "Trực chốt kiểm soát dịch 60 ngày liên tục; lấy 4.200 mẫu xét nghiệm."),
        _p("Hoàng Văn Nam", 1979, "male", "Trưởng trạm", SONG_CAU,
           "Tổ chức tiêm chủng cho 6.800 người dân trong phường, không để sai sót."),
        _p("Lục Thị Hoa", 1990, "female", "Điều dưỡng", SONG_CAU,
           "Tham gia khu cách ly tập trung 30 ngày."),
    ],
    "ttyt_2021": [
        _p("Đặng Văn Hùng", 1976, "male", "Trưởng khoa Kiểm soát bệnh tật", TTYT,
           "Chỉ đạo truy vết 1.150 trường hợp F1, F2; khoanh vùng kịp thời 3 ổ dịch."),
        _p("Triệu Thị Mai Anh", 1988, "female", "Bác sĩ", TTYT,
           "Điều trị 214 bệnh nhân COVID-19 tại cơ sở thu dung, không có ca tử vong."),
        _p("La Văn Toàn", 1983, "male", "Kỹ thuật viên xét nghiệm", TTYT,
           "Thực hiện 9.600 xét nghiệm RT-PCR trong đợt dịch tháng 10/2021."),
    ],
    "minh_khai_province": [
        _p("Phan Thị Thanh Hà", 1981, "female", "Chủ tịch Hội Chữ thập đỏ phường",
           "Phường Nguyễn Thị Minh Khai", "Vận động 320 triệu đồng và 12 tấn hàng hỗ trợ "
           "người dân khu cách ly.", category="frontline_volunteer"),
        _p("Vi Văn Khải", 1972, "male", "Trưởng Công an phường", "Phường Nguyễn Thị Minh Khai",
           "Chỉ huy 14 chốt kiểm soát dịch suốt 75 ngày.", category="frontline_police"),
    ],
    "song_cau_ward": [
        _p("Triệu Văn Sơn", 1982, "male", "Tổ trưởng tổ dân phố 3", "Phường Sông Cầu",
           "Tổ chức tổ COVID cộng đồng; vận động 100% hộ khai báo y tế.",
           category="direct_worker"),
        _p("Hà Thị Ngọc", 1987, "female", "Tình nguyện viên", "Phường Sông Cầu",
           "Nấu 3.000 suất ăn miễn phí cho lực lượng tuyến đầu.",
           category="frontline_volunteer"),
    ],
    "duc_xuan_withdrawn": [
        _p("Bế Văn Lợi", 1980, "male", "Công an viên", "Phường Đức Xuân",
           "Tham gia chốt kiểm soát dịch.", category="frontline_police"),
    ],
    # What waits today.
    "duc_xuan_draft": [
        _p("Bế Thị Mơ", 1992, "female", "Y sĩ", "Trạm Y tế phường Đức Xuân",
           "Tiêm vắc-xin lưu động cho 900 người cao tuổi tại nhà."),
        _p("Nông Văn Chiến", 1978, "male", "Bí thư chi bộ tổ 7", "Phường Đức Xuân",
           "Vận động nhân dân tham gia tiêm chủng đạt 100%.", category="other_leader"),
    ],
    "song_cau_ready": [
        _p("Lý Thị Vân", 1995, "female", "Dược sĩ", SONG_CAU,
           "Cấp phát thuốc cho 450 F0 điều trị tại nhà."),
    ],
    "song_cau_ward_2": [
        _p("Ma Thị Thắm", 1990, "female", "Giáo viên", "Trường Tiểu học Sông Cầu",
           "Dạy trực tuyến cho 3 lớp suốt thời gian giãn cách.", category="direct_worker"),
    ],
    "song_cau_returned": [
        _p("Nông Thị Thu Trang", 1984, "female", "Phó Chủ tịch UBND phường", "Phường Sông Cầu",
           "Điều hành Ban chỉ đạo phòng, chống dịch của phường.", category="other_leader"),
    ],
    "minh_khai_late": [
        _p("Hà Văn Quang", 1986, "male", "Tình nguyện viên", "Phường Nguyễn Thị Minh Khai",
           "Vận chuyển hàng hóa thiết yếu cho 120 hộ bị phong tỏa.",
           category="frontline_volunteer"),
        _p("Lương Thị Huyền", 1991, "female", "Công chức Văn hóa - Xã hội",
           "Phường Nguyễn Thị Minh Khai", "Tuyên truyền phòng dịch trên loa truyền thanh.",
           category="direct_worker"),
    ],
    "ttyt_submitted": [
        _p("Hoàng Thị Duyên", 1980, "female", "Phó Giám đốc", TTYT,
           "Tổ chức 3 cơ sở thu dung, điều trị F0.", category="other_leader"),
    ],
    "ttyt_accepted": [
        _p("Lâm Văn Thái", 1989, "male", "Lái xe cấp cứu", TTYT,
           "Vận chuyển 380 ca bệnh an toàn.", category="direct_worker"),
    ],
    "duc_xuan_reviewed": [
        _p("Đinh Thị Hằng", 1983, "female", "Trưởng trạm", "Trạm Y tế phường Đức Xuân",
           "Lập 5 tổ tiêm lưu động."),
    ],
    "minh_khai_council": [
        _p("Trần Văn Bảo", 1975, "male", "Chủ tịch Ủy ban MTTQ phường",
           "Phường Nguyễn Thị Minh Khai", "Vận động quỹ phòng chống dịch 210 triệu đồng.",
           category="other_leader"),
        _p("Ngô Thị Lụa", 1993, "female", "Đoàn viên", "Phường Nguyễn Thị Minh Khai",
           "Tham gia đội hình thanh niên tình nguyện tại chốt.", category="frontline_volunteer"),
    ],
    "ttyt_order": [
        _p("Đặng Văn Hùng", 1976, "male", "Trưởng khoa Kiểm soát bệnh tật", TTYT,
           "Hai năm liền chỉ đạo truy vết, khoanh vùng dịch; sáng kiến truy vết bằng bản đồ số."),
    ],
    "song_cau_council": [
        _p("Lò Văn Dũng", 1977, "male", "Công an viên", "Phường Sông Cầu",
           "Trực chốt cửa ngõ phường 90 ngày.", category="frontline_police"),
    ],
    "ttyt_council": [
        _p("Vương Thị Nhung", 1994, "female", "Điều dưỡng", TTYT,
           "Chăm sóc bệnh nhân tại khu điều trị tích cực."),
    ],
}

# What each person's nomination is for: the plan's content area (II.2.x) and participant kind
# (IV.1), written in the lists' optional columns; and the leaders the statutory forms count
# at department level (form 0602/0603 row 11). Keyed by name.
CLASSIFIED = {
    "Nguyễn Thị Lan": ("2.1", "frontline"), "Hoàng Văn Nam": ("2.5", "frontline"),
    "Lục Thị Hoa": ("2.1", "frontline"), "Đặng Văn Hùng": ("2.1", "frontline"),
    "Triệu Thị Mai Anh": ("2.3", "frontline"), "La Văn Toàn": ("2.1", "frontline"),
    "Phan Thị Thanh Hà": ("2.3", "front_and_mass_organisations"),
    "Vi Văn Khải": ("2.4", "frontline"), "Triệu Văn Sơn": ("2.1", "citizens"),
    "Hà Thị Ngọc": ("2.3", "citizens"), "Bế Văn Lợi": ("2.4", "frontline"),
    "Bế Thị Mơ": ("2.5", "frontline"), "Nông Văn Chiến": ("2.5", "party_and_government"),
    "Lý Thị Vân": ("2.3", "frontline"), "Ma Thị Thắm": ("2.6", "agencies"),
    "Nông Thị Thu Trang": ("2.1", "party_and_government"),
    "Hà Văn Quang": ("2.3", "citizens"), "Lương Thị Huyền": ("2.6", "agencies"),
    "Hoàng Thị Duyên": ("2.1", "frontline"), "Lâm Văn Thái": ("2.1", "frontline"),
    "Đinh Thị Hằng": ("2.5", "frontline"),
    "Trần Văn Bảo": ("2.2", "front_and_mass_organisations"),
    "Ngô Thị Lụa": ("2.3", "front_and_mass_organisations"),
    "Lò Văn Dũng": ("2.4", "frontline"), "Vương Thị Nhung": ("2.1", "frontline"),
}
DEPARTMENT_LEADERS = {"Đặng Văn Hùng", "Hoàng Thị Duyên"}
# The plan's budget for awards (đồng), set by the secretariat when the movement is at work.
BUDGET = 6_000_000


def classified(row: NomineeRow) -> NomineeRow:
    area, kind = CLASSIFIED.get(row.full_name, ("", ""))
    extra = {"category": "leader_department"} if row.full_name in DEPARTMENT_LEADERS else {}
    return NomineeRow(**{**row.__dict__, "content_area": area, "participant_kind": kind,
                         **extra})


# ~50 lines of the city's register before the system, as Phòng Nội vụ kept them: some under
# the names the bodies had then (Bắc Kạn was a town, "thị xã", until 2015).
REGISTER_PEOPLE = [
    ("Nguyễn Thị Lan", 1985, "Trạm Y tế phường Sông Cầu"),
    ("Hoàng Văn Nam", 1979, "Trạm Y tế phường Sông Cầu"),
    ("Đặng Văn Hùng", 1976, "Trung tâm Y tế thị xã Bắc Kạn"),
    ("Phan Thị Thanh Hà", 1981, "Hội Chữ thập đỏ phường Nguyễn Thị Minh Khai"),
    ("Vi Văn Khải", 1972, "Công an phường Nguyễn Thị Minh Khai"),
    ("Trần Văn Bảo", 1975, "Ủy ban MTTQ phường Nguyễn Thị Minh Khai"),
    ("Hoàng Thị Duyên", 1980, "Trung tâm Y tế thị xã Bắc Kạn"),
    ("Bế Thị Mơ", 1992, "Trạm Y tế phường Đức Xuân"),
    ("Nông Văn Chiến", 1978, "Phường Đức Xuân"),
    ("Triệu Văn Sơn", 1982, "Phường Sông Cầu"),
    ("Lương Văn Hoan", 1968, "Phòng Giáo dục và Đào tạo thị xã Bắc Kạn"),
    ("Hà Thị Bích", 1974, "Trường THCS Bắc Kạn"),
    ("Mông Văn Tư", 1970, "Hợp tác xã Nông Thượng"),
    ("Dương Thị Hường", 1983, "Trường Mầm non Đức Xuân"),
    ("Lý Văn Hưng", 1965, "Hội Cựu chiến binh thị xã Bắc Kạn"),
    ("Chu Thị Thảo", 1989, "Thành đoàn Bắc Kạn"),
    ("Tạ Văn Long", 1973, "Công an thị xã Bắc Kạn"),
]
REGISTER_AWARDS = [
    ("Giấy khen của Chủ tịch UBND thị xã", "UBND thị xã Bắc Kạn", "UBND thị xã", date(2013, 12, 20)),
    ("Giấy khen của Chủ tịch UBND thị xã", "UBND thị xã Bắc Kạn", "UBND thị xã", date(2014, 12, 22)),
    ("Giấy khen của Chủ tịch UBND thành phố", "UBND thành phố Bắc Kạn", "UBND", date(2017, 12, 18)),
    ("Giấy khen của Chủ tịch UBND thành phố", "UBND thành phố Bắc Kạn", "UBND", date(2019, 12, 16)),
    ("Bằng khen của Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh Bắc Kạn", "UBND", date(2020, 1, 15)),
]


def register_workbook() -> bytes:
    """The old register as an office keeps it in Excel (the register importer's columns)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sổ khen thưởng"
    ws.append(["STT", "Họ và tên", "Năm sinh", "Đơn vị", "Hình thức khen thưởng", "Số quyết định",
               "Ngày quyết định", "Cơ quan quyết định", "Ghi chú"])
    line = 0
    for i, (name, year, unit) in enumerate(REGISTER_PEOPLE):
        # Each person has two or three past awards; the set gives about fifty lines.
        for j in range(3 if i % 3 == 0 else 2 if i % 3 == 1 else 4):
            award, issuer, series, day = REGISTER_AWARDS[(i + j) % len(REGISTER_AWARDS)]
            number = 100 + 17 * i + j
            line += 1
            ws.append([line, name, year, unit, award, f"{number}/QĐ-{series.split()[0]}",
                       day.strftime("%d/%m/%Y"), issuer,
                       "Tên đơn vị theo quyết định" if "thị xã" in unit else ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def is_living() -> bool:
    """Has the living city been built here? (Its issued city decision is its mark.)"""
    return Decision.objects.filter(number=CITY_DECISION_NUMBER, year=2021,
                                   state=Decision.State.ISSUED).exists()


SITE = "http://127.0.0.1:8000/"


def seed_living_city(site: str = SITE) -> bool:
    """Build the living city on the bare system; False (and nothing written) if it is there.

    Certificates are printed in this process by the worker's own function, with the task queue
    set aside (no job is left behind for a worker to find already done)."""
    if is_living():
        return False
    data = demo_data()
    # The demo's notices stay on the home pages: no mail goes to its example.invalid addresses.
    with override_settings(TASKS={"default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        load_accounts(data, "living_accounts")
        City(data, site).build()
    return True


class City:
    """The living city's story, one chapter per method, each through the actions."""

    def __init__(self, data, site):
        self.data = data
        self.site = site
        self.movement = Movement.objects.get(number=PLAN)
        self.who = {key: User.objects.get(username=name) for key, name in CAST.items()}
        rule_set = self.movement.rule_set
        self.form = {code: AwardForm.objects.get(rule_set=rule_set, code=code)
                     for code in (CITY_CERTIFICATE, PROVINCE_FORM, WARD_FORM, LABOUR_ORDER)}

    def build(self):
        self.register()
        self.history()
        self.today()
        # The movement at work today: registrations, unit plans, a report round with late
        # units, council members' assignments; then the exemplars on the portal.
        seed_progress()
        seed_exemplars(self.movement)

    # -- helpers --

    def draft(self, key, form, officer, meeting_day):
        dossier = dossier_actions.create_dossier(
            movement=self.movement, organisation=self.who[officer].organisations_with_role(
                "unit_officer")[0], award_form=self.form[form], unit_meeting_date=meeting_day,
            unit_meeting_result="Hội đồng Thi đua - Khen thưởng của đơn vị họp, nhất trí 100%.",
            by=self.who[officer])
        import_list(dossier, [classified(row) for row in LISTS[key]], by=self.who[officer])
        return Dossier.objects.get(pk=dossier.pk)

    def submitted(self, key, form, officer, head, when):
        with clock(when - timedelta(days=2)):
            dossier = complete(self.draft(key, form, officer, (when - timedelta(days=3)).date()),
                               self.who[officer])
        with clock(when):
            return dossier_actions.submit_dossier(dossier, by=self.who[head])

    def accepted(self, key, form, officer, head, when):
        dossier = self.submitted(key, form, officer, head, when)
        with clock(when + timedelta(hours=5)):
            return dossier_actions.accept_dossier(dossier, by=self.who["dung"])

    # -- chapters --

    def register(self):
        """Phòng Nội vụ imports the old register (about fifty lines), and records the award
        budget of the plan."""
        with clock(datetime(2021, 10, 28, 14, 0)):
            self.movement = movement_actions.update_movement(self.movement, by=self.who["mai"],
                                                            budget=BUDGET)
        with clock(datetime(2021, 10, 28, 15, 0)):
            result = excel.parse_award_register(register_workbook())
            if not result.ok:
                raise ValueError([str(e.message) for e in result.errors])
            dossier_actions.import_award_register(result.rows, by=self.who["mai"])

    def history(self):
        """November 2021 – January 2022: the first round, decided."""
        w, dung, mai = self.who, self.who["dung"], self.who["mai"]
        # Sông Cầu: returned for a missing signature, supplemented, accepted.
        song_cau = self.submitted("song_cau_2021", CITY_CERTIFICATE, "hanh", "tam",
                                  datetime(2021, 11, 17, 9, 0))
        with clock(datetime(2021, 11, 18, 14, 0)):
            dossier_actions.mark_item(song_cau, item_key="unit_minutes", ok=False,
                                      note="Biên bản họp xét chưa có chữ ký của thư ký", by=dung)
            song_cau = dossier_actions.return_dossier(
                song_cau, by=dung, other="Bổ sung số liệu xét nghiệm trong báo cáo của "
                                         "Nguyễn Thị Lan.")
        with clock(datetime(2021, 11, 22, 8, 30)):
            minutes = song_cau.attachments.get(document_type="unit_minutes")
            dossier_actions.attach_document(song_cau, document_type="unit_minutes",
                                            uploaded_file=pdf("bien-ban-da-ky.pdf"),
                                            original=False, attachment=minutes, by=w["hanh"])
            song_cau = dossier_actions.submit_dossier(song_cau, by=w["tam"])
        with clock(datetime(2021, 11, 23, 10, 0)):
            song_cau = dossier_actions.accept_dossier(song_cau, by=dung)
        ttyt = self.accepted("ttyt_2021", CITY_CERTIFICATE, "huong", "duc",
                             datetime(2021, 11, 19, 9, 0))
        minh_khai = self.accepted("minh_khai_province", PROVINCE_FORM, "phuong", "tuan",
                                  datetime(2021, 11, 24, 9, 0))
        # Đức Xuân sends a list, then withdraws it to review it again.
        duc_xuan = self.submitted("duc_xuan_withdrawn", CITY_CERTIFICATE, "thu", "xuan_head",
                                  datetime(2021, 11, 19, 15, 0))
        with clock(datetime(2021, 11, 26, 9, 0)):
            dossier_actions.withdraw_dossier(
                duc_xuan, by=w["xuan_head"],
                reason="Đơn vị rà soát lại danh sách, sẽ trình ở đợt sau.")
        # The Steering Committee, 1 December.
        committee_day = datetime(2021, 12, 1, 8, 0)
        with clock(committee_day):
            run_committee(song_cau, dung, not_proposed={"Lục Thị Hoa"}, dossiers=(ttyt, minh_khai),
                          when=timezone.make_aware(committee_day))
        with clock(datetime(2021, 12, 2, 9, 0)):
            for dossier in (song_cau, ttyt, minh_khai):
                dossier_actions.forward_to_council(Dossier.objects.get(pk=dossier.pk), by=dung)
        # The council, 15 December: tallies, one recusal, one nominee not approved.
        with clock(COUNCIL_DAY):
            council = open_council(Dossier.objects.get(pk=song_cau.pk), mai,
                                   dossiers=(ttyt, minh_khai),
                                   title="Phiên họp Hội đồng TĐKT xét khen thưởng đợt 1")
            self.vote_council(council)
        # Sông Cầu ward's own Giấy khen, decided by its chairman on 10 December.
        with clock(datetime(2021, 12, 8, 9, 0)):
            ward = self.draft("song_cau_ward", WARD_FORM, "hanh", date(2021, 12, 6))
        with clock(datetime(2021, 12, 10, 8, 0)):
            issued = decision_actions.issue_decision(draft_ward(ward, w["hanh"], number=27),
                                                     by=w["tam"])
            self.print_certificates(issued, w["hanh"])
        # The city's decision, 20 December, and its certificates.
        with clock(datetime(2021, 12, 20, 8, 0)):
            decision = draft_for(self.movement, self.form[CITY_CERTIFICATE],
                                 decision_actions.eligible_nominees(self.movement,
                                                                    self.form[CITY_CERTIFICATE]),
                                 mai, number=CITY_DECISION_NUMBER)
            decision = decision_actions.issue_decision(decision, by=w["binh"])
            self.print_certificates(decision, mai)
        # The proposal upward to the province, and the province's answer on 20 January.
        with clock(datetime(2021, 12, 22, 9, 0)):
            proposal = proposals.draft_proposal(
                movement=self.movement, award_form=self.form[PROVINCE_FORM],
                nominees=list(Nominee.objects.filter(dossier=minh_khai,
                                                     council_outcome="approved_upward")),
                number=312, dated_on=date(2021, 12, 22), signer=w["binh"], grounds=GROUNDS,
                by=mai)
            proposal = proposals.send_proposal(proposal, by=mai)
        with clock(datetime(2022, 1, 21, 9, 0)):
            items = list(proposal.items.order_by("order"))
            proposals.record_higher_decision(
                proposal, number="156/QĐ-UBND", decided_on=date(2022, 1, 20),
                issuer_name="Chủ tịch UBND tỉnh Bắc Kạn", awarded=[items[0].pk], by=mai)
            # Everyone read 2021's notices long ago (what "Đánh dấu đã đọc" does).
            Notice.objects.unread().update(read_at=timezone.now())

    def vote_council(self, council):
        people = council_people()
        members = {m.user_id: m for m in council.members.all()}
        items = list(council.items.select_related("nominee__dossier__organisation"))
        for item in items:
            if item.nominee.dossier.organisation.code == "ttyt-tp" and item.order == min(
                    i.order for i in items if i.nominee.dossier.organisation.code == "ttyt-tp"):
                # The member in charge of health supervises the centre: she steps aside on
                # the first of its people.
                review_actions.recuse(item, member=members[people["health"].pk],
                                      reason="Phụ trách trực tiếp lĩnh vực y tế của đơn vị",
                                      by=people["health"])
        for key in ["chair", "vice", "member", "health"]:
            for item in items:
                if item.recusals.filter(member__user=people[key]).exists():
                    continue
                # La Văn Toàn is not approved: two against, one abstaining.
                choice = "agree"
                if item.nominee.full_name == "La Văn Toàn" and key != "chair":
                    choice = "abstain" if key == "health" else "disagree"
                review_actions.cast_vote(item, choice=choice, by=people[key])
        review_actions.close_meeting(council, by=people["secretary"])

    def print_certificates(self, decision, by):
        batch = certificate_batches.request_certificate_batch(
            decision, layout=None, full_design=True, base_url=self.site, by=by)
        run_certificate_batch(batch.pk)

    def today(self):
        """What waits for someone now: every role has work on its home page."""
        w, dung, mai = self.who, self.who["dung"], self.who["mai"]
        # Drafts: Đức Xuân's list still without documents; Sông Cầu's complete, for its head.
        with clock(working_days_ago(2)):
            self.draft("duc_xuan_draft", CITY_CERTIFICATE, "thu", working_days_ago(4).date())
            complete(self.draft("song_cau_ready", CITY_CERTIFICATE, "hanh",
                                working_days_ago(3).date()), w["hanh"])
            # Sông Cầu's own list with the ward decision waiting for its chairman's signature.
            ward = self.draft("song_cau_ward_2", WARD_FORM, "hanh", working_days_ago(3).date())
            draft_ward(ward, w["hanh"], number=41, issued_on=timezone.localdate())
        # Returned to Sông Cầu two days after it was sent.
        returned = self.submitted("song_cau_returned", PROVINCE_FORM, "hanh", "tam",
                                  working_days_ago(8))
        with clock(working_days_ago(6, 15)):
            dossier_actions.return_dossier(
                returned, by=dung, other="Báo cáo thành tích chưa có xác nhận của cấp trình "
                                         "khen; bổ sung bản có chữ ký, đóng dấu.")
        # The office's queue: one late, one in time.
        self.submitted("minh_khai_late", CITY_CERTIFICATE, "phuong", "tuan", working_days_ago(14))
        self.submitted("ttyt_submitted", PROVINCE_FORM, "huong", "duc", working_days_ago(1))
        # Accepted, waiting for the Steering Committee.
        self.accepted("ttyt_accepted", CITY_CERTIFICATE, "huong", "duc", working_days_ago(4))
        # One committee review eight working days ago for five lists.
        reviewed = self.accepted("duc_xuan_reviewed", CITY_CERTIFICATE, "thu", "xuan_head",
                                 working_days_ago(12))
        at_council = self.accepted("minh_khai_council", CITY_CERTIFICATE, "phuong", "tuan",
                                   working_days_ago(12))
        order = self.accepted("ttyt_order", LABOUR_ORDER, "huong", "duc", working_days_ago(11))
        song_cau = self.accepted("song_cau_council", CITY_CERTIFICATE, "hanh", "tam",
                                 working_days_ago(11))
        ttyt = self.accepted("ttyt_council", CITY_CERTIFICATE, "huong", "duc",
                             working_days_ago(11))
        committee_day = working_days_ago(8, 8)
        with clock(committee_day):
            run_committee(reviewed, dung, dossiers=(at_council, order, song_cau, ttyt),
                          when=timezone.make_aware(committee_day))
        with clock(working_days_ago(7)):
            for dossier in (at_council, order, song_cau, ttyt):
                dossier_actions.forward_to_council(Dossier.objects.get(pk=dossier.pk), by=dung)
        # A council meeting six working days ago: Sông Cầu's and the centre's lists approved;
        # the decision for Sông Cầu waits for the chairman, the centre's is still to draft.
        council_day = working_days_ago(6, 8)
        with clock(council_day):
            council = open_council(Dossier.objects.get(pk=song_cau.pk), mai, dossiers=(ttyt,),
                                   when=timezone.make_aware(council_day),
                                   title="Phiên họp Hội đồng TĐKT xét khen thưởng đợt 2")
            approve_all(council)
        with clock(working_days_ago(5)):
            draft_for(self.movement, self.form[CITY_CERTIFICATE],
                      list(Nominee.objects.filter(dossier=song_cau)), mai, number=57,
                      issued_on=timezone.localdate())
        # The labour order's candidate is on public display from today, and a citizen wrote.
        disclosure = disclosures.publish_disclosure(
            movement=self.movement, nominees=list(Nominee.objects.filter(dossier=order)),
            starts_on=timezone.localdate(),
            ends_on=add_working_days(timezone.localdate(), 14),
            title="Công khai danh sách đề nghị Huân chương Lao động hạng Ba", by=mai)
        disclosures.submit_objection(
            disclosure, nominee=Nominee.objects.get(dossier=order), name="Nguyễn Văn Thành",
            contact="0912 000 111", text="Đề nghị làm rõ sáng kiến truy vết bằng bản đồ số là "
                                         "của cá nhân hay của tập thể khoa.")
        # The council meets today: three members have voted; Đinh Văn Khánh's ballot is due.
        people = council_people()
        council = open_council(Dossier.objects.get(pk=at_council.pk), mai,
                               when=timezone.make_aware(datetime.combine(
                                   timezone.localdate(), time(7, 30))),
                               title="Phiên họp Hội đồng TĐKT xét khen thưởng đợt 3")
        for key in ["chair", "vice", "health"]:
            for item in council.items.all():
                review_actions.cast_vote(item, choice="agree", by=people[key])
