"""What a nomination is for: the movement's content area and the participant kind of a nominee,
set on the nominee's form, shown on its row panel, read from and written to the Excel list
(optional columns, per-cell messages, old sheets still read), and checked by the actions against
the dossier's own movement; and the leader levels split in two."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pipeline import person
from thidua.movements import actions as movement_actions
from thidua.movements.models import ContentArea, ParticipantKind
from thidua.nominations import actions
from thidua.nominations.choices import NomineeRow
from thidua.nominations.excel import build_template, error_workbook, export_nominees
from thidua.nominations.excel import parse_nominee_sheet as parse
from thidua.nominations.forms import NomineeForm
from thidua.nominations.models import Nominee
from thidua.orgs.models import Organisation
from thidua.rulesets.models import RuleSet

FORMS = [("giay-khen", "Giấy khen của Chủ tịch UBND thành phố")]
AREAS = [("2.1", "Thực hiện chủ trương, chỉ đạo về phòng, chống dịch"),
         ("2.5", "Triển khai hiệu quả, an toàn Chiến lược vắc xin phòng COVID-19")]
TODAY = date(2025, 6, 1)
AREA_COL, KIND_COL = 13, 14  # M and N of the template


def template_with(rows, areas=AREAS, award=FORMS[0][1]):
    """The product's template with ``rows`` (name, year, content area cell, kind cell) below the
    example row."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(FORMS, content_areas=areas)))
    ws = wb.worksheets[0]
    start = ws.max_row + 1
    for i, (name, year, area, kind) in enumerate(rows):
        r = start + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, name)
        ws.cell(r, 3, year)
        ws.cell(r, 8, award)
        ws.cell(r, AREA_COL, area)
        ws.cell(r, KIND_COL, kind)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), start


def old_sheet(category="Lãnh đạo khác"):
    """A list laid out before the two columns existed (and with the old leader label)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức vụ", "Hình thức đề nghị",
               "Đối tượng"])
    ws.append([1, "Nguyễn Văn Bình", 1975, "Nam", "Giám đốc Sở", FORMS[0][1], category])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the sheet: no database ----------------------------------------------------------------------

def test_the_columns_read_code_title_or_both_folded():
    data, first = template_with([
        ("Nguyễn Thị Lan", 1985, "2.1", "Lực lượng tuyến đầu"),
        ("Hoàng Văn Nam", 1979, "2.5. Triển khai hiệu quả, an toàn Chiến lược vắc xin phòng "
                                "COVID-19", "luc luong tuyen dau"),
        ("Lục Thị Hoa", 1990, "thuc hien chu truong chi dao ve phong chong dich",
         "CÁC TẦNG LỚP NHÂN DÂN"),
        ("Vi Văn Khải", 1972, 2.5, "frontline"),  # a number, as Excel may store it
        ("Bế Văn Lợi", 1980, date(2025, 1, 2), ""),  # "2.1" taken by Excel for 2 January
        ("Ma Thị Thắm", 1990, None, None),
    ])
    result = parse(data, FORMS, today=TODAY, content_areas=AREAS)
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.content_area, r.participant_kind) for r in result.rows] == [
        ("2.1", "frontline"), ("2.5", "frontline"), ("2.1", "citizens"), ("2.5", "frontline"),
        ("2.1", ""), ("", "")]
    assert result.rows[0].row_number == first


def test_bad_values_are_named_by_cell_in_vietnamese():
    data, first = template_with([
        ("Nguyễn Thị Lan", 1985, "9.9", "Lực lượng tuyến đầu"),
        ("Hoàng Văn Nam", 1979, "2.1", "Người ngoài hành tinh"),
        ("Lục Thị Hoa", 1990, "=HYPERLINK(\"x\")", ""),
    ])
    result = parse(data, FORMS, today=TODAY, content_areas=AREAS)
    assert not result.rows
    messages = [str(e) for e in result.errors]
    assert (f"Dòng {first}, cột “Nội dung thi đua”: nội dung thi đua “9.9” không có trong kế "
            "hoạch của phong trào; ghi số mục (ví dụ “2.1”) hoặc tên nội dung") in messages
    assert (f"Dòng {first + 1}, cột “Đối tượng thi đua”: đối tượng thi đua “Người ngoài hành "
            "tinh” không có trong danh sách; chọn trong danh sách thả xuống") in messages
    assert any(m.startswith(f"Dòng {first + 2}, cột “Nội dung thi đua”: ô M{first + 2} chứa "
                            "công thức") for m in messages)
    # The error workbook marks the cell itself.
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook(data, result.errors))).worksheets[0]
    assert ws.cell(first, AREA_COL).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(first + 1, KIND_COL).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(first + 1, AREA_COL).fill.fill_type is None


def test_a_movement_without_content_areas_says_to_leave_the_column_empty():
    data, first = template_with([("Nguyễn Thị Lan", 1985, "2.1", "")])
    result = parse(data, FORMS, today=TODAY)
    assert [str(e) for e in result.errors] == [
        f"Dòng {first}, cột “Nội dung thi đua”: phong trào này không có nội dung thi đua; để "
        "trống cột này"]


def test_an_old_sheet_without_the_columns_still_imports_and_its_leader_label_too():
    result = parse(old_sheet("Lãnh đạo cấp tỉnh, cấp sở"), FORMS, today=TODAY,
                   content_areas=AREAS)
    assert result.ok, [str(e) for e in result.errors]
    (row,) = result.rows
    assert (row.content_area, row.participant_kind) == ("", "")
    assert row.category == "leader_province"  # the old combined label: the province level
    department = parse(old_sheet("Lãnh đạo cấp vụ, sở, ngành và tương đương"), FORMS,
                       today=TODAY).rows[0]
    assert department.category == "leader_department"
    province = parse(old_sheet("lanh dao cap bo, cap tinh tro len"), FORMS, today=TODAY).rows[0]
    assert province.category == "leader_province"


def test_the_template_offers_both_columns_and_the_export_reads_back():
    ws = openpyxl.load_workbook(io.BytesIO(build_template(FORMS, content_areas=AREAS))).active
    assert [ws.cell(4, c).value for c in (AREA_COL, KIND_COL)] == ["Nội dung thi đua",
                                                                   "Đối tượng thi đua"]
    lists = ws.parent["Danh mục"]
    validations = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation
                   if v.type == "list"}
    area_list = validations["M6"].formula1.split("!")[1].replace("$", "")
    column = area_list[0]
    assert [lists[f"{column}{i}"].value for i in (1, 2)] == [f"{c}. {t}" for c, t in AREAS]
    assert validations["M6"].errorStyle == "warning"  # the code alone may be typed
    kind_column = validations["N6"].formula1.split("!")[1].replace("$", "")[0]
    assert [lists[f"{kind_column}{i}"].value for i in range(1, 8)] == [
        str(k.label) for k in ParticipantKind]

    rows = [NomineeRow(kind="individual", full_name="Nguyễn Thị Lan", gender="female",
                       birth_year=1985, award_form_code=FORMS[0][0], content_area="2.5",
                       participant_kind="press", category="leader_department")]
    data = export_nominees(rows, FORMS, title="DS", unit="Phường", content_areas=AREAS)
    back = parse(data, FORMS, today=TODAY, content_areas=AREAS)
    assert back.ok
    assert (back.rows[0].content_area, back.rows[0].participant_kind,
            back.rows[0].category) == ("2.5", "press", "leader_department")
    exported = openpyxl.load_workbook(io.BytesIO(data)).active
    assert exported.cell(6, AREA_COL).value == f"2.5. {AREAS[1][1]}"
    assert exported.cell(6, KIND_COL).value == "Cơ quan truyền thông, báo chí"


# --- forms, actions, pages -----------------------------------------------------------------------

def other_movement(by):
    """A second movement of the city, with its own content area "2.1"."""
    city = Organisation.objects.get(code="ubnd-tp-bac-kan")
    movement = movement_actions.create_movement(
        by=by, title="Phong trào thi đua khác", short_title="Phong trào khác", number="99/KH",
        document_kind="Kế hoạch", issuer=city, issued_on=date(2026, 1, 5),
        launched_on=date(2026, 1, 6), ends_on=None, place="", signer_name="A",
        signer_title="Chủ tịch", signer_capacity="", scope="district", stream="themed",
        rule_set=RuleSet.objects.get(code="2021"),
        receiving_office=Organisation.objects.get(code="vp-hdnd-ubnd-tp"),
        council_secretariat=Organisation.objects.get(code="phong-noi-vu-tp"),
        registration_deadline=None, plan_deadline=None, dossier_deadline=None,
        criteria_intro="")
    return movement_actions.add_content_area(movement, by=by, code="2.1", title="Khác hẳn")


@pytest.mark.django_db
def test_the_action_takes_only_the_dossiers_own_content_areas(draft, personas):
    nominee = actions.add_nominee(draft, person(name="Hoàng Văn Nam", gender="male",
                                                content_area="2.5",
                                                participant_kind="frontline"), by=personas.hanh)
    nominee.refresh_from_db()
    assert nominee.content_area == ContentArea.objects.get(movement=draft.movement, code="2.5")
    assert nominee.participant_kind == "frontline"
    with pytest.raises(ValidationError) as refused:
        actions.add_nominee(draft, person(name="Lục Thị Hoa", content_area="9.9"),
                            by=personas.hanh)
    assert "Nội dung thi đua “9.9” không có trong kế hoạch của phong trào này." in str(
        refused.value)
    with pytest.raises(ValidationError):
        actions.update_nominee(nominee, person(name="Hoàng Văn Nam", gender="male",
                                               participant_kind="aliens"), by=personas.hanh)
    # Corrected through the action: the area cleared, the kind changed.
    actions.update_nominee(nominee, person(name="Hoàng Văn Nam", gender="male",
                                           participant_kind="citizens"), by=personas.hanh)
    nominee.refresh_from_db()
    assert (nominee.content_area, nominee.participant_kind) == (None, "citizens")


@pytest.mark.django_db
def test_a_content_area_of_another_movement_is_refused(draft, personas):
    foreign = other_movement(personas.mai)
    nominee = draft.nominees.get()
    page = NomineeForm(data={**NomineeForm.initial_from(nominee), "content_area": foreign.pk},
                       movement=draft.movement)
    assert not page.is_valid()
    assert page.errors["content_area"] == ["Nội dung thi đua này không thuộc phong trào của hồ sơ."]
    # Its code is the same as one of the dossier's own: the action resolves the code against
    # the dossier's movement, never takes the other's row.
    actions.update_nominee(nominee, person(content_area=foreign.code), by=personas.hanh)
    nominee.refresh_from_db()
    assert nominee.content_area.movement_id == draft.movement_id != foreign.movement_id


@pytest.mark.django_db
def test_the_nominee_form_and_panel_show_and_set_them(draft, personas, client_for):
    client = client_for(personas.hanh)
    nominee = draft.nominees.get()
    url = f"/ho-so/{draft.pk}/nguoi/{nominee.pk}/"
    form_page = client.get(url + "sua/").content.decode()
    assert 'name="content_area"' in form_page and 'name="participant_kind"' in form_page
    own = list(ContentArea.objects.filter(movement=draft.movement))
    for area in own:
        assert f'value="{area.pk}"' in form_page
    area = own[1]
    data = {**{k: v for k, v in NomineeForm.initial_from(nominee).items() if v is not None},
            "content_area": area.pk, "participant_kind": "frontline"}
    data.pop("birth_date", None)
    response = client.post(url + "sua/", data)
    assert response.status_code == 302
    nominee.refresh_from_db()
    assert (nominee.content_area, nominee.participant_kind) == (area, "frontline")
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert str(area) in panel and "Lực lượng tuyến đầu" in panel
    # A stranger's area by address: the form says why, nothing changes.
    foreign = other_movement(personas.mai)
    page = client.post(url + "sua/", {**data, "content_area": foreign.pk})
    assert "Nội dung thi đua này không thuộc phong trào của hồ sơ." in page.content.decode()
    nominee.refresh_from_db()
    assert nominee.content_area == area


@pytest.mark.django_db
def test_the_excel_import_and_export_carry_them(draft, personas, client_for):
    client = client_for(personas.hanh)
    template = client.get(f"/ho-so/phong-trao/{draft.movement.slug}/mau-danh-sach.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert ws.cell(4, AREA_COL).value == "Nội dung thi đua"
    areas = [(a.code, a.title) for a in draft.movement.content_areas.order_by("order")]
    data, _first = template_with([("Hoàng Văn Nam", 1979, "2.5", "Lực lượng tuyến đầu"),
                                  ("Lục Thị Hoa", 1990, areas[2][1], "")], areas=areas,
                                 award=draft.award_form.name)
    response = client.post(f"/ho-so/{draft.pk}/nhap-excel/",
                           {"file": SimpleUploadedFile("ds.xlsx", data)}, follow=True)
    assert "Đã nhập 2 dòng" in response.content.decode()
    got = {n.full_name: (n.content_area.code if n.content_area else "", n.participant_kind)
           for n in draft.nominees.select_related("content_area")}
    assert got == {"Nguyễn Thị Lan": ("", ""), "Hoàng Văn Nam": ("2.5", "frontline"),
                   "Lục Thị Hoa": (areas[2][0], "")}
    exported = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/ho-so/{draft.pk}/danh-sach.xlsx").content)).active
    values = {exported.cell(r, 2).value: exported.cell(r, AREA_COL).value
              for r in range(6, exported.max_row + 1) if exported.cell(r, 2).value}
    assert values["Hoàng Văn Nam"] == f"2.5. {areas[4][1]}"
    # A bad cell: nothing is imported, the page names the cell.
    bad, first = template_with([("Bế Văn Lợi", 1980, "7.7", "")], areas=areas,
                               award=draft.award_form.name)
    page = client.post(f"/ho-so/{draft.pk}/nhap-excel/",
                       {"file": SimpleUploadedFile("ds2.xlsx", bad)}).content.decode()
    assert (f"<td>{first}</td><td>Nội dung thi đua</td><td>nội dung thi đua “7.7” không có "
            "trong kế hoạch của phong trào") in page
    assert draft.nominees.count() == 3


@pytest.mark.django_db
def test_resolving_content_areas_costs_no_query_per_row(draft, personas):
    areas = ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]

    def imported(n, start):
        rows = [person(name=f"Người số {start + i}", year=1960 + i % 40,
                       content_area=areas[i % len(areas)], participant_kind="citizens")
                for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            actions.import_nominees(draft, rows, by=personas.hanh)
        return [q["sql"] for q in ctx if '"movements_contentarea"' in q["sql"]]

    assert len(imported(3, 0)) == len(imported(60, 100)) == 1
    assert Nominee.objects.filter(dossier=draft, content_area__code="2.3").count() == 1 + 10
