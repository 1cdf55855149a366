"""What the meeting pages say around the votes: who is who on the meeting form, what the two
ways of not voting mean, which movement a button is for, and the way back (breadcrumbs)."""

import pytest

from tests.movements.conftest import draft_movement, set_up
from thidua.movements import actions as movement_actions

pytestmark = pytest.mark.django_db


def test_chair_and_secretary_choices_name_each_person_with_their_title(movement, personas,
                                                                       client_for):
    page = client_for(personas.mai).get(
        f"/hop/phong-trao/{movement.slug}/council/moi/").content.decode()
    chair = page[page.index('name="chair"'):page.index("</select>", page.index('name="chair"'))]
    assert "Ma Văn Bình — Chủ tịch UBND thành phố" in chair
    secretary = page[page.index('name="secretary"'):]
    secretary = secretary[:secretary.index("</select>")]
    assert "Phạm Thị Mai — Chuyên viên thi đua - khen thưởng" in secretary
    assert "Đinh Văn Khánh — Ủy viên Hội đồng TĐKT" in page  # the members' boxes too
    assert 'data-select-all="nominees"' in page  # the agenda can be ticked at once
    assert "thidua/select-all.js" in page


def test_a_council_meeting_says_what_each_way_of_not_voting_means(council, personas,
                                                                  client_for):
    page = client_for(personas.khanh).get(f"/hop/{council.pk}/").content.decode()
    kinds = page[page.index('data-testid="vote-kinds"'):]
    kinds = kinds[:kinds.index("</p>")]
    assert "Không biểu quyết</strong>: thành viên có bỏ phiếu" in kinds
    assert "Không tham gia biểu quyết</strong>: thành viên đứng ngoài" in kinds


def test_the_committee_review_page_has_no_votes_to_explain(accepted, personas, client_for):
    from tests.pipeline import run_committee

    meeting = run_committee(accepted, personas.dung)
    page = client_for(personas.dung).get(f"/hop/{meeting.pk}/").content.decode()
    assert 'data-testid="vote-kinds"' not in page


def test_meeting_pages_lead_back_to_the_list_and_the_home_page(council, personas, client_for):
    client = client_for(personas.mai)
    listing = client.get("/hop/").content.decode()
    crumbs = listing[listing.index('data-testid="breadcrumbs"'):listing.index("</nav>",
                                                                          listing.index('data-testid="breadcrumbs"'))]
    assert 'href="/viec-cua-toi/"' in crumbs and 'aria-current="page">Họp xét' in crumbs
    detail = client.get(f"/hop/{council.pk}/").content.decode()
    crumbs = detail[detail.index('data-testid="breadcrumbs"'):]
    crumbs = crumbs[:crumbs.index("</nav>")]
    assert 'href="/hop/"' in crumbs and council.title in crumbs


def test_with_two_movements_each_button_names_its_movement(movement, personas, client_for):
    one = client_for(personas.mai).get("/hop/").content.decode()
    assert "Lên lịch họp Hội đồng</a>" in one  # one movement: the plain label
    second = set_up(draft_movement(personas.mai), personas.mai)
    movement_actions.launch_movement(second, by=personas.mai)
    for name, label in [("mai", "Lên lịch họp Hội đồng"), ("mai", "Công khai danh sách"),
                        ("dung", "Lên lịch họp Ban Chỉ đạo")]:
        page = client_for(getattr(personas, name)).get("/hop/").content.decode()
        assert f"{label} — {movement.short_title}</a>" in page, (name, label)
        assert f"{label} — Phường sáng, xanh, sạch, đẹp</a>" in page, (name, label)
