"""A meeting's real times: opening and closing (or adjourning) record when it happened; the page
and the minutes (web, DOCX, PDF) print those, not the scheduled time; a meeting without an
opening time prints its scheduled time, labelled as scheduled (issue 10, item 4)."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from tests.pipeline import council_people, open_council
from tests.reading import all_text, pdf_text
from thidua.documents.render import render_kind_docx, render_pdf
from thidua.nominations.models import Dossier
from thidua.reviews import actions
from thidua.reviews.models import Meeting

pytestmark = pytest.mark.django_db

SCHEDULED = "(giờ theo lịch; không có giờ khai mạc thực tế)"


def today_at(hour, minute):
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))


def words(moment):
    local = timezone.localtime(moment)
    return (f"{local:%H} giờ {local:%M} phút, ngày {local.day:02d} tháng {local.month:02d} "
            f"năm {local.year}")


def committee_meeting(accepted, personas, when):
    return actions.create_meeting(
        kind="committee", movement=accepted.movement, title="Họp xét", place="Phòng họp số 2",
        scheduled_at=when, chair=personas.dung, secretary=personas.dung,
        nominees=list(accepted.nominees.all()), by=personas.dung)


def conclude_all(meeting, by):
    for item in meeting.items.all():
        actions.set_conclusion(item, conclusion="propose", by=by)


def test_opening_and_closing_record_when_they_happened(accepted, personas):
    meeting = committee_meeting(accepted, personas, today_at(0, 0))
    assert meeting.opened_at is None and meeting.closed_at is None
    before = timezone.now()
    opened = actions.open_meeting(meeting, by=personas.dung)
    assert before <= opened.opened_at <= timezone.now()
    assert Meeting.objects.get(pk=meeting.pk).opened_at == opened.opened_at
    conclude_all(opened, personas.dung)
    before = timezone.now()
    closed = actions.close_meeting(opened, by=personas.dung)
    assert before <= closed.closed_at <= timezone.now()
    assert closed.opened_at == opened.opened_at  # closing does not move the opening
    data = closed.minutes.get(number=1).data
    assert data["opened_at"] == timezone.localtime(opened.opened_at).strftime("%H:%M %d/%m/%Y")
    assert data["closed_at"] == timezone.localtime(closed.closed_at).strftime("%H:%M %d/%m/%Y")


def test_the_minutes_print_the_real_times_not_the_scheduled_one(accepted, personas,
                                                                 client_for):
    meeting = committee_meeting(accepted, personas, today_at(0, 0))
    meeting = actions.open_meeting(meeting, by=personas.dung)
    conclude_all(meeting, personas.dung)
    actions.close_meeting(meeting, by=personas.dung)
    opened, closed = today_at(9, 17), today_at(11, 42)
    Meeting.objects.filter(pk=meeting.pk).update(opened_at=opened, closed_at=closed)
    meeting = Meeting.objects.get(pk=meeting.pk)
    docx = all_text(render_kind_docx("committee_minutes", meeting))
    pdf = pdf_text(render_pdf("committee_minutes", meeting))
    for text in (docx, pdf):
        assert f"Vào hồi {words(opened)}, tại Phòng họp số 2" in text
        assert f"kết thúc vào hồi {words(closed)}" in text
        assert "00 giờ 00 phút" not in text and SCHEDULED not in text
    page = client_for(personas.dung).get(f"/hop/{meeting.pk}/").content.decode()
    assert f'data-testid="opened-at">Khai mạc lúc {opened:%H:%M %d/%m/%Y}' in page
    assert f'data-testid="closed-at">Kết thúc lúc {closed:%H:%M %d/%m/%Y}' in page
    assert 'data-testid="scheduled-at">Theo lịch: 00:00' in page


def test_a_council_meeting_prints_its_real_times_in_both_formats(forwarded, personas):
    meeting = open_council(Dossier.objects.get(pk=forwarded.pk), personas.mai,
                           when=today_at(0, 0))
    for user in council_people().values():
        if user != personas.mai:
            for item in meeting.items.all():
                actions.cast_vote(item, choice="agree", by=user)
    actions.close_meeting(meeting, by=personas.mai)
    Meeting.objects.filter(pk=meeting.pk).update(opened_at=today_at(14, 5),
                                                 closed_at=today_at(16, 30))
    meeting = Meeting.objects.get(pk=meeting.pk)
    for text in (all_text(render_kind_docx("council_minutes", meeting)),
                 pdf_text(render_pdf("council_minutes", meeting))):
        assert f"Vào hồi {words(today_at(14, 5))}, tại Hội trường" in text
        assert f"Phiên họp kết thúc vào hồi {words(today_at(16, 30))}" in text


def test_a_meeting_without_an_opening_time_prints_the_scheduled_time_as_scheduled(
        accepted, personas, client_for):
    meeting = committee_meeting(accepted, personas, today_at(0, 0))
    meeting = actions.open_meeting(meeting, by=personas.dung)
    conclude_all(meeting, personas.dung)
    actions.close_meeting(meeting, by=personas.dung)
    # A meeting closed before the opening time was kept.
    Meeting.objects.filter(pk=meeting.pk).update(opened_at=None)
    meeting = Meeting.objects.get(pk=meeting.pk)
    for text in (all_text(render_kind_docx("committee_minutes", meeting)),
                 pdf_text(render_pdf("committee_minutes", meeting))):
        assert f"Vào hồi {words(today_at(0, 0))} {SCHEDULED}, tại Phòng họp số 2" in text
    page = client_for(personas.dung).get(f"/hop/{meeting.pk}/").content.decode()
    assert 'data-testid="opened-at"' not in page


def test_a_meeting_adjourned_before_it_opened_has_no_opening_time(accepted, personas,
                                                                   client_for):
    meeting = committee_meeting(accepted, personas, today_at(0, 0))
    adjourned = actions.adjourn_meeting(meeting, reason="Vắng Trưởng ban", by=personas.dung)
    assert adjourned.opened_at is None and adjourned.closed_at is not None
    text = all_text(render_kind_docx("committee_minutes", adjourned))
    assert f"Vào hồi {words(today_at(0, 0))} {SCHEDULED}" in text
    assert f"kết thúc vào hồi {words(adjourned.closed_at)}" in text
    minutes = client_for(personas.dung).get(f"/hop/{meeting.pk}/bien-ban/").content.decode()
    assert 'data-testid="minutes-scheduled">Theo lịch: 00:00' in minutes
    assert "không ghi nhận giờ khai mạc" in minutes
