"""Council members follow their assigned fields and areas; the office's dashboard counts,
draws and exports."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from tests.movements.conftest import org
from thidua.movements import actions
from thidua.movements.models import Movement
from thidua.movements.queries import overview, supervision_for
from thidua.orgs.models import Organisation, User, today

pytestmark = pytest.mark.django_db


def late_registration(movement):
    Movement.objects.filter(pk=movement.pk).update(registration_deadline=today() - timedelta(days=1))
    return Movement.objects.get(pk=movement.pk)


@pytest.fixture
def registered(wards, personas):
    """Sông Cầu and Đức Xuân registered; Phùng Chí Kiên did not, and the deadline passed."""
    for code, officer, head in [("phuong-song-cau", personas.hanh, personas.tam),
                                ("phuong-duc-xuan", personas.thu, None)]:
        registration = actions.save_registration(
            wards, org(code), by=officer,
            commitments={c.pk: {"pledged": True} for c in wards.criteria.all()})
        if head is None:
            head = User.objects.get(memberships__organisation__code=code,
                                    memberships__role="unit_head")
        actions.submit_registration(registration, by=head)
    return late_registration(wards)


def test_a_member_sees_the_late_ward_of_the_area_assigned(registered, personas):
    assert supervision_for(personas.khanh) == []
    actions.assign_supervision(registered, by=personas.mai, member=personas.khanh,
                               organisation=org("phuong-phung-chi-kien"))
    [followed] = supervision_for(personas.khanh)
    assert followed.movement == registered
    assert [r.organisation.code for r in followed.rows] == ["phuong-phung-chi-kien"]
    assert [r.organisation.code for r in followed.late_rows] == ["phuong-phung-chi-kien"]
    assert "Đăng ký thi đua" in followed.rows[0].late


def test_a_field_covers_the_units_that_carry_it_late_ones_first(registered, personas):
    nga = User.objects.get(username="hoidong.yte")
    area = registered.content_areas.get()
    actions.add_participants(registered, by=personas.mai, organisations=[org("ttyt-tp")])
    area.organisations.add(org("ttyt-tp"))
    actions.assign_supervision(registered, by=personas.mai, member=nga, content_area=area)
    [followed] = supervision_for(nga)
    # Trung tâm Y tế has not registered (late); Sông Cầu has.
    assert [r.organisation.code for r in followed.rows] == ["ttyt-tp", "phuong-song-cau"]
    assert supervision_for(personas.khanh) == []


def test_only_the_issuers_council_members_are_assigned(registered, personas):
    with pytest.raises(ValidationError, match="không phải thành viên"):
        actions.assign_supervision(registered, by=personas.mai, member=personas.hanh,
                                   organisation=org("phuong-song-cau"))
    with pytest.raises(ValidationError, match="lĩnh vực hoặc địa bàn"):
        actions.assign_supervision(registered, by=personas.mai, member=personas.khanh)
    with pytest.raises(PermissionDenied):
        actions.assign_supervision(registered, by=personas.dung, member=personas.khanh,
                                   organisation=org("phuong-song-cau"))


def test_a_closed_movement_drops_out_of_supervision(registered, personas):
    actions.assign_supervision(registered, by=personas.mai, member=personas.khanh,
                               organisation=org("phuong-phung-chi-kien"))
    actions.close_movement(registered, by=personas.mai)
    assert supervision_for(personas.khanh) == []


def test_the_dashboard_counts_draws_and_lists_late_units(registered, personas, client_for):
    counts = overview(registered)
    assert counts.participants == 3
    assert counts.registrations["submitted"] == 2 and counts.registrations[""] == 1
    page = client_for(personas.dung).get(f"/phong-trao/{registered.slug}/theo-doi/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "2/3" in html and "<script" not in html.split("<body", 1)[1] \
        .replace('<script src=', "")
    late = client_for(personas.mai).get(f"/phong-trao/{registered.slug}/theo-doi/?thieu=1")
    body = late.content.decode()
    assert 'data-unit="phuong-phung-chi-kien"' in body and 'data-unit="phuong-song-cau"' not in body


@pytest.mark.parametrize("who", ["hanh", "tam", "khanh", "binh", "lan", "quy", "stranger"])
def test_the_dashboard_is_the_offices(registered, personas, client_for, who):
    response = client_for(getattr(personas, who)).get(f"/phong-trao/{registered.slug}/theo-doi/")
    assert response.status_code == 404


def test_the_excel_table_keeps_formulas_as_text(registered, personas, client_for):
    actions.add_participants(registered, by=personas.mai, organisations=[org("xa-duong-quang")])
    # A name typed as a formula (written straight to the row: the rename action would refuse
    # nothing here, it is the export that must keep it inert).
    Organisation.objects.filter(code="xa-duong-quang").update(name="=HYPERLINK(\"x\")")
    response = client_for(personas.dung).get(f"/phong-trao/{registered.slug}/theo-doi/?kieu=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["Đăng ký thi đua", 2, 4, 2] in summary
    units = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    names = [row[1] for row in units[1:]]
    assert "'=HYPERLINK(\"x\")" in names
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in units for v in row)


def test_the_dashboard_runs_a_fixed_number_of_queries(registered, personas, client_for,
                                                      django_assert_max_num_queries):
    client = client_for(personas.dung)
    url = f"/phong-trao/{registered.slug}/theo-doi/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    actions.add_participants(registered, by=personas.mai, organisations=list(
        actions.organisations_by(registered, kinds=["front_mass_org", "specialised_office"])))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_removed_participant_is_shown_as_such(personas, movement, draft, client_for):
    participant = movement.participants.get(organisation__code="phuong-song-cau")
    actions.remove_participant(participant, by=personas.mai)
    html = client_for(personas.dung).get(f"/phong-trao/{movement.slug}/theo-doi/").content.decode()
    assert "Đã rút khỏi phong trào" in html
    assert overview(movement).removed == 1
