"""The decision pages around the draft: select-all for the awardees, the movement named on each
"Dự thảo quyết định" button when there are two, and the way back (breadcrumbs)."""

import pytest

from tests.movements.conftest import draft_movement, set_up
from thidua.movements import actions as movement_actions

pytestmark = pytest.mark.django_db


def test_the_draft_form_ticks_every_awardee_at_once(approved, movement, personas, client_for):
    page = client_for(personas.mai).get(f"/quyet-dinh/phong-trao/{movement.slug}/moi/")
    html = page.content.decode()
    box = html[html.index('data-testid="awardee-choices"'):]
    assert 'data-select-all="nominees"' in box
    assert box.index('data-testid="select-all"') < box.index('name="nominees"')
    assert "Nguyễn Thị Lan" in box and "Hoàng Văn Nam" in box
    # The script is a file of the site (the CSP allows no inline script) and it is served.
    assert "/static/thidua/select-all.js" in html
    assert "<script>" not in html


def test_decision_pages_lead_back(approved, movement, personas, client_for):
    from tests.pipeline import draft_for

    decision = draft_for(movement, approved[0].dossier.award_form, approved, personas.mai)
    client = client_for(personas.mai)
    listing = client.get("/quyet-dinh/").content.decode()
    assert 'data-testid="breadcrumbs"' in listing
    detail = client.get(f"/quyet-dinh/{decision.pk}/").content.decode()
    crumbs = detail[detail.index('data-testid="breadcrumbs"'):]
    crumbs = crumbs[:crumbs.index("</nav>")]
    assert 'href="/viec-cua-toi/"' in crumbs and 'href="/quyet-dinh/"' in crumbs
    proposals = client.get("/to-trinh/").content.decode()
    assert 'data-testid="breadcrumbs"' in proposals


def test_with_two_movements_each_draft_button_names_its_movement(movement, personas,
                                                                 client_for):
    one = client_for(personas.mai).get("/quyet-dinh/").content.decode()
    assert "Dự thảo quyết định</a>" in one
    second = set_up(draft_movement(personas.mai), personas.mai)
    movement_actions.launch_movement(second, by=personas.mai)
    two = client_for(personas.mai).get("/quyet-dinh/").content.decode()
    assert f"Dự thảo quyết định — {movement.short_title}</a>" in two
    assert "Dự thảo quyết định — Phường sáng, xanh, sạch, đẹp</a>" in two
