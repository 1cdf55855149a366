"""Awards by content area and by participant kind, and the award cash against the movement's
budget: every figure against a count made here from the rows (the register, the decisions'
lines), for the city, a ward, by year; on the dashboards (chart and table) and in the exports;
the statutory forms' rows 10 and 11 apart."""

import csv
import io
from collections import Counter
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import pipeline
from tests.reports.test_statutory import AT, grid, leaves_add_up, read
from thidua.decisions import actions as decision_actions
from thidua.decisions.models import Award
from thidua.movements import actions as movement_actions
from thidua.movements.models import ContentArea, Movement, ParticipantKind
from thidua.nominations.models import AwardRecord, Nominee
from thidua.reports import statistics, statutory, views
from thidua.reports.scope import Filters
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db
UNDETERMINED = "Chưa xác định"


def lines(unit=None):
    """The register lines, read one by one with their nominee (the independent count)."""
    out = list(AwardRecord.objects.select_related("subject", "nominee__content_area",
                                                  "nominee__dossier__organisation"))
    if unit is not None:
        out = [r for r in out if r.nominee and r.nominee.dossier.organisation == unit]
    return out


def area_label(record):
    area = record.nominee.content_area if record.nominee else None
    return f"{area.code}. {area.title}" if area else UNDETERMINED


def kind_label(record):
    kind = record.nominee.participant_kind if record.nominee else ""
    return str(ParticipantKind(kind).label) if kind else UNDETERMINED


def counted(table):
    return {row[0]: row[-1] for row in table.rows}


def spent_on(movement, unit=None):
    """The cash of issued decisions of ``movement``, each award once, read line by line."""
    awards = Award.objects.filter(decision__state="issued", decision__movement=movement,
                                  replaces__isnull=True).select_related(
        "nominee__dossier__organisation")
    return sum(a.cash for a in awards if unit is None
               or a.nominee.dossier.organisation == unit)


# --- content areas and participant kinds ---------------------------------------------------------

def test_awards_by_content_area_match_the_register(city, personas):
    table = statistics.table("noi-dung", personas.admin, Filters())
    expected = Counter(area_label(r) for r in lines())
    assert counted(table) == dict(expected)
    assert expected["2.3. Bảo đảm an sinh xã hội, chăm lo sức khỏe và đời sống Nhân dân"] == 2
    assert expected[UNDETERMINED] == 2 + 2  # the city's two (none written) and the old list
    collectives = Counter(area_label(r) for r in lines() if r.subject.kind == "collective")
    assert {row[0]: row[1] for row in table.rows} == {k: collectives.get(k, 0) for k in expected}
    assert table.total[-1] == len(lines())
    # The plan's order, the undetermined last.
    assert [row[0][:3] for row in table.rows] == ["2.2", "2.3", "Chư"]


def test_awards_by_participant_kind_match_the_register(city, personas):
    table = statistics.table("doi-tuong-thi-dua", personas.admin, Filters())
    assert counted(table) == dict(Counter(kind_label(r) for r in lines()))
    assert counted(table) == {"Doanh nghiệp, doanh nhân": 1, "Các tầng lớp Nhân dân": 1,
                              UNDETERMINED: 5}
    assert table.rows[0][1:] == [1, 0, 1]  # the enterprise: a collective


def test_a_ward_counts_only_its_own(city, personas):
    for who, unit in ((personas.thu, city.ducxuan), (personas.hanh, city.songcau)):
        mine = lines(unit)
        assert counted(statistics.table("noi-dung", who, Filters())) == dict(
            Counter(area_label(r) for r in mine)), who
        assert counted(statistics.table("doi-tuong-thi-dua", who, Filters())) == dict(
            Counter(kind_label(r) for r in mine)), who
    # Nobody's lines for a person without a role, nor the other ward's by the filter.
    assert statistics.table("noi-dung", personas.stranger, Filters()).rows == []
    asked = statistics.table("noi-dung", personas.hanh, Filters(organisations=(city.ducxuan,)))
    assert asked.rows == []


def test_by_year_and_the_period(city, personas, movement):
    table = statistics.table("noi-dung", personas.admin, Filters(), by_year=True)
    years = Counter((area_label(r), r.decision_date.year if r.decision_date else "—")
                    for r in lines())
    assert table.headers[1:-1] == ["2019", "2021", "—"]
    for row in table.rows:
        by_year = dict(zip(table.headers[1:-1], row[1:-1], strict=True))
        assert by_year == {y: years.get((row[0], int(y) if y.isdigit() else y), 0)
                           for y in table.headers[1:-1]}, row[0]
        assert row[-1] == sum(row[1:-1])
    kinds = statistics.table("doi-tuong-thi-dua", personas.binh,
                             Filters(movement=movement, date_from=date(2021, 12, 11)),
                             by_year=True)
    assert kinds.headers[1:] == ["2021", "Tổng"]
    assert counted(kinds) == {UNDETERMINED: 2}  # only the city's decision of 20/12


def test_areas_of_two_movements_name_their_movement(city, personas, movement):
    other = Movement.objects.exclude(pk=movement.pk).first() or movement_actions.create_movement(
        by=personas.mai, title="Phong trào khác", short_title="Phong trào khác", number="77/KH",
        document_kind="Kế hoạch", issuer=movement.issuer, issued_on=date(2026, 1, 5),
        launched_on=date(2026, 1, 6), ends_on=None, place="", signer_name="A",
        signer_title="Chủ tịch", signer_capacity="", scope="district", stream="themed",
        rule_set=movement.rule_set, receiving_office=movement.receiving_office,
        council_secretariat=movement.council_secretariat, registration_deadline=None,
        plan_deadline=None, dossier_deadline=None, criteria_intro="")
    foreign = ContentArea.objects.create(movement=other, code="2.3", title="Việc khác", text="")
    nominee = Nominee.objects.get(full_name="Lý Văn Tài")
    Nominee.objects.filter(pk=nominee.pk).update(content_area=foreign)
    labels = counted(statistics.table("noi-dung", personas.admin, Filters()))
    assert labels[f"2.3. Việc khác ({other.short_title})"] == 1
    assert any(k.endswith(f"({movement.short_title})") for k in labels)


# --- the budget ----------------------------------------------------------------------------------

def test_cash_against_the_budget(city, personas, movement):
    spent = spent_on(movement)
    assert spent > 0
    movement_actions.update_movement(movement, by=personas.mai, budget=spent * 4)
    movement.refresh_from_db()
    table = statistics.table("du-toan", personas.binh, Filters(movement=movement))
    assert table.rows == [["Dự toán", spent * 4], ["Đã chi", spent],
                          ["Còn lại", spent * 3]]
    assert table.facts == [("Tỷ lệ đã chi so với dự toán", "25,0 %")]
    # The ward's part of the spending, against the same budget.
    ward = statistics.table("du-toan", personas.thu, Filters(movement=movement))
    assert ward.rows[1] == ["Đã chi", spent_on(movement, city.ducxuan)]
    assert ward.rows[1][1] < spent
    # The cash table says the budget too.
    cash = statistics.table("tien-thuong", personas.binh, Filters(movement=movement))
    assert cash.facts == [("Dự toán kinh phí khen thưởng", f"{spent * 4:,}".replace(",", ".")),
                          ("Đã chi so với dự toán", "25,0 %")]
    # Without a movement chosen: a row per movement.
    rows = statistics.table("du-toan", personas.binh, Filters()).rows
    assert rows == [[movement.short_title, spent * 4, spent, spent * 3, 25.0]]
    # Over the budget.
    movement_actions.update_movement(movement, by=personas.mai, budget=spent - 1000)
    movement.refresh_from_db()
    over = statistics.table("du-toan", personas.binh, Filters(movement=movement))
    assert over.rows[2] == ["Còn lại", -1000]
    assert ("Vượt dự toán", "1.000") in over.facts


def test_without_a_budget_it_says_so(city, personas, movement):
    assert movement.budget is None
    table = statistics.table("du-toan", personas.binh, Filters(movement=movement))
    assert table.rows == [["Đã chi", spent_on(movement)]]
    assert table.facts == [("Dự toán kinh phí khen thưởng", "Phong trào chưa có dự toán kinh phí")]
    rows = statistics.table("du-toan", personas.binh, Filters()).rows
    assert rows == [[movement.short_title, "Phong trào chưa có dự toán kinh phí",
                     spent_on(movement), "—", "—"]]
    cash = statistics.table("tien-thuong", personas.binh, Filters(movement=movement))
    assert cash.facts == [("Dự toán kinh phí khen thưởng", "Phong trào chưa có dự toán kinh phí")]


@pytest.mark.parametrize("board", ["chu-tich", "thuong-truc"])
def test_a_budget_with_nothing_spent_yet(city, personas, client_for, movement, board):
    """From launch to the first decision: the budget is set, the period holds no award."""
    movement_actions.update_movement(movement, by=personas.mai, budget=5_000_000)
    movement.refresh_from_db()
    cash = statistics.table("tien-thuong", personas.binh,
                            Filters(movement=movement, date_from=date(2039, 1, 1)))
    assert cash.rows == []
    assert cash.facts == [("Dự toán kinh phí khen thưởng", "5.000.000"),
                          ("Đã chi so với dự toán", "0,0 %")]
    client = client_for(personas.binh)
    response = client.get(f"/thong-ke/{board}/?phong_trao={movement.slug}&tu=2039-01-01")
    assert response.status_code == 200
    assert "5.000.000" in response.content.decode()
    export = client.get(f"/thong-ke/bang/tien-thuong.csv?phong_trao={movement.slug}&tu=2039-01-01")
    assert export.status_code == 200


# --- dashboards and exports ----------------------------------------------------------------------

NEW = ["noi-dung", "doi-tuong-thi-dua", "du-toan"]


@pytest.mark.parametrize("board", ["van-phong", "chu-tich", "thuong-truc"])
def test_the_dashboards_draw_them(city, personas, client_for, movement, board):
    movement_actions.update_movement(movement, by=personas.mai, budget=10_000_000)
    response = client_for(personas.binh).get(f"/thong-ke/{board}/?phong_trao={movement.slug}")
    html = response.content.decode()
    panels = {p["table"].key: p for p in response.context["panels"]}
    for key in NEW:
        assert f'data-testid="panel-{key}"' in html and f'data-testid="table-{key}"' in html
        assert panels[key]["chart"] is not None, key
    assert "10.000.000" in html  # the budget, as Vietnamese write it
    chart = panels["du-toan"]["chart"]
    assert [b.full_label for b in chart.bars] == ["Dự toán", "Đã chi", "Còn lại"]
    assert ' style="' not in html


def test_the_council_members_board_shows_areas_and_kinds(city, personas, client_for):
    html = client_for(personas.khanh).get("/thong-ke/hoi-dong/").content.decode()
    assert 'data-testid="panel-noi-dung"' in html
    assert "2.3. Bảo đảm an sinh xã hội" in html


def test_the_exports_write_them_with_the_filters(city, personas, client_for, movement):
    movement_actions.update_movement(movement, by=personas.mai, budget=10_000_000)
    client = client_for(personas.binh)
    query = f"?phong_trao={movement.slug}"
    page = client.get("/thong-ke/chu-tich/" + query)
    shown = {p["table"].key: p["table"] for p in page.context["panels"]}
    for key in NEW:
        ws = openpyxl.load_workbook(io.BytesIO(
            client.get(f"/thong-ke/bang/{key}.xlsx{query}").content)).active
        values = [[c.value for c in row] for row in ws.iter_rows()]
        header = values.index(shown[key].headers)
        assert values[header + 1:header + 1 + len(shown[key].rows)] == shown[key].rows, key
        assert any(f"Phong trào: {movement}" == (row[0] or "") for row in values)
        rows = list(csv.reader(io.StringIO(
            client.get(f"/thong-ke/bang/{key}.csv{query}").content.decode())))
        assert rows[0] == shown[key].headers
        assert rows[1:] == [[str(v) for v in row] for row in shown[key].rows]
    budget = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/thong-ke/bang/du-toan.xlsx{query}").content)).active
    facts = [[c.value for c in row] for row in budget.iter_rows()]
    assert ["Tỷ lệ đã chi so với dự toán", shown["du-toan"].facts[0][1]] in facts


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("board", list(views.DASHBOARDS))
def test_query_count_stays_with_many_areas_and_kinds(city, personas, client_for, movement,
                                                     board):
    """At one content area and kind, then at every area and kind with forty more lines: the
    same number of queries."""
    movement_actions.update_movement(movement, by=personas.mai, budget=10_000_000)
    client = client_for(personas.binh)
    url = f"/thong-ke/{board}/?theo_nam=on&phong_trao={movement.slug}"
    _queries(client, url)
    one = _queries(client, url)
    areas = list(ContentArea.objects.filter(movement=movement))
    kinds = list(ParticipantKind.values)
    awarded = list(Nominee.objects.filter(awards__isnull=False).distinct())
    for i, nominee in enumerate(awarded):
        Nominee.objects.filter(pk=nominee.pk).update(content_area=areas[i % len(areas)],
                                                     participant_kind=kinds[i % len(kinds)])
    record = AwardRecord.objects.filter(nominee__isnull=False).first()
    extra = []
    for i in range(40):
        nominee = Nominee.objects.create(
            dossier=record.nominee.dossier, subject=record.subject, kind="individual",
            full_name=f"Người {i}", content_area=areas[i % len(areas)],
            participant_kind=kinds[i % len(kinds)])
        extra.append(AwardRecord(subject=record.subject, nominee=nominee,
                                 award_name=record.award_name, decision_number=f"{i}/QĐ",
                                 decision_date=date(2019 + i % 4, 5, 1), movement=movement,
                                 source="decision"))
    AwardRecord.objects.bulk_create(extra)
    assert _queries(client, url) == one
    table = statistics.table("noi-dung", personas.binh, Filters(movement=movement))
    assert len(table.rows) == len(areas)


# --- the statutory forms: leaders at province and department level apart --------------------------

@pytest.fixture
def leaders(personas, movement, ducxuan_head, province_form):
    """Đức Xuân's own Giấy khen to a leader of each level and another leader, each then also
    awarded the provincial Bằng khen in 2021 (a register line of form 0603)."""
    ward_form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    people = [pipeline.person(name="Hà Văn Tỉnh", year=1970, gender="male",
                              category="leader_province"),
              pipeline.person(name="Lê Thị Sở", year=1975, category="leader_department"),
              pipeline.person(name="Mã Văn Sở", year=1977, gender="male",
                              category="leader_department"),
              pipeline.person(name="Đàm Thị Khác", year=1980, category="other_leader")]
    ward = pipeline.new_draft(movement, ward_form, personas.thu, *people)
    decision_actions.issue_decision(decision_actions.draft_unit_decision(
        ward, nominees=list(ward.nominees.all()), number=9, issued_on=date(2021, 12, 10),
        signer=ducxuan_head, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;",
        by=personas.thu), by=ducxuan_head)
    AwardRecord.objects.bulk_create([
        AwardRecord(subject=n.subject, nominee=n, award_name=province_form.name,
                    award_form=province_form, decision_number="150/QĐ-UBND",
                    decision_date=date(2021, 12, 28), movement=movement, source="higher")
        for n in ward.nominees.all()])
    return ward


def test_rows_10_and_11_are_apart_and_the_totals_agree(leaders, personas, client_for):
    ws = read(client_for(personas.binh), "0603")
    cells = grid(ws, "0603")
    lines = [r for r in AwardRecord.objects.select_related("award_form", "nominee")
             if r.award_form and r.award_form.authority == "province_chairman"
             and r.decision_date and r.decision_date.year == 2021]
    category = Counter(r.nominee.category for r in lines)
    assert cells["10"]["1"] == category["leader_province"] == 1
    assert cells["11"]["1"] == category["leader_department"] == 2
    assert cells["13"]["1"] == category["other_leader"] == 1
    assert cells["1"]["1"] == len(lines) == 4
    assert cells["9"]["1"] == sum(cells[c]["1"] for c in ("10", "11", "12", "13", "14", "15"))
    assert cells["1"]["1"] == cells["6"]["1"] + cells["8"]["1"] + cells["9"]["1"]
    for code, row in cells.items():
        assert leaves_add_up(row, "0603"), code
    labels = {ws.cell(r, 2).value: ws.cell(r, 1).value.strip()
              for r in range(AT["first"], AT["first"] + len(statutory.AWARD_ROWS))}
    assert labels["10"] == "Lãnh đạo cấp bộ, cấp tỉnh trở lên"
    assert labels["11"] == "Lãnh đạo cấp vụ, sở và tương đương"
    notes = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "gộp" not in notes and "đã tính ở dòng 10" not in notes


def test_the_subject_statistic_splits_the_leaders(leaders, personas):
    table = {row[0]: row[1] for row in statistics.table(
        "doi-tuong", personas.admin, Filters()).rows}
    records = [r for r in AwardRecord.objects.select_related("nominee") if r.nominee]
    assert table["trong đó: lãnh đạo cấp bộ, cấp tỉnh trở lên"] == sum(
        r.nominee.category == "leader_province" for r in records) == 2
    assert table["lãnh đạo cấp vụ, sở, ngành và tương đương"] == sum(
        r.nominee.category == "leader_department" for r in records) == 4
