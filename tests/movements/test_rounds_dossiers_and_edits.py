"""Issue 14, the rest: a review round's commendation is linked to it; the dossier deadline
reminds units that sent none; content areas and criteria are corrected in place; a dossier of a
unit removed from the movement says so."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.movements.conftest import draft_movement, org, set_up
from tests.pipeline import draft_for
from thidua.core.models import Activity, Notice
from thidua.decisions import actions as decision_actions
from thidua.decisions.models import Decision
from thidua.movements import actions, reminders
from thidua.movements.models import (
    ContentArea,
    Criterion,
    Movement,
    ParticipantKind,
    Reminder,
    ReportPeriod,
)
from thidua.orgs.models import today

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


# --- a review round and the commendation that follows it ---------------------------------------


def add_round(movement, by, kind=ReportPeriod.Kind.FINAL, title="Tổng kết năm 2021"):
    return actions.add_period(movement, by=by, kind=kind, title=title,
                              starts_on=date(2021, 1, 1), ends_on=date(2021, 11, 30),
                              due_on=date(2021, 12, 5))


@pytest.fixture
def final_round(movement, personas):
    return add_round(movement, personas.mai)


def test_a_decision_drafted_after_a_round_is_linked_to_it_and_shown_on_the_round(
        approved, movement, final_round, personas, client_for):
    decision = draft_for(movement, approved[0].dossier.award_form, approved, personas.mai,
                         review_round=final_round)
    assert Decision.objects.get(pk=decision.pk).review_round == final_round
    url = f"/phong-trao/{movement.slug}/ky-bao-cao/{final_round.pk}/"
    page = html(client_for(personas.mai).get(url))
    section = page[page.index('data-testid="round-decisions"'):]
    assert decision.number_label in section and f"/quyet-dinh/{decision.pk}/" in section
    detail = html(client_for(personas.mai).get(f"/quyet-dinh/{decision.pk}/"))
    assert 'data-testid="review-round"' in detail and "Tổng kết năm 2021" in detail


def test_the_round_page_shows_each_reader_only_the_decisions_they_may_see(
        approved, movement, final_round, personas, client_for):
    decision = draft_for(movement, approved[0].dossier.award_form, approved, personas.mai,
                         review_round=final_round)
    url = f"/phong-trao/{movement.slug}/ky-bao-cao/{final_round.pk}/"
    # The receiving office follows the round but a draft is the secretariat's and the signer's.
    office = html(client_for(personas.dung).get(url))
    assert "Chưa có quyết định khen thưởng nào gắn với đợt này." in office
    assert decision.number_label not in office
    # Units, council members, viewers do not see the round page at all.
    for who in ("hanh", "tam", "khanh", "quy", "stranger"):
        assert client_for(getattr(personas, who)).get(url).status_code in (302, 404), who
    decision_actions.issue_decision(decision, by=personas.binh)
    issued = html(client_for(personas.mai).get(url))
    assert decision.number_label in issued and "Đã ban hành" in issued
    # Each reader sees there what the decisions list shows them, no more.
    seen = Decision.objects.visible_to(personas.dung).filter(pk=decision.pk).exists()
    assert (decision.number_label in html(client_for(personas.dung).get(url))) == seen


def test_only_a_review_round_of_the_decisions_movement_is_accepted(
        approved, movement, personas):
    form = approved[0].dossier.award_form
    monthly = add_round(movement, personas.mai, kind=ReportPeriod.Kind.MONTHLY,
                        title="Báo cáo tháng 11")
    other = set_up(draft_movement(personas.mai), personas.mai).report_periods.get()
    for wrong in (monthly, other):
        with pytest.raises(ValidationError, match="không thuộc phong trào này"):
            draft_for(movement, form, approved, personas.mai, review_round=wrong)
    assert not Decision.objects.exists()


def test_the_draft_form_offers_this_movements_rounds_only(
        approved, movement, city_certificate, final_round, personas, client_for):
    monthly = add_round(movement, personas.mai, kind=ReportPeriod.Kind.MONTHLY,
                        title="Báo cáo tháng 11")
    other = set_up(draft_movement(personas.mai), personas.mai).report_periods.get()
    client = client_for(personas.mai)
    url = f"/quyet-dinh/phong-trao/{movement.slug}/moi/"
    page = html(client.get(url))
    assert f'<option value="{final_round.pk}">' in page
    assert f'<option value="{monthly.pk}">' not in page
    assert f'<option value="{other.pk}">' not in page
    data = {"award_form": city_certificate.pk, "number": 1234, "series": "QĐ-UBND",
            "issued_on": "2021-12-20", "signer": personas.binh.pk,
            "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "legal_grounds": "Căn cứ …",
            "nominees": [n.pk for n in approved]}
    refused = client.post(url, {**data, "review_round": other.pk})
    assert refused.status_code in (200, 400) and not Decision.objects.exists()
    assert "Hãy chọn một lựa chọn hợp lệ" in html(refused)
    client.post(url, {**data, "review_round": final_round.pk})
    assert Decision.objects.get().review_round == final_round
    # A unit officer has no draft form at all.
    assert client_for(personas.hanh).get(url).status_code == 404


def test_a_movement_without_rounds_does_not_show_the_field(approved, movement, personas,
                                                          client_for):
    page = html(client_for(personas.mai).get(f"/quyet-dinh/phong-trao/{movement.slug}/moi/"))
    assert 'name="review_round"' not in page


# --- the dossier deadline -----------------------------------------------------------------------


def dossier_reminders():
    return dict(Reminder.objects.filter(deadline="dossier").values_list("organisation__code",
                                                                        "kind"))


def set_dossier_deadline(movement, day):
    Movement.objects.filter(pk=movement.pk).update(dossier_deadline=day)


def test_units_without_a_sent_dossier_are_reminded_once(submitted, movement):
    set_dossier_deadline(movement, today() + timedelta(days=2))
    reminders.send_reminders()
    first = dossier_reminders()
    current = set(movement.participants.current().values_list("organisation__code", flat=True))
    # Sông Cầu has sent one; every other current participant is reminded, as "soon".
    assert set(first) == current - {"phuong-song-cau"}
    assert set(first.values()) == {"soon"}
    count = Reminder.objects.filter(deadline="dossier").count()
    reminders.send_reminders()
    reminders.send_reminders(day=today() + timedelta(days=5))  # late by then: still once
    assert Reminder.objects.filter(deadline="dossier").count() == count


def test_a_draft_dossier_does_not_count_and_late_units_are_told_late(draft, movement, personas):
    set_dossier_deadline(movement, today() - timedelta(days=1))
    reminders.send_reminders()
    assert dossier_reminders()["phuong-song-cau"] == "late"
    reminder = Reminder.objects.get(deadline="dossier", organisation__code="phuong-song-cau")
    assert reminder.due_on == today() - timedelta(days=1)
    notice = Notice.objects.filter(user=personas.hanh, text__startswith="Quá hạn").get()
    assert "Hồ sơ đề nghị khen thưởng" in notice.text
    assert notice.url == f"/ho-so/phong-trao/{movement.slug}/tao-moi/"


def test_a_far_dossier_deadline_or_a_removed_unit_is_not_reminded(movement, personas):
    set_dossier_deadline(movement, today() + timedelta(days=30))
    reminders.send_reminders()
    assert dossier_reminders() == {}
    set_dossier_deadline(movement, today())
    actions.remove_participant(movement.participants.get(organisation__code="phuong-duc-xuan"),
                               by=personas.mai)
    reminders.send_reminders()
    found = dossier_reminders()
    assert "phuong-duc-xuan" not in found and "phuong-song-cau" in found


# --- content areas and criteria corrected in place ---------------------------------------------


def test_the_secretariat_corrects_an_area_and_a_criterion_and_it_is_logged(wards_draft, personas):
    area = wards_draft.content_areas.get()
    actions.update_content_area(area, by=personas.mai, code="1", title="  Môi trường   xanh ",
                                text="Trồng cây.", organisations=[org("phuong-duc-xuan")])
    area.refresh_from_db()
    assert (area.title, area.text) == ("Môi trường xanh", "Trồng cây.")
    assert list(area.organisations.values_list("code", flat=True)) == ["phuong-duc-xuan"]
    criterion = wards_draft.criteria.get(code="2")
    actions.update_criterion(criterion, by=personas.mai, code="2b", title="Không có rác tự phát",
                             participant_kind=ParticipantKind.FRONT_AND_MASS_ORGANISATIONS)
    criterion.refresh_from_db()
    assert (criterion.code, criterion.participant_kind) == ("2b", "front_and_mass_organisations")
    logged = Activity.objects.filter(verb="movement.item_updated", target_id=str(wards_draft.pk))
    assert logged.count() == 2
    assert any(a.before.get("title") == "Tỷ lệ hộ phân loại rác" or a.after.get("code") == "2b"
               for a in logged)
    # Nothing changed: nothing logged.
    actions.update_criterion(criterion, by=personas.mai, code="2b", title="Không có rác tự phát",
                             participant_kind="front_and_mass_organisations")
    assert logged.count() == 2


def test_bad_corrections_are_refused(wards, personas):
    criterion = wards.criteria.get(code="2")
    with pytest.raises(ValidationError, match="Mục 1 đã có"):
        actions.update_criterion(criterion, by=personas.mai, code="1", title="Trùng",
                                 participant_kind=criterion.participant_kind)
    with pytest.raises(ValidationError, match="số mục và tiêu đề"):
        actions.update_criterion(criterion, by=personas.mai, code="2", title="  ",
                                 participant_kind=criterion.participant_kind)
    # Launched: the wording may be corrected, the participant kind may not.
    with pytest.raises(ValidationError, match="không đổi đối tượng"):
        actions.update_criterion(criterion, by=personas.mai, code="2", title="Khác",
                                 participant_kind=ParticipantKind.PRESS)
    actions.update_criterion(criterion, by=personas.mai, code="2", title="Sửa câu chữ",
                             participant_kind=criterion.participant_kind)
    assert Criterion.objects.get(pk=criterion.pk).title == "Sửa câu chữ"
    closed = actions.close_movement(wards, by=personas.mai)
    area = closed.content_areas.get()
    with pytest.raises(ValidationError, match="không sửa được"):
        actions.update_content_area(area, by=personas.mai, code="1", title="Muộn")
    with pytest.raises(ValidationError, match="không sửa được"):
        actions.update_criterion(criterion, by=personas.mai, code="2", title="Muộn",
                                 participant_kind=criterion.participant_kind)
    assert ContentArea.objects.get(pk=area.pk).title == "Vệ sinh môi trường"


@pytest.mark.parametrize("who", ["hanh", "tam", "dung", "khanh", "binh", "lan", "quy",
                                 "stranger"])
def test_others_cannot_correct_the_structure(wards, personas, who):
    user = getattr(personas, who)
    area, criterion = wards.content_areas.get(), wards.criteria.get(code="1")
    with pytest.raises(PermissionDenied):
        actions.update_content_area(area, by=user, code="1", title="Đổi")
    with pytest.raises(PermissionDenied):
        actions.update_criterion(criterion, by=user, code="1", title="Đổi",
                                 participant_kind=criterion.participant_kind)
    assert not Activity.objects.filter(verb="movement.item_updated").exists()


def test_the_setup_page_corrects_in_place(wards, personas, client_for):
    client = client_for(personas.mai)
    setup = f"/phong-trao/{wards.slug}/thiet-lap/"
    criterion = wards.criteria.get(code="1")
    page = html(client.get(setup))
    assert f'data-testid="edit-criterion-{criterion.pk}"' in page
    assert f'id="sua_tieu_chi_{criterion.pk}_title"' in page
    client.post(setup + "?phan=sua-tieu-chi", {
        "id": criterion.pk, "code": "1", "title": "Tỷ lệ hộ phân loại rác tại nguồn",
        "participant_kind": criterion.participant_kind, "text": ""})
    assert Criterion.objects.get(pk=criterion.pk).title == "Tỷ lệ hộ phân loại rác tại nguồn"
    area = wards.content_areas.get()
    bad = client.post(setup + "?phan=sua-noi-dung", {"id": area.pk, "code": "1", "title": ""})
    assert bad.status_code == 400
    assert f'data-testid="edit-area-{area.pk}" open' in html(bad)
    refused = client.post(setup + "?phan=sua-tieu-chi", {
        "id": criterion.pk, "code": "1", "title": "X", "participant_kind": "press"}, follow=True)
    assert "không đổi đối tượng" in html(refused)
    # Another movement's criterion is not found through this one.
    other = Criterion.objects.exclude(movement=wards).first()
    assert client.post(setup + "?phan=sua-tieu-chi", {
        "id": other.pk, "code": "9", "title": "X",
        "participant_kind": other.participant_kind}).status_code == 404
    for who in ("hanh", "dung", "khanh"):
        response = client_for(getattr(personas, who)).post(setup + "?phan=sua-tieu-chi", {
            "id": criterion.pk, "code": "1", "title": "Của người khác",
            "participant_kind": criterion.participant_kind})
        assert response.status_code in (302, 404)
    assert Criterion.objects.get(pk=criterion.pk).title == "Tỷ lệ hộ phân loại rác tại nguồn"


def test_a_closed_movement_offers_no_correction(wards, personas, client_for):
    closed = actions.close_movement(wards, by=personas.mai)
    page = html(client_for(personas.mai).get(f"/phong-trao/{closed.slug}/thiet-lap/"))
    assert 'data-testid="edit-criterion-' not in page


# --- a dossier of a unit removed from the movement ---------------------------------------------


def test_the_dossier_of_a_removed_unit_says_so(draft, movement, personas, client_for):
    url = f"/ho-so/{draft.pk}/"
    assert 'data-testid="unit-withdrawn"' not in html(client_for(personas.hanh).get(url))
    participant = movement.participants.get(organisation__code="phuong-song-cau")
    assert actions.remove_participant(participant, by=personas.mai) == "kept"
    page = html(client_for(personas.hanh).get(url))
    notice = page[page.index('data-testid="unit-withdrawn"'):]
    assert "đã rút khỏi phong trào ngày " + today().strftime("%d/%m/%Y") in notice
    # Back in the movement, the notice goes.
    actions.add_participants(movement, by=personas.mai, organisations=[org("phuong-song-cau")])
    assert 'data-testid="unit-withdrawn"' not in html(client_for(personas.hanh).get(url))
