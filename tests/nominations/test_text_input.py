"""Text as offices type it, on every way into the nominations app: look-alike letters (one
normaliser), spreadsheet formulas (refused coming in, neutralised going out), a list naming
another form than its dossier's, and the length of every free text; and linking a nominee only
to a subject the unit may know of."""

import importlib
import io
import unicodedata
from datetime import date

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pipeline import complete, person
from thidua.core.text import FORMULA_PREFIXES, formula_prefix
from thidua.nominations import actions, limits
from thidua.nominations.excel import PastAwardRow, build_template, parse_nominee_sheet
from thidua.nominations.excel.labels import LABELS
from thidua.nominations.lists import award_form_choices
from thidua.nominations.models import (
    AwardRecord,
    ChecklistMark,
    Deficiency,
    Dossier,
    Nominee,
    RejectedSheet,
    Subject,
)

pytestmark = pytest.mark.django_db

CITY = "Giấy khen của Chủ tịch UBND thành phố"
PROVINCE = "Bằng khen của Chủ tịch UBND tỉnh"
# The template's columns (writer.SHEET_COLUMNS), 1-based.
COL = {"stt": 1, "name": 2, "male": 3, "female": 4, "ethnicity": 5, "position_unit": 6,
       "summary": 7, "award": 8, "note": 9, "kind": 10, "category": 11, "citation": 12}
FIRST_ROW = 7  # below the template's example row


def html(response):
    return response.content.decode()


def sheet(forms, *rows) -> bytes:
    """The product's template filled below its example row; each row a dict of columns."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(forms)))
    ws = wb.worksheets[0]
    for i, values in enumerate(rows):
        line = {"stt": i + 1, "male": 1980, "ethnicity": "Kinh", "award": CITY,
                "position_unit": "Y sĩ – Trạm Y tế", "summary": "Trực chốt", **values}
        for name, value in line.items():
            cell = ws.cell(FIRST_ROW + i, COL[name], value)
            cell.data_type = "s" if isinstance(value, str) else cell.data_type
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.xlsx", data)


def cells_of(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def assert_runs_nothing(data: bytes) -> None:
    """No formula and no text a spreadsheet would run as one, on any sheet."""
    for cell in cells_of(data):
        assert cell.data_type != "f", cell.coordinate
        assert not formula_prefix(cell.value), (cell.coordinate, cell.value)


def nominee_post(**values):
    data = {"kind": "individual", "full_name": "Lý Thị Mai", "gender": "female",
            "birth_year": "1988", "category": "frontline_health"}
    data.update(values)
    return data


# --- 5. look-alike letters: one normaliser on every way in -------------------------------------

SPOILT = "\u00d0\u1ed7 V\u0103n \u041d\u00f9ng\u200b"  # Ð (U+00D0), Cyrillic Н, a zero-width space


def test_the_nominee_form_stores_look_alikes_as_vietnamese_letters(draft, personas, client_for):
    client = client_for(personas.hanh)
    client.post(f"/ho-so/{draft.pk}/them-nguoi/", nominee_post(
        full_name=SPOILT, unit_name="Tr\u0430m Y t\u1ebf\u00a0ph\u01b0\u1eddng", birth_year="１９８８"))
    nominee = draft.nominees.get(full_name="Đỗ Văn Hùng")
    assert (nominee.name_folded, nominee.unit_folded) == ("do van hung", "tram y te phuong")
    assert nominee.subject.name == "Đỗ Văn Hùng" and nominee.birth_year == 1988


def test_the_excel_list_stores_look_alikes_as_vietnamese_letters(draft, personas, client_for):
    data = sheet(award_form_choices(draft.movement),
                 {"name": SPOILT, "male": "１９７９", "position_unit": "Y s\u0129 – \u00d0\u1ed9i 1"})
    client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nhap-excel/", {"file": upload(data)})
    nominee = draft.nominees.get(name_folded="do van hung")
    assert (nominee.full_name, nominee.birth_year, nominee.unit_name) == ("Đỗ Văn Hùng", 1979,
                                                                          "Đội 1")


def test_the_dossier_form_normalises_the_meeting_result(draft, personas, client_for):
    client_for(personas.hanh).post(f"/ho-so/{draft.pk}/sua/", {
        "award_form": draft.award_form.pk, "procedure": "normal",
        "unit_meeting_date": "2021-11-15", "unit_meeting_result": "10/10\u200b nh\u1ea5t\ufefftrí"})
    assert Dossier.objects.get(pk=draft.pk).unit_meeting_result == "10/10 nhấttrí"


@pytest.mark.parametrize("typed", ["\u00d0ỗ Đức", "Đỗ Đức", "ɖỗ đức", "ĐỖ ĐỨC", "do duc",
                                   "Đ\u200bỗ", unicodedata.normalize("NFD", "Đỗ Đức")])
@pytest.mark.parametrize("stored", ["Đỗ Đức Đạt", "\u00d0ỗ \u00d0ức \u00d0ạt"])
def test_the_register_finds_a_name_whichever_d_was_typed_or_stored(personas, client_for,
                                                                     typed, stored):
    actions.import_award_register([PastAwardRow(
        full_name=stored, birth_year=1979, award_name=CITY, decision_number="1/QĐ-UBND",
        row_number=2)], by=personas.mai)
    assert Subject.objects.get().name == "Đỗ Đức Đạt"
    page = html(client_for(personas.mai).get("/so-khen-thuong/", {"q": typed}))
    assert "Đỗ Đức Đạt" in page


def test_the_register_import_takes_a_decision_number_typed_differently_as_the_same(personas):
    row = PastAwardRow(full_name="Đỗ Đức Đạt", birth_year=1979, award_name=CITY,
                       decision_number="125/QĐ-UBND", decision_date=date(2020, 1, 2), row_number=2)
    again = PastAwardRow(**{**row.__dict__, "decision_number": "125 / qđ – ubnd",
                            "award_name": unicodedata.normalize("NFD", CITY.upper())})
    assert actions.import_award_register([row], by=personas.mai) == 1
    assert actions.import_award_register([again], by=personas.mai) == 0
    assert AwardRecord.objects.count() == 1


def test_the_data_migration_renormalises_names_and_recomputes_folded_columns(draft):
    """Rows written before the normaliser: "Ð" stored as typed, folded by the older folding."""
    nominee = draft.nominees.get()
    Nominee.objects.filter(pk=nominee.pk).update(
        full_name="\u00d0\u1ed7 Th\u1ecb \u041doa", name_folded="ðỗ thị нoa", unit_name="A\u200bB",
        unit_folded="a\u200bb")
    Subject.objects.filter(pk=nominee.subject_id).update(
        name="\u00d0\u1ed7 Th\u1ecb \u041doa", name_folded="ðo thi нoa")
    migration = importlib.import_module("thidua.nominations.migrations.0009_renormalise_text")
    migration.forwards(django_apps, None)
    nominee.refresh_from_db()
    assert (nominee.full_name, nominee.name_folded) == ("Đỗ Thị Hoa", "do thi hoa")
    assert (nominee.unit_name, nominee.unit_folded) == ("AB", "ab")
    assert Subject.objects.get(pk=nominee.subject_id).name_folded == "do thi hoa"
    assert list(Subject.objects.search("\u00d0ỗ thị hoa")) == [nominee.subject]


# --- 6. spreadsheet formulas ---------------------------------------------------------------------

TEXT_COLUMNS = {"name": "Họ và tên", "ethnicity": "Dân tộc", "position_unit": "Chức vụ – Đơn vị công tác",
                "summary": "Tóm tắt thành tích", "award": "Hình thức đề nghị", "note": "Ghi chú",
                "kind": "Loại", "category": "Đối tượng", "citation": "Trích lời khen"}


def test_any_text_cell_starting_like_a_formula_is_refused_naming_the_cell():
    """Every prefix of the OWASP list, bare or behind our export's apostrophe, in every column
    read as text: one row each, each refused at its own cell and nowhere else."""
    forms = [("giay", CITY)]
    cases = [(column, ("'" if quoted else "") + prefix + rest)
             for column in sorted(TEXT_COLUMNS) for prefix in FORMULA_PREFIXES
             for quoted, rest in ((False, "1+1"), (True, 'HYPERLINK("http://x","Bấm")'))]
    rows = [{"name": f"Người số {i}", column: value} for i, (column, value) in enumerate(cases)]
    result = parse_nominee_sheet(sheet(forms, *rows), forms, today=date(2025, 1, 1))
    assert result.rows == []
    for i, (column, _value) in enumerate(cases):
        address = f"{openpyxl.utils.get_column_letter(COL[column])}{FIRST_ROW + i}"
        named = [e for e in result.errors if f"ô {address} " in e.message]
        assert [(e.row, e.column) for e in named] == [(FIRST_ROW + i, TEXT_COLUMNS[column])]
        assert not [e for e in result.errors if e.row == FIRST_ROW + i and e not in named
                    and "ô " in e.message[:3]]


def test_a_formula_cell_of_the_register_is_refused_naming_the_cell():
    from thidua.nominations.excel import parse_award_register

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Đơn vị", "Hình thức khen thưởng", "Số quyết định"])
    ws.append([1, "=B1", 1980, "@Phòng", CITY, "-1/QĐ"])
    out = io.BytesIO()
    wb.save(out)
    result = parse_award_register(out.getvalue(), today=date(2025, 1, 1))
    assert result.rows == []
    assert sorted(e.message.split(" ")[1] for e in result.errors) == ["B2", "D2", "F2"]


def test_a_refused_list_stores_nothing_and_its_error_sheet_runs_nothing(draft, personas,
                                                                       client_for):
    def with_formulas(ws):
        ws.cell(FIRST_ROW, COL["summary"], "=SUM(1,2)")  # a real formula cell
        ws.cell(FIRST_ROW, 13, '=HYPERLINK("http://x","y")')  # in a column not read

    forms = award_form_choices(draft.movement)
    wb = openpyxl.load_workbook(io.BytesIO(sheet(forms, {"name": "@Nguyễn Văn An"},
                                                 {"name": "Lê Văn Bình", "note": "\t=1"})))
    with_formulas(wb.worksheets[0])
    data = io.BytesIO()
    wb.save(data)
    client = client_for(personas.hanh)
    page = html(client.post(f"/ho-so/{draft.pk}/nhap-excel/", {"file": upload(data.getvalue())}))
    assert "ô B7 bắt đầu bằng “@”" in page and "ô G7 chứa công thức" in page
    assert "ô I8 bắt đầu bằng “dấu tab”" in page
    assert draft.nominees.count() == 1
    back = client.get(f"/ho-so/{draft.pk}/nhap-excel/loi.xlsx").content
    assert_runs_nothing(back)
    ws = openpyxl.load_workbook(io.BytesIO(back)).worksheets[0]
    values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value}
    assert values["B7"] == "'@Nguyễn Văn An" and values["G7"] == "'=SUM(1,2)"
    assert values["M7"].startswith("'=HYPERLINK")
    assert any("ô B7" in str(v) for v in values.values())  # the "Lỗi" column names the cell


@pytest.mark.parametrize("field", ["full_name", "unit_name", "position", "leader", "ethnicity"])
@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\uff1d"])
def test_a_name_starting_like_a_formula_is_refused_whatever_the_way_in(draft, personas, field,
                                                                        prefix):
    row = person(name="Lý Thị Mai")
    setattr(row, field, prefix + "HYPERLINK(\"http://x\")")
    with pytest.raises(ValidationError, match="không được bắt đầu bằng"):
        actions.add_nominee(draft, row, by=personas.hanh)
    assert draft.nominees.count() == 1


def test_the_nominee_form_says_why_a_formula_name_is_refused(draft, personas, client_for):
    page = html(client_for(personas.hanh).post(f"/ho-so/{draft.pk}/them-nguoi/",
                                               nominee_post(full_name="=1+1")))
    assert "không được bắt đầu bằng “=”" in page
    assert draft.nominees.count() == 1


def test_every_workbook_the_product_writes_runs_nothing(draft, personas, client_for):
    """Texts stored before they were refused: the export, the package's list and the template
    (award names come from the rule set) carry none as a formula."""
    draft.nominees.update(full_name="=cmd|' /C calc'!A0", position="+1", unit_name="-2",
                          ethnicity="@x", achievement_summary="\t=1", citation="\r=2", note="=3",
                          leader="=4")
    client = client_for(personas.hanh)
    assert_runs_nothing(client.get(f"/ho-so/{draft.pk}/danh-sach.xlsx").content)
    assert_runs_nothing(build_template([("x", "=SUM(A1)"), ("y", "-z")]))
    complete(draft, personas.hanh)
    import zipfile

    package = zipfile.ZipFile(io.BytesIO(b"".join(
        client.get(f"/ho-so/{draft.pk}/ho-so.zip").streaming_content)))
    lists = [n for n in package.namelist() if n.endswith(".xlsx")]
    assert lists
    for name in lists:
        assert_runs_nothing(package.read(name))


def test_the_register_import_refuses_a_name_starting_like_a_formula(personas):
    row = PastAwardRow(full_name="@SUM(A1)", award_name=CITY, decision_number="1/QĐ", row_number=3)
    with pytest.raises(ValidationError, match="Dòng 3"):
        actions.import_award_register([row], by=personas.mai)
    assert not Subject.objects.filter(name__startswith="@").exists()


# --- 7. a row naming another form than the dossier's; an unknown form ----------------------------

def test_a_row_naming_another_form_of_the_movement_is_refused_on_that_row(draft, personas,
                                                                          client_for):
    forms = award_form_choices(draft.movement)
    data = sheet(forms, {"name": "Lê Văn Bình"}, {"name": "Hà Văn Cường", "award": PROVINCE},
                 {"name": "Vũ Văn Dũng", "award": "Giấy khen thành phố?"})
    page = html(client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nhap-excel/",
                                               {"file": upload(data)}))
    assert f"dòng đề nghị “{PROVINCE}” nhưng hồ sơ này đề nghị “{CITY}”" in page
    assert "không có trong danh sách hình thức của phong trào" in page
    assert draft.nominees.count() == 1
    errors = RejectedSheet.objects.get(dossier=draft).errors
    assert [(row, column) for row, column, _m in errors] == [
        (FIRST_ROW + 1, LABELS["award"]), (FIRST_ROW + 2, LABELS["award"])]


def test_the_import_action_refuses_rows_of_another_form_whoever_calls_it(draft, personas,
                                                                         province_form):
    rows = [person(name="Lê Văn Bình", award_form_code=draft.award_form.code, row_number=7),
            person(name="Hà Văn Cường", award_form_code=province_form.code, row_number=8)]
    with pytest.raises(ValidationError, match="Dòng 8 đề nghị hình thức khác"):
        actions.import_nominees(draft, rows, by=personas.hanh)
    assert draft.nominees.count() == 1


def test_a_register_line_with_a_form_the_catalogue_lacks_is_said(personas, client_for):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Hình thức khen thưởng", "Số quyết định"])
    ws.append([1, "Đỗ Văn An", 1970, CITY, "1/QĐ"])
    ws.append([2, "Lê Văn Bình", 1971, "Huy chương Sao Hỏa", "2/QĐ"])
    out = io.BytesIO()
    wb.save(out)
    response = client_for(personas.mai).post("/so-khen-thuong/nhap/",
                                             {"file": upload(out.getvalue())}, follow=True)
    page = html(response)
    assert AwardRecord.objects.count() == 2
    assert "1 dòng ghi hình thức khen thưởng không có trong danh mục" in page
    assert "dòng 3: “Huy chương Sao Hỏa”" in page and "dòng 2:" not in page


# --- 8. field lengths ----------------------------------------------------------------------------

def test_every_free_text_of_the_app_has_a_limit_its_column_can_hold():
    """A TextField carries its limit; a CharField's column is at least as wide as the limit."""
    from django.db import models

    limited = {
        Nominee: limits.NOMINEE,
        Dossier: {"unit_meeting_result": limits.UNIT_MEETING_RESULT},
        Deficiency: {"message": limits.DEFICIENCY},
        ChecklistMark: {"note": limits.MARK_NOTE},
        AwardRecord: {k: v for k, v in limits.REGISTER.items() if k != "full_name"},
        Subject: {"name": limits.NAME, "unit_name": limits.REGISTER["unit_name"]},
    }
    for model, sizes in limited.items():
        for field in model._meta.get_fields():
            if not isinstance(field, models.TextField):
                continue
            assert field.max_length == sizes[field.name], (model, field.name)
        for name, limit in sizes.items():
            assert model._meta.get_field(name).max_length >= limit, (model, name)


def test_the_nominee_form_states_each_limit_and_counts_composed_letters(draft, personas,
                                                                       client_for):
    client = client_for(personas.hanh)
    page = html(client.get(f"/ho-so/{draft.pk}/them-nguoi/"))
    assert "Tối đa 2.000 ký tự." in page and 'maxlength="2000"' in page
    assert "Tối đa 150 ký tự." in page and "Tối đa 500 ký tự." in page
    long_summary = "x" * 2001
    page = html(client.post(f"/ho-so/{draft.pk}/them-nguoi/",
                            nominee_post(achievement_summary=long_summary)))
    assert "2000" in page and draft.nominees.count() == 1
    # 150 letters typed decomposed (300 code points) are 150 characters once stored.
    name = unicodedata.normalize("NFD", "Ữ" * 149 + "A")
    client.post(f"/ho-so/{draft.pk}/them-nguoi/", nominee_post(full_name=name))
    assert draft.nominees.filter(full_name="Ữ" * 149 + "A").exists()


def test_an_eleven_thousand_character_summary_is_refused_in_the_sheet(draft, personas,
                                                                      client_for):
    data = sheet(award_form_choices(draft.movement), {"name": "Lê Văn Bình", "summary": "x" * 11000,
                                                      "citation": "y" * 501})
    page = html(client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nhap-excel/",
                                               {"file": upload(data)}))
    assert "dài quá 2.000 ký tự (có 11.000 ký tự)" in page
    assert "dài quá 500 ký tự (có 501 ký tự)" in page
    assert draft.nominees.count() == 1


@pytest.mark.parametrize("field, limit", sorted(limits.NOMINEE.items()))
def test_every_nominee_text_over_its_limit_is_refused_by_the_action(draft, personas, field,
                                                                    limit):
    row = person(name="Lý Thị Mai", row_number=12)
    setattr(row, field, "a" * (limit + 1))
    with pytest.raises(ValidationError, match=f"dài quá {limits.vn_number(limit)} ký tự"):
        actions.import_nominees(draft, [row], by=personas.hanh)
    setattr(row, field, "a" * limit)
    actions.add_nominee(draft, row, by=personas.hanh)


def test_the_dossier_and_review_texts_over_their_limit_are_refused(draft, personas, movement):
    with pytest.raises(ValidationError, match="dài quá 1.000 ký tự"):
        actions.update_dossier(draft, unit_meeting_result="x" * 1001, by=personas.hanh)
    with pytest.raises(ValidationError, match="dài quá 1.000 ký tự"):
        actions.create_dossier(movement=movement, organisation=draft.organisation,
                               award_form=draft.award_form, unit_meeting_result="x" * 1001,
                               by=personas.hanh)
    with pytest.raises(ValidationError, match="dài quá 500 ký tự"):
        actions.withdraw_dossier(draft, reason="x" * 501, by=personas.tam)
    submitted = actions.submit_dossier(complete(draft, personas.hanh), by=personas.tam)
    with pytest.raises(ValidationError, match="dài quá 500 ký tự"):
        actions.mark_item(submitted, item_key="unit_submission", ok=False, note="x" * 501,
                          by=personas.dung)
    with pytest.raises(ValidationError, match="dài quá 1.000 ký tự"):
        actions.return_dossier(submitted, other="x" * 1001, by=personas.dung)
    assert Dossier.objects.get(pk=draft.pk).state == Dossier.State.SUBMITTED
    assert not Deficiency.objects.exists() and not ChecklistMark.objects.exists()


def test_the_register_import_refuses_a_text_over_its_limit(personas):
    row = PastAwardRow(full_name="Đỗ Văn An", award_name=CITY, decision_number="1/" + "Q" * 64,
                       note="n" * 501, row_number=4)
    with pytest.raises(ValidationError) as refused:
        actions.import_award_register([row], by=personas.mai)
    assert len(refused.value.messages) == 2
    assert all(m.startswith("Dòng 4: ") for m in refused.value.messages)
    assert not AwardRecord.objects.exists()


# --- 16. linking to a subject of another unit's unsent draft ----------------------------------

@pytest.fixture
def other_draft(personas, movement, city_certificate, demo):
    """Đức Xuân's unsent draft naming a Nguyễn Thị Lan too."""
    from thidua.orgs import actions as org_actions

    ward = demo.org("phuong-duc-xuan")
    org_actions.grant_role(personas.thu, ward, "unit_head")
    dossier = actions.create_dossier(movement=movement, organisation=ward,
                                     award_form=city_certificate,
                                     unit_meeting_date=date(2021, 11, 1), by=personas.thu)
    actions.add_nominee(dossier, person(name="NGUYỄN THỊ LAN", unit="Trạm Y tế Đức Xuân"),
                        by=personas.thu)
    return dossier


def test_a_subject_known_only_from_another_units_draft_cannot_be_linked(draft, other_draft,
                                                                        personas, client_for):
    mine, theirs = draft.nominees.get(), other_draft.nominees.get()
    assert mine.subject_id != theirs.subject_id
    with pytest.raises(ValidationError, match="Chỉ liên kết được"):
        actions.link_subject(mine, theirs.subject, by=personas.hanh)
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nguoi/{mine.pk}/lien-ket/",
                                              {"subject": theirs.subject_id})
    assert response.status_code == 404
    assert Nominee.objects.get(pk=mine.pk).subject_id == mine.subject_id


def test_once_the_other_unit_sends_its_list_the_subject_can_be_linked(draft, other_draft,
                                                                      personas, client_for):
    mine, theirs = draft.nominees.get(), other_draft.nominees.get()
    actions.submit_dossier(complete(other_draft, personas.thu), by=personas.thu)
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nguoi/{mine.pk}/lien-ket/",
                                              {"subject": theirs.subject_id})
    assert response.status_code == 302
    assert Nominee.objects.get(pk=mine.pk).subject_id == theirs.subject_id
