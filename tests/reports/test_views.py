"""The dashboards, their exports and who may open them."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.nominations.models import AwardRecord, Subject
from thidua.reports import statistics, views

pytestmark = pytest.mark.django_db

BOARDS = list(views.DASHBOARDS)


def sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("board", BOARDS)
def test_each_dashboard_shows_a_chart_and_its_table(city, personas, client_for, board):
    response = client_for(personas.binh).get(f"/thong-ke/{board}/")
    assert response.status_code == 200
    html = response.content.decode()
    for key in views.DASHBOARDS[board][1]:
        assert f'data-testid="panel-{key}"' in html
        assert f'data-testid="table-{key}"' in html
        assert f"/thong-ke/bang/{key}.xlsx" in html
    assert "<svg" in html and "<script" not in html.split("</nav>", 1)[1]
    assert ' style="' not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response[
        "Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_each_role_lands_on_its_own_dashboard(city, personas, client_for):
    for who, board in [(personas.dung, "van-phong"), (personas.mai, "thuong-truc"),
                       (personas.binh, "chu-tich"), (personas.khanh, "hoi-dong")]:
        response = client_for(who).get("/thong-ke/")
        assert response.context["board"] == board, who


def test_a_ward_page_shows_its_figures_only(city, personas, client_for):
    html = client_for(personas.hanh).get("/thong-ke/hoi-dong/").content.decode()
    assert city.songcau.name in html
    assert city.ducxuan.name not in html
    # Choosing the other ward is not offered, and asking for it by address is refused.
    response = client_for(personas.hanh).get(f"/thong-ke/hoi-dong/?don_vi={city.ducxuan.pk}")
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert response.context["form"].errors["don_vi"]
    assert city.ducxuan.name not in response.content.decode()


def test_who_may_not_open_the_statistics(city, personas, client_for):
    assert client_for(personas.stranger).get("/thong-ke/").status_code == 404
    assert client_for(personas.stranger).get("/thong-ke/bang/hinh-thuc.csv").status_code == 404
    anonymous = client_for(None).get("/thong-ke/")
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]
    assert client_for(personas.binh).get("/thong-ke/khong-co/").status_code == 404
    assert client_for(personas.binh).get("/thong-ke/bang/khong-co.csv").status_code == 404


def test_the_navigation_links_the_dashboard(city, personas, client_for):
    assert 'href="/thong-ke/"' in client_for(personas.mai).get("/phong-trao/").content.decode()
    assert 'href="/thong-ke/"' not in client_for(personas.stranger).get(
        "/phong-trao/").content.decode()


def test_a_bad_period_is_explained(city, personas, client_for):
    response = client_for(personas.binh).get("/thong-ke/?tu=2021-12-31&den=2021-01-01")
    assert "“Từ ngày” phải trước hoặc bằng “Đến ngày”." in response.content.decode()
    assert response.context["panels"] == []
    response = client_for(personas.binh).get("/thong-ke/?tu=31-12-khong")
    assert response.status_code == 200 and response.context["panels"] == []


def test_exports_carry_the_filters_and_match_the_page(city, personas, client_for, movement):
    client = client_for(personas.binh)
    query = f"?phong_trao={movement.slug}&tu=2021-12-11&den=2021-12-31"
    page = client.get("/thong-ke/chu-tich/" + query)
    shown = {p["table"].key: p["table"] for p in page.context["panels"]}["hinh-thuc"]
    ws = sheet(client.get("/thong-ke/bang/hinh-thuc.xlsx" + query))
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == shown.title
    assert any("11/12/2021 – 31/12/2021" in (row[0] or "") for row in values)
    header = values.index(shown.headers)
    assert values[header + 1:header + 1 + len(shown.rows)] == shown.rows
    assert values[header + 1 + len(shown.rows)] == shown.total
    assert shown.total[-1] == 2  # only the city's decision of 20/12 falls in the period

    response = client.get("/thong-ke/bang/hinh-thuc.csv" + query)
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == shown.headers
    assert rows[1:] == [[str(v) for v in row] for row in shown.rows]


def test_exports_are_formula_safe(city, personas, client_for, movement):
    nominee = AwardRecord.objects.filter(nominee__isnull=False).first().nominee
    AwardRecord.objects.create(subject=Subject.objects.create(kind="individual", name="X"),
                               nominee=nominee, award_name="=HYPERLINK(\"http://x\",\"y\")",
                               decision_number="1/QĐ", source="decision", movement=movement)
    client = client_for(personas.admin)
    ws = sheet(client.get("/thong-ke/bang/hinh-thuc.xlsx"))
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells
    assert not any(v.startswith("=") for v in cells)
    text = client.get("/thong-ke/bang/hinh-thuc.csv").content.decode()
    assert "'=HYPERLINK" in text


def test_every_table_exports(city, personas, client_for):
    client = client_for(personas.admin)
    for key in statistics.STATISTICS:
        assert client.get(f"/thong-ke/bang/{key}.xlsx?theo_nam=on").status_code == 200
        assert client.get(f"/thong-ke/bang/{key}.csv").status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("board", BOARDS)
def test_dashboard_query_count_is_constant(city, personas, client_for, board, movement):
    client = client_for(personas.binh)
    url = f"/thong-ke/{board}/?theo_nam=on&phong_trao={movement.slug}"
    _queries(client, url)  # warm caches (content types, sessions)
    one = _queries(client, url)
    record = AwardRecord.objects.filter(nominee__isnull=False).first()
    AwardRecord.objects.bulk_create([
        AwardRecord(subject=record.subject, nominee=record.nominee, award_name=f"Hình thức {i}",
                    decision_number=f"{i}/QĐ", decision_date=record.decision_date,
                    movement=movement, source="decision") for i in range(40)])
    assert _queries(client, url) == one
