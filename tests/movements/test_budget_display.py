"""The movement's budget on its pages: everyone who sees the plan reads it ("Dự toán kinh phí:
6.000.000 đ" or "Chưa có dự toán"); the movement's office, secretariat and administrators also
read what its issued decisions have spent and the share — the same figure as the statistics'
"du-toan" table with the movement chosen, computed by movements itself in one query — with a
link to those statistics."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import pipeline
from tests.reports.city import build_city, ducxuan_head_for
from thidua.decisions import actions as decision_actions
from thidua.decisions.models import Award
from thidua.movements import actions as movement_actions
from thidua.movements.queries import BudgetUse, budget_use
from thidua.reports import statistics
from thidua.reports.scope import Filters
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def budget_line(html: str) -> str:
    """The budget paragraph's text, tags removed and spaces collapsed."""
    block = re.search(r'<p[^>]*data-testid="budget"[^>]*>(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def spent_line_by_line(movement) -> int:
    """The cash of the movement's issued decisions, each award once, read row by row."""
    return sum(a.cash for a in Award.objects.filter(decision__movement=movement,
                                                    decision__state="issued",
                                                    replaces__isnull=True))


def set_budget(movement, amount, by):
    movement_actions.update_movement(movement, by=by, budget=amount)
    movement.refresh_from_db()


@pytest.fixture
def city(approved, movement, city_certificate, personas, demo):
    """Issued decisions with cash: the city chairman's and Đức Xuân ward's own."""
    head = ducxuan_head_for(demo)
    built = build_city(approved, movement, city_certificate, personas, head)
    built.ducxuan_head = head
    return built


def test_everyone_reads_the_budget_or_that_there_is_none(movement, personas, client_for):
    detail = f"/phong-trao/{movement.slug}/"
    assert movement.budget is None
    assert budget_line(page(client_for(None), detail)) == "Chưa có dự toán"
    set_budget(movement, 6_000_000, personas.mai)
    for user in (None, personas.hanh, personas.binh):
        html = page(client_for(user), detail)
        # The budget only: what was spent is the office's figure.
        assert budget_line(html) == "Dự toán kinh phí: 6.000.000 đ"
        assert 'data-testid="budget-spent"' not in html
        assert 'data-testid="budget-statistics"' not in html


def test_the_office_reads_the_spending_beside_the_budget(city, movement, personas, client_for):
    spent = spent_line_by_line(movement)
    assert spent > 0
    set_budget(movement, spent * 4, personas.mai)
    expected = f"Dự toán kinh phí: {vnd(spent * 4)} đ · Đã chi: {vnd(spent)} đ (25,0 % dự toán)"
    for user in (personas.dung, personas.mai, personas.admin):
        # The statistics' own figure for this person, the movement chosen.
        table = statistics.table("du-toan", user, Filters(movement=movement))
        assert table.rows[1] == ["Đã chi", spent]
        client = client_for(user)
        for url in (f"/phong-trao/{movement.slug}/", f"/phong-trao/{movement.slug}/theo-doi/"):
            html = page(client, url)
            assert budget_line(html) == f"{expected} · Thống kê kinh phí", (user, url)
            assert f'href="/thong-ke/?phong_trao={movement.slug}"' in html
        # The link leads to the statistics of this movement, with the same figures.
        stats = page(client, f"/thong-ke/?phong_trao={movement.slug}")
        assert "Kinh phí khen thưởng so với dự toán" in stats and vnd(spent) in stats
    # A unit, the chairman and a stranger do not read the spending (the chairman has his own
    # statistics); nor may a unit open the dashboard.
    for user in (personas.hanh, personas.binh):
        assert "Đã chi" not in budget_line(page(client_for(user), f"/phong-trao/{movement.slug}/"))
    assert client_for(personas.hanh).get(
        f"/phong-trao/{movement.slug}/theo-doi/").status_code == 404


def test_a_draft_decision_spends_nothing_yet(city, movement, personas):
    before = budget_use(movement).spent
    ward_form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    ward = pipeline.new_draft(movement, ward_form, personas.thu,
                              pipeline.person(name="Hà Văn Lực", gender="male", year=1981))
    draft = decision_actions.draft_unit_decision(
        ward, nominees=list(ward.nominees.all()), number=8, issued_on=date(2021, 12, 11),
        signer=city.ducxuan_head, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;",
        by=personas.thu)
    assert sum(a.cash for a in draft.awards.all()) > 0
    assert budget_use(movement).spent == before == spent_line_by_line(movement)


def test_over_the_budget_it_says_by_how_much(city, movement, personas, client_for):
    spent = spent_line_by_line(movement)
    set_budget(movement, spent - 1000, personas.mai)
    line = budget_line(page(client_for(personas.dung), f"/phong-trao/{movement.slug}/theo-doi/"))
    assert f"Đã chi: {vnd(spent)} đ" in line and "Vượt dự toán: 1.000 đ" in line
    statistic = statistics.table("du-toan", personas.dung, Filters(movement=movement))
    assert ("Vượt dự toán", "1.000") in statistic.facts


def test_without_a_budget_the_office_still_reads_the_spending(city, movement, personas,
                                                              client_for):
    spent = spent_line_by_line(movement)
    line = budget_line(page(client_for(personas.mai), f"/phong-trao/{movement.slug}/theo-doi/"))
    assert line == f"Chưa có dự toán · Đã chi: {vnd(spent)} đ · Thống kê kinh phí"


def test_the_spending_is_one_query_and_the_share_reads_like_the_statistics(city, movement):
    with CaptureQueriesContext(connection) as ctx:
        use = budget_use(movement)
    assert len(ctx.captured_queries) == 1
    assert 'SUM("decisions_award"."cash")' in ctx.captured_queries[0]["sql"]
    assert use == BudgetUse(budget=None, spent=spent_line_by_line(movement))
    assert BudgetUse(budget=3_000_000, spent=1_000_000).share == "33,3 %"
    assert BudgetUse(budget=3_000_000, spent=1_000_000).over == 0
    assert BudgetUse(budget=6_000_000, spent=6_000_000).share == "100,0 %"
    # A budget of nothing divides nothing: no share, all of it over.
    assert (BudgetUse(budget=0, spent=5).share, BudgetUse(budget=0, spent=5).over) == ("", 5)
    assert (BudgetUse(budget=None, spent=5).share, BudgetUse(budget=None, spent=5).over) == ("", 0)


def test_the_public_page_asks_nothing_more_of_the_database(movement, personas, client_for):
    """A visitor's page reads the budget from the movement row: no query for the spending."""
    set_budget(movement, 6_000_000, personas.mai)
    with CaptureQueriesContext(connection) as ctx:
        page(client_for(None), f"/phong-trao/{movement.slug}/")
    assert not [q for q in ctx.captured_queries if 'SUM("decisions_award"."cash")' in q["sql"]]
