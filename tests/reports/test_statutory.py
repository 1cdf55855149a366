"""The statutory forms of Circular 02/2023/TT-BNV, read back with openpyxl: right cells, right
totals, every row's total equal to the sum of its columns, and the unverified layout said."""

import io
from datetime import date

import openpyxl
import pytest

from tests.pipeline import council_people
from thidua.decisions import proposals
from thidua.movements.models import Movement
from thidua.nominations.models import AwardRecord
from thidua.reports import statutory
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db
AT = statutory.header_rows()


@pytest.fixture
def provincial(city, upward, movement, province_form, personas):
    """The province awarded both people the city proposed for its Bằng khen."""
    proposal = proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=upward, number=31,
        dated_on=date(2021, 12, 22), signer=council_people()["chair"],
        grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.mai)
    proposal = proposals.send_proposal(proposal, by=personas.mai)
    return proposals.record_higher_decision(
        proposal, number="150/QĐ-UBND", decided_on=date(2021, 12, 28),
        issuer_name="UBND tỉnh Bắc Kạn", awarded=[i.pk for i in proposal.items.all()],
        by=personas.mai)


def read(client, number, year=2021):
    response = client.get(f"/thong-ke/bieu-mau/{number}.xlsx?nam={year}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def grid(ws, number):
    """{row code: {column code: value}} as the sheet shows it."""
    columns = {ws.cell(AT["codes"], c).value: c
               for c in range(statutory.FIRST_COLUMN, ws.max_column + 1)}
    out = {}
    r = AT["first"]
    while ws.cell(r, 1).value:
        code = ws.cell(r, 2).value
        if code:
            out[code] = {col: ws.cell(r, c).value for col, c in columns.items()}
        r += 1
    assert len(columns) == len(statutory.FORMS[number].columns)
    return out


def leaves_add_up(cells, number):
    """Column 1 is the sum of the leaf columns (0601: of each group of columns)."""
    if number == "0601":
        return all(cells["1"] == sum(v for k, v in cells.items() if k.startswith(g))
                   for g in ("2.", "3."))
    return cells["1"] == sum(v for k, v in cells.items() if k != "1")


def test_0603_counts_the_provinces_awards(provincial, personas, client_for):
    ws = read(client_for(personas.mai), "0603")
    assert ws.cell(AT["code"], 1).value == "Biểu số: 0603.N/BNV-TĐKT"
    assert "CHƯA ĐỐI CHIẾU" in ws.cell(AT["unverified"], 1).value
    assert ws.cell(AT["title"] + 1, 1).value == "Năm 2021"
    cells = grid(ws, "0603")
    lines = [r for r in AwardRecord.objects.select_related("award_form", "nominee")
             if r.award_form and r.award_form.authority == "province_chairman"
             and r.decision_date.year == 2021]
    assert cells["1"]["1"] == len(lines) == 2
    assert cells["1"]["4.2"] == 2  # the provincial Bằng khen, individuals
    assert cells["9"]["1"] == 2 and cells["6"]["1"] == 0
    assert cells["3"]["1"] == 2 and cells["2"]["1"] == 0
    assert cells["15"]["4.2"] == sum(1 for r in lines
                                     if r.nominee.category.startswith("frontline_"))
    for code, row in cells.items():
        assert leaves_add_up(row, "0603"), code
    # Rows 9 = 10…15 and 1 = 6 + 8 + 9, as the form requires.
    assert cells["9"]["1"] == sum(cells[c]["1"] for c in ("10", "11", "12", "13", "14", "15"))
    assert cells["1"]["1"] == cells["6"]["1"] + cells["8"]["1"] + cells["9"]["1"]


def test_0602_state_level_awards(city, personas, client_for, movement):
    pm = AwardForm.objects.get(rule_set=movement.rule_set, code="bang-khen-thu-tuong")
    ward_lines = AwardRecord.objects.filter(nominee__dossier__organisation=city.ducxuan)
    AwardRecord.objects.bulk_create([
        AwardRecord(subject=r.subject, nominee=r.nominee, award_name=pm.name, award_form=pm,
                    decision_number="2001/QĐ-TTg", decision_date=date(2021, 12, 30),
                    movement=movement, source="higher") for r in ward_lines])
    cells = grid(read(client_for(personas.binh), "0602"), "0602")
    assert cells["1"]["1"] == 3
    assert cells["1"]["7.1"] == 1 and cells["1"]["7.2"] == 2
    assert cells["7"]["7.1"] == 1  # the enterprise
    assert cells["14"]["7.2"] == 1 and cells["13"]["7.2"] == 1
    for code, row in cells.items():
        assert leaves_add_up(row, "0602"), code
    # Another year, or a ward outside: nothing.
    assert grid(read(client_for(personas.binh), "0602", 2022), "0602")["1"]["1"] == 0
    assert grid(read(client_for(personas.hanh), "0602"), "0602")["1"]["1"] == 0


def test_0601_counts_movements(city, personas, client_for):
    cells = grid(read(client_for(personas.binh), "0601"), "0601")
    movements = [m for m in Movement.objects.select_related("issuer")
                 if m.launched_on.year == 2021 and m.status != "draft"]
    assert cells["1"]["1"] == len(movements) >= 1
    assert cells["3"]["1"] == sum(1 for m in movements if m.issuer.level == "district")
    for code, row in cells.items():
        assert leaves_add_up(row, "0601"), code
    # A ward issued no movement.
    assert grid(read(client_for(personas.hanh), "0601"), "0601")["1"]["1"] == 0


def test_the_forms_page_and_bad_years(city, personas, client_for):
    client = client_for(personas.mai)
    html = client.get("/thong-ke/bieu-mau/?nam=2021").content.decode()
    for number in statutory.FORMS:
        assert f"/thong-ke/bieu-mau/{number}.xlsx?nam=2021" in html
    assert client.get("/thong-ke/bieu-mau/0699.xlsx?nam=2021").status_code == 404
    assert client.get("/thong-ke/bieu-mau/0602.xlsx?nam=abc").status_code == 404
    assert client_for(personas.stranger).get("/thong-ke/bieu-mau/").status_code == 404
