"""Meeting pages per persona, voting by phone (htmx), and the public disclosure page."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.pipeline import council_people, next_working_day
from thidua.reviews import actions, disclosures
from thidua.reviews.models import BallotBox, Meeting, Objection

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_secretariat_schedules_a_council_meeting_through_the_form(forwarded, personas,
                                                                  client_for):
    people = council_people()
    client = client_for(personas.mai)
    url = f"/hop/phong-trao/{forwarded.movement.slug}/council/moi/"
    page = html(client.get(url))
    assert "Nguyễn Thị Lan" in page and "Lục Thị Hoa" not in page  # not proposed by committee
    nominees = forwarded.nominees.filter(committee_conclusion="propose")
    response = client.post(url, {
        "title": "Phiên họp Hội đồng TĐKT tháng 12",
        "scheduled_at": f"{timezone.localdate():%Y-%m-%d}T08:00",
        "place": "Hội trường", "chair": people["chair"].pk, "vice_chair": people["vice"].pk,
        "secretary": personas.mai.pk,
        "members": [people[k].pk for k in ["chair", "vice", "member", "health"]],
        "nominees": [n.pk for n in nominees]}, follow=True)
    meeting = Meeting.objects.get(kind="council")
    assert response.redirect_chain[-1][0] == f"/hop/{meeting.pk}/"
    roles = dict(meeting.members.values_list("user__username", "role"))
    assert roles == {"chutich": "chair", "hoidong.pho": "vice_chair", "hoidong": "member",
                     "hoidong.yte": "member"}
    assert meeting.items.count() == 2


@pytest.mark.parametrize("name", ["hanh", "tam", "dung", "quy"])
def test_others_cannot_schedule_a_council_meeting(forwarded, personas, client_for, name):
    url = f"/hop/phong-trao/{forwarded.movement.slug}/council/moi/"
    assert client_for(getattr(personas, name)).get(url).status_code == 404


def test_a_member_votes_from_the_meeting_page_with_htmx(council, client_for):
    member = council_people()["member"]
    client = client_for(member)
    page = html(client.get(f"/hop/{council.pk}/"))
    assert page.count('name="choice" value="agree"') == 2
    item = council.items.get(nominee__full_name="Nguyễn Thị Lan")
    fragment = html(client.post(f"/hop/{council.pk}/muc/{item.pk}/bo-phieu/",
                                {"choice": "agree"}, HTTP_HX_REQUEST="true"))
    assert fragment.lstrip().startswith(f'<li class="list-group-item" id="item-{item.pk}"')
    assert "Bạn đã bỏ phiếu" in fragment and "Đã bỏ phiếu: 1/4" in fragment
    again = client.post(f"/hop/{council.pk}/muc/{item.pk}/bo-phieu/", {"choice": "disagree"},
                        follow=True)
    assert "mỗi thành viên chỉ bỏ một phiếu" in html(again)
    assert sum(b.total for b in BallotBox.objects.all()) == 1


def test_meeting_pages_are_404_for_outsiders(council, personas, client_for):
    for user in [personas.hanh, personas.quy, personas.lan, personas.stranger]:
        assert client_for(user).get(f"/hop/{council.pk}/").status_code == 404
    assert client_for(personas.hanh).post(
        f"/hop/{council.pk}/muc/{council.items.first().pk}/bo-phieu/",
        {"choice": "agree"}).status_code == 404
    assert client_for(personas.mai).get("/hop/abc/").status_code == 404


def test_chair_closes_and_the_unit_sees_each_nominees_outcome(council, personas, client_for):
    people = council_people()
    for key in ["chair", "vice", "member"]:
        for item in council.items.all():
            choice = "agree" if item.nominee.full_name == "Nguyễn Thị Lan" else "disagree"
            actions.cast_vote(item, choice=choice, by=people[key])
    response = client_for(people["chair"]).post(f"/hop/{council.pk}/ket-thuc/", follow=True)
    assert "Phiên họp đã kết thúc" in html(response)
    dossier_page = html(client_for(personas.hanh).get(f"/ho-so/{council.items.first().nominee.dossier_id}/"))
    assert "Đề nghị Chủ tịch quyết định khen thưởng" in dossier_page
    assert "Không đề nghị khen thưởng" in dossier_page
    assert "Không đề nghị" in dossier_page  # Lục Thị Hoa, at the committee
    minutes = html(client_for(personas.mai).get(f"/hop/{council.pk}/bien-ban/"))
    assert "Đồng ý 3, không đồng ý 0, không biểu quyết 0 / 4" in minutes


def test_public_disclosure_shows_no_birth_data_and_takes_objections(forwarded, personas):
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=nominees, starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Danh sách đề nghị Giấy khen", by=personas.mai)
    client = Client()
    page = html(client.get(f"/cong-khai/{disclosure.pk}/"))
    assert "Nguyễn Thị Lan" in page and "Lục Thị Hoa" not in page
    assert "1985" not in page and "Kinh" not in page
    assert "Danh sách đề nghị Giấy khen" in html(client.get("/cong-khai/"))
    lan = next(n for n in nominees if n.full_name == "Nguyễn Thị Lan")
    response = client.post(f"/cong-khai/{disclosure.pk}/", {
        "nominee": lan.pk, "name": "Nguyễn Văn Dân", "contact": "0912345678",
        "text": "Tôi xác nhận chị Lan trực chốt liên tục.", "website": ""}, follow=True)
    assert "Ý kiến đã được gửi" in html(response)
    assert Objection.objects.get().nominee == lan
    client.post(f"/cong-khai/{disclosure.pk}/", {
        "nominee": lan.pk, "name": "Robot", "contact": "x", "text": "spam",
        "website": "http://spam.example"})
    assert Objection.objects.count() == 1
    empty = client.post(f"/cong-khai/{disclosure.pk}/", {"nominee": lan.pk, "name": "",
                                                         "contact": "", "text": ""})
    assert "bắt buộc" in html(empty) or "required" in html(empty)
    assert Objection.objects.count() == 1


def test_a_flood_of_objections_is_kept_but_marked(forwarded, personas, settings):
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=nominees, starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Danh sách đề nghị Giấy khen", by=personas.mai)
    form = {"nominee": nominees[0].pk, "name": "Nguyễn Văn Dân", "contact": "0912345678",
            "text": "Ý kiến", "website": ""}
    flooding = Client(REMOTE_ADDR="203.0.113.9")
    for _i in range(disclosures.OBJECTIONS_PER_HOUR + 2):
        assert "Ý kiến đã được gửi" in html(flooding.post(f"/cong-khai/{disclosure.pk}/", form,
                                                          follow=True))
    assert Objection.objects.count() == disclosures.OBJECTIONS_PER_HOUR + 2
    assert Objection.objects.filter(flooded=True).count() == 2
    # Someone else is not marked; and no address is stored, only a keyed hash.
    Client(REMOTE_ADDR="198.51.100.7").post(f"/cong-khai/{disclosure.pk}/", form)
    assert not Objection.objects.latest("pk").flooded
    sources = set(Objection.objects.values_list("source", flat=True))
    assert len(sources) == 2 and not any("203.0.113.9" in s for s in sources)


def test_behind_a_proxy_each_citizen_is_counted_apart(forwarded, personas, settings):
    settings.THIDUA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=nominees, starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Danh sách", by=personas.mai)
    form = {"nominee": nominees[0].pk, "name": "Dân", "contact": "0912345678", "text": "Ý kiến",
            "website": ""}
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(disclosures.OBJECTIONS_PER_HOUR + 3):
        proxy.post(f"/cong-khai/{disclosure.pk}/", form,
                   HTTP_X_FORWARDED_FOR=f"spoofed, 198.51.100.{i}")
    assert not Objection.objects.filter(flooded=True).exists()
    assert Objection.objects.values("source").distinct().count() == disclosures.OBJECTIONS_PER_HOUR + 3
    # One IPv6 subscriber's /64 is one source.
    assert disclosures.objection_source("2001:db8::1") == disclosures.objection_source("2001:db8::ffff")


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_page_queries_do_not_grow_with_the_agenda(council, personas, client_for,
                                                          movement, city_certificate):
    from datetime import date

    from tests.pipeline import complete, open_council, person, run_committee
    from thidua.nominations import actions as dossier_actions
    from thidua.nominations.models import Dossier

    member = client_for(council_people()["member"])
    small = _queries(member, f"/hop/{council.pk}/")
    big = dossier_actions.create_dossier(
        movement=movement, organisation=council.items.first().nominee.dossier.organisation,
        award_form=city_certificate, unit_meeting_date=date(2021, 11, 20), by=personas.hanh)
    dossier_actions.import_nominees(big, [person(name=f"Người số {i}", year=1970 + i)
                                          for i in range(12)], by=personas.hanh)
    big = dossier_actions.submit_dossier(complete(big, personas.hanh), by=personas.tam)
    big = dossier_actions.accept_dossier(big, by=personas.dung)
    run_committee(big, personas.dung)
    big = dossier_actions.forward_to_council(Dossier.objects.get(pk=big.pk), by=personas.dung)
    large_meeting = open_council(big, personas.mai)
    assert large_meeting.items.count() == 12
    assert _queries(member, f"/hop/{large_meeting.pk}/") == small


def test_secretariat_records_how_an_objection_was_handled(forwarded, personas, client_for):
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=nominees, starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Công khai", by=personas.mai)
    objection = disclosures.submit_objection(disclosure, nominee=nominees[0], name="Người dân",
                                         contact="0900000000", text="Cần xác minh thêm.")
    from tests.pipeline import open_council

    meeting = open_council(forwarded, personas.mai)
    url = f"/hop/{meeting.pk}/y-kien/{objection.pk}/"
    assert client_for(council_people()["member"]).post(url, {"handling": "x"}).status_code == 302
    objection.refresh_from_db()
    assert objection.handling == ""  # a member is not the secretariat: refused with a message
    client_for(personas.mai).post(url, {"handling": "Đã xác minh với Trạm Y tế: đúng."})
    objection.refresh_from_db()
    assert objection.handling == "Đã xác minh với Trạm Y tế: đúng."
    page = html(client_for(personas.mai).get(f"/hop/{meeting.pk}/"))
    assert "Đã xác minh với Trạm Y tế" in page


def test_the_disclosure_form_is_reachable_and_publishes(forwarded, personas, client_for):
    client = client_for(personas.mai)
    url = f"/hop/phong-trao/{forwarded.movement.slug}/cong-khai/moi/"
    page = html(client.get(url))
    assert "Công khai danh sách đề nghị khen thưởng" in page
    nominees = list(forwarded.nominees.filter(committee_conclusion="propose"))
    response = client.post(url, {
        "title": "Danh sách đề nghị", "starts_on": f"{timezone.localdate():%Y-%m-%d}",
        "ends_on": f"{next_working_day(12):%Y-%m-%d}", "nominees": [n.pk for n in nominees]},
        follow=True)
    assert "Đã công khai danh sách" in html(response)
    assert client_for(personas.hanh).get(url).status_code == 404


def test_an_absurd_meeting_date_gets_a_message_not_an_error(forwarded, personas, client_for):
    people = council_people()
    response = client_for(personas.mai).post(
        f"/hop/phong-trao/{forwarded.movement.slug}/council/moi/", {
            "title": "x", "scheduled_at": "0001-01-01T00:00", "place": "x",
            "chair": people["chair"].pk, "secretary": personas.mai.pk,
            "members": [people["chair"].pk], "nominees": []})
    assert response.status_code == 200
    assert "một năm trước đến hai năm" in html(response)


def test_the_meeting_page_offers_each_person_their_own_buttons(council, personas, client_for):
    secretary = html(client_for(personas.mai).get(f"/hop/{council.pk}/"))
    assert "Kết thúc phiên họp và công bố kết quả" in secretary
    assert "Hoãn phiên họp" in secretary and 'data-testid="attendance"' in secretary
    assert 'name="choice" value="agree"' not in secretary  # the secretary is no member
    member = html(client_for(council_people()["member"]).get(f"/hop/{council.pk}/"))
    assert 'name="choice" value="agree"' in member
    assert "Kết thúc phiên họp và công bố kết quả" not in member
    assert "Hoãn phiên họp" not in member and 'data-testid="attendance"' not in member


def test_meetings_are_scheduled_only_for_a_movement_in_progress(forwarded, personas, client_for):
    from thidua.movements.models import Movement

    url = f"/hop/phong-trao/{forwarded.movement.slug}/council/moi/"
    client = client_for(personas.mai)
    assert client.get(url).status_code == 200
    assert client.get(f"/hop/phong-trao/{forwarded.movement.slug}/khac/moi/").status_code == 404
    Movement.objects.filter(pk=forwarded.movement_id).update(status=Movement.Status.CLOSED)
    assert client.get(url).status_code == 404
    assert client.get(f"/hop/phong-trao/{forwarded.movement.slug}/cong-khai/moi/"
                      ).status_code == 404
