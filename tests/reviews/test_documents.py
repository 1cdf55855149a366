"""What the meetings write: the Steering Committee's Tờ trình and minutes, the council's minutes
with the vote tallies — as DOCX and PDF, to the people who may open the meeting."""

import io
import re
import unicodedata
from collections import Counter
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from docx import Document

from tests.pipeline import council_people, open_council, pdf
from tests.reading import NFD, TEAM, all_text, docx_parts, pdf_text
from thidua.documents.models import SignedCopy
from thidua.documents.render import DEFAULT_TEMPLATES, check_template, render_kind_docx, render_pdf
from thidua.nominations.models import Dossier, Nominee
from thidua.reviews import actions
from thidua.reviews.models import AgendaItem, Meeting
from thidua.rulesets.ratios import number_text

pytestmark = pytest.mark.django_db

CHOICE_WORDS = ["Đồng ý", "Không đồng ý", "Không biểu quyết"]


def as_team(name: str) -> None:
    """Store a nominee as the team with markup characters in its name, decomposed (NFD)."""
    Nominee.objects.filter(full_name=name).update(full_name=NFD, kind="collective")


@pytest.fixture
def committee(forwarded):
    """The closed committee review: Lan and Nam proposed, Lục Thị Hoa not (with the reason)."""
    return Meeting.objects.get(kind=Meeting.Kind.COMMITTEE)


def percent(part, whole) -> str:
    return f"{100 * part / whole:.2f}".replace(".", ",") + "%"


# --- the Steering Committee -----------------------------------------------------------------

def test_committee_proposal_lists_what_the_committee_proposed_and_why_not_the_rest(committee):
    as_team("Hoàng Văn Nam")
    body, tables = docx_parts(render_kind_docx("committee_proposal", committee))
    heading = "\n".join(tables[0][0])
    assert "UBND THÀNH PHỐ BẮC KẠN\nBAN CHỈ ĐẠO" in heading and "Số: ……/TTr-BCĐ" in heading
    assert "TỜ TRÌNH" in body
    assert "Kính gửi: Hội đồng Thi đua - Khen thưởng thành phố Bắc Kạn." in body
    assert ("Ban Chỉ đạo đã họp xét 1 hồ sơ đề nghị khen thưởng của 1 cơ quan, đơn vị, gồm "
            "1 tập thể và 2 cá nhân. Kết quả: đề nghị khen thưởng: 1 tập thể và 1 cá nhân; "
            "không đề nghị khen thưởng: 1 cá nhân.") in body
    assert "(qua Phòng Nội vụ thành phố)" in body
    assert "- Giấy khen của Chủ tịch UBND thành phố: 1 tập thể và 1 cá nhân;" in body
    assert "- Lục Thị Hoa (Ủy ban nhân dân phường Sông Cầu): Thành tích chưa nổi bật;" in body
    signer = [line for line in tables[1][0][1].splitlines() if line.strip()]
    assert signer == ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Trần Văn Dũng"]
    rows = tables[-1]
    assert [r[:2] for r in rows[1:]] == [["1", "Nguyễn Thị Lan"], ["2", TEAM]]
    assert unicodedata.is_normalized("NFC", rows[2][1])
    assert rows[2][3:] == ["Ủy ban nhân dân phường Sông Cầu", "Giấy khen của Chủ tịch UBND thành phố"]

    text = pdf_text(render_pdf("committee_proposal", committee))
    for expected in ["BAN CHỈ ĐẠO", "TỜ TRÌNH", TEAM, "Thành tích chưa nổi bật", "DANH SÁCH",
                     "TM. BAN CHỈ ĐẠO", "Trần Văn Dũng", "Độc lập - Tự do - Hạnh phúc"]:
        assert expected in text, expected
    assert text.index("Nguyễn Thị Lan", text.index("DANH SÁCH")) < text.rindex(TEAM)


def test_committee_minutes_record_each_conclusion_and_the_corrected_notes(committee, personas):
    as_team("Hoàng Văn Nam")
    actions.correct_minutes(committee, notes='Ý kiến: cần "xác minh" & <bổ sung>',
                            reason="Bổ sung ý kiến thảo luận", by=personas.dung)
    body, tables = docx_parts(render_kind_docx("committee_minutes", committee))
    assert "BIÊN BẢN" in body and "Số: ……/BB-BCĐ" in tables[0][0][0]
    opened = timezone.localtime(committee.opened_at)
    assert f"Vào hồi {opened:%H} giờ {opened:%M} phút, ngày {opened.day:02d}" in body
    assert "tại Phòng họp số 1" in body
    assert "- Chủ trì: Trần Văn Dũng." in body and "- Thư ký: Trần Văn Dũng." in body
    rows = tables[1]
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        ("1", "Nguyễn Thị Lan", "Đề nghị khen thưởng"),
        ("2", TEAM, "Đề nghị khen thưởng"),
        ("3", "Lục Thị Hoa", "Không đề nghị (lý do: Thành tích chưa nổi bật)")]
    assert ("Ban Chỉ đạo thống nhất: đề nghị khen thưởng: 1 tập thể và 1 cá nhân; không đề nghị "
            "khen thưởng: 1 cá nhân.") in body
    assert 'Ý kiến: cần "xác minh" & <bổ sung>' in body.splitlines()
    assert "(Biên bản điều chỉnh lần 2: Bổ sung ý kiến thảo luận)" in body
    assert [line for line in tables[-1][0][0].splitlines() if line.strip()] == [
        "THƯ KÝ", "Trần Văn Dũng"]

    text = pdf_text(render_pdf("committee_minutes", committee))
    for expected in ["BIÊN BẢN", TEAM, "Lý do: Thành tích chưa nổi bật", "III. KẾT LUẬN",
                     'Ý kiến: cần "xác minh" & <bổ sung>', "Biên bản điều chỉnh lần 2", "CHỦ TRÌ"]:
        assert expected in text, expected


def test_an_adjourned_committee_meeting_has_minutes_but_no_proposal(accepted, personas,
                                                                   client_for):
    meeting = actions.create_meeting(
        kind="committee", movement=accepted.movement, title="Họp xét", place="Phòng họp số 2",
        scheduled_at=timezone.now(), chair=personas.dung, secretary=personas.dung,
        nominees=list(accepted.nominees.all()), by=personas.dung)
    client = client_for(personas.dung)
    assert client.get(f"/van-ban/committee_minutes/{meeting.pk}.pdf").status_code == 404  # planned
    meeting = actions.adjourn_meeting(meeting, reason="Vắng Trưởng ban", by=personas.dung)
    assert client.get(f"/van-ban/committee_proposal/{meeting.pk}.docx").status_code == 404
    body = all_text(client.get(f"/van-ban/committee_minutes/{meeting.pk}.docx").content)
    assert "Phiên họp hoãn, Ban Chỉ đạo chưa kết luận." in body
    assert "Phiên họp hoãn: Vắng Trưởng ban" in body
    page = client.get(f"/hop/{meeting.pk}/").content.decode()
    assert 'data-testid="document-committee_minutes"' in page
    assert 'data-testid="document-committee_proposal"' not in page


def test_committee_papers_are_for_those_who_may_open_the_meeting(committee, personas,
                                                                 client_for):
    for key in ["committee_proposal", "committee_minutes"]:
        url = f"/van-ban/{key}/{committee.pk}"
        assert "Nguyễn Thị Lan" in all_text(client_for(personas.dung).get(f"{url}.docx").content)
        assert "Nguyễn Thị Lan" in pdf_text(client_for(personas.dung).get(f"{url}.pdf").content)
        for outsider in [personas.hanh, personas.khanh, personas.stranger]:
            assert client_for(outsider).get(f"{url}.pdf").status_code == 404
    page = client_for(personas.dung).get(f"/hop/{committee.pk}/").content.decode()
    assert 'data-testid="document-committee_proposal"' in page
    assert 'data-testid="document-council_minutes"' not in page
    response = client_for(personas.dung).post(
        f"/van-ban/committee_minutes/{committee.pk}/ban-da-ky/", {"file": pdf("bb-ky.pdf")})
    assert response["Location"] == f"/hop/{committee.pk}/"
    assert SignedCopy.current("committee_minutes", committee).original_name == "bb-ky.pdf"


# --- the council ----------------------------------------------------------------------------

@pytest.fixture
def voted(forwarded, personas):
    """Three members in the room, Triệu Thị Nga away and voting in writing.
    Lan: chair agree, vice disagree, member abstain, Nga (written) agree.
    Nam: Nga steps aside; the three in the room agree."""
    people = council_people()
    meeting = open_council(forwarded, personas.mai,
                           present=[people["chair"], people["vice"], people["member"]])
    lan, nam = meeting.items.order_by("order")
    nga = meeting.members.get(user=people["health"])
    cast = {lan.pk: Counter(), nam.pk: Counter()}
    for key, choice in [("chair", "agree"), ("vice", "disagree"), ("member", "abstain")]:
        actions.cast_vote(lan, choice=choice, by=people[key])
        cast[lan.pk][choice] += 1
    actions.record_written_vote(lan, member=nga, choice="agree", by=personas.mai)
    cast[lan.pk]["agree"] += 1
    actions.recuse(nam, member=nga, reason="Cùng đơn vị công tác", by=personas.mai)
    for key in ["chair", "vice", "member"]:
        actions.cast_vote(nam, choice="agree", by=people[key])
        cast[nam.pk]["agree"] += 1
    meeting = actions.close_meeting(meeting, by=personas.mai)
    as_team("Hoàng Văn Nam")
    return meeting, cast


def test_council_minutes_show_the_tallies_of_the_votes_cast(voted, personas):
    meeting, cast = voted
    rule_set = meeting.movement.rule_set
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order"))
    for item in items:  # what closing wrote is what was cast
        assert (item.agree, item.disagree, item.abstain) == (
            cast[item.pk]["agree"], cast[item.pk]["disagree"], cast[item.pk]["abstain"])
    body, tables = docx_parts(render_kind_docx("council_minutes", meeting))
    heading = "\n".join(tables[0][0])
    assert "UBND THÀNH PHỐ BẮC KẠN\nHỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in heading
    assert "Số: ……/BB-HĐTĐKT" in heading
    assert "Họp Hội đồng Thi đua - Khen thưởng thành phố Bắc Kạn" in body
    assert "- Chủ trì: Ma Văn Bình." in body and "- Thư ký: Phạm Thị Mai." in body
    assert ("- Thành viên Hội đồng: tổng số 4; có mặt 3; vắng mặt 1 (gửi phiếu bằng văn bản: 1)."
            in body)
    assert rule_set.quorum_text == "2/3"
    assert ("Có mặt 3/4 thành viên Hội đồng, đạt tỷ lệ tối thiểu 2/3 tổng số thành viên theo "
            "quy định (có mặt từ 3 trong số 4 thành viên trở lên); phiên họp đủ điều kiện tiến "
            "hành. (Tỷ lệ 2/3: quy định này là giá trị mặc định chưa được đối chiếu văn bản pháp "
            "lý.)") in body
    members = tables[1]
    assert members[1:] == [["Ma Văn Bình", "Chủ tịch Hội đồng", "Có mặt"],
                           ["Lương Văn Hải", "Phó Chủ tịch Hội đồng", "Có mặt"],
                           ["Đinh Văn Khánh", "Ủy viên", "Có mặt"],
                           ["Triệu Thị Nga", "Ủy viên", "Vắng, gửi phiếu bằng văn bản"]]
    votes = tables[2]
    assert votes[0] == ["STT", "Họ và tên / Tên tập thể", "Hình thức đề nghị", "Đồng ý",
                        "Không đồng ý", "Không biểu quyết", "Kết quả"]
    assert len(votes) == 3
    for row, item in zip(votes[1:], items, strict=True):
        assert row[3:6] == [f"{n} ({percent(n, item.base)})"
                            for n in (item.agree, item.disagree, item.abstain)]
        assert row[6] == (f"{item.get_result_display()} ({item.agree}/{item.base}, cần > 50% × "
                          f"{item.base} = {number_text(Fraction(item.base, 2))})")
    assert votes[1][1] == "Nguyễn Thị Lan – Ủy ban nhân dân phường Sông Cầu"
    assert votes[2][1] == f"{TEAM} – Ủy ban nhân dân phường Sông Cầu"
    assert votes[1][3] == "2 (50,00%)" and items[0].result == "failed"  # 2 of 4 is not > 50 %
    assert items[1].result == "passed"
    assert ("- Giấy khen của Chủ tịch UBND thành phố: trên 50% số thành viên Hội đồng dự họp và "
            "thành viên gửi phiếu bằng văn bản;") in body
    # Nga was away when she stepped aside on Nam: the base is the three in the room.
    assert items[1].base == 3
    assert f"Triệu Thị Nga không tham gia biểu quyết đối với {TEAM}: Cùng đơn vị công tác." in body
    assert ("Hội đồng thống nhất: đạt tỷ lệ phiếu đề nghị khen thưởng: 1 tập thể; không đạt: "
            "1 cá nhân.") in body

    text = pdf_text(render_pdf("council_minutes", meeting))
    for expected in ["HỘI ĐỒNG THI ĐUA - KHEN", "BIÊN BẢN", "Có mặt 3/4 thành viên Hội đồng, đạt",
                     TEAM, "50,00%", "Không đạt", "Đạt", "II. NỘI DUNG VÀ KẾT QUẢ BỎ PHIẾU",
                     "THƯ KÝ", "Phạm Thị Mai", "Ma Văn Bình"]:
        assert expected in text, expected


def test_council_minutes_never_put_a_member_next_to_a_choice(voted):
    meeting, _cast = voted
    names = [str(m.user) for m in meeting.members.select_related("user")]
    data = render_kind_docx("council_minutes", meeting)
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs] + [" | ".join(c.text for c in r.cells)
                                                for t in doc.tables for r in t.rows]
    for line in lines:
        if any(name in line for name in names):
            assert not any(word in line for word in CHOICE_WORDS), line
    text = pdf_text(render_pdf("council_minutes", meeting))
    for name in names:
        start = text.index(name)
        assert not any(word in text[start:start + 60] for word in CHOICE_WORDS), name


def _minutes_after(forwarded, secretary, dissenter) -> tuple[str, str]:
    """The minutes' text when everyone agrees except ``dissenter`` (rolled back afterwards)."""
    people = council_people()
    with transaction.atomic():
        meeting = open_council(Dossier.objects.get(pk=forwarded.pk), secretary)
        for key in ["chair", "vice", "member", "health"]:
            for item in meeting.items.order_by("order"):
                actions.cast_vote(item, choice="disagree" if key == dissenter else "agree",
                                  by=people[key])
        meeting = actions.close_meeting(meeting, by=secretary)
        texts = all_text(render_kind_docx("council_minutes", meeting)), pdf_text(
            render_pdf("council_minutes", meeting))
        transaction.set_rollback(True)
    clock = re.compile(r"\d\d giờ \d\d phút")
    return tuple(clock.sub("HH giờ MM phút", t) for t in texts)


def test_council_minutes_are_the_same_whoever_cast_the_dissenting_ballot(forwarded, personas):
    vice = _minutes_after(forwarded, personas.mai, dissenter="vice")
    member = _minutes_after(forwarded, personas.mai, dissenter="member")
    assert "3 (75,00%)" in vice[0] and "1 (25,00%)" in vice[0]
    assert vice == member


def test_council_minutes_for_the_meeting_people_only_once_closed(council, personas, client_for):
    url = f"/van-ban/council_minutes/{council.pk}"
    assert client_for(personas.mai).get(f"{url}.pdf").status_code == 404  # still open
    assert 'data-testid="document-council_minutes"' not in client_for(personas.mai).get(
        f"/hop/{council.pk}/").content.decode()
    people = council_people()
    for key in ["chair", "vice", "member", "health"]:
        for item in council.items.all():
            actions.cast_vote(item, choice="agree", by=people[key])
    actions.close_meeting(council, by=personas.mai)
    for user in [personas.mai, personas.khanh, personas.binh]:  # secretariat, member, chair
        assert "Nguyễn Thị Lan" in all_text(client_for(user).get(f"{url}.docx").content)
    assert "Nguyễn Thị Lan" in pdf_text(client_for(personas.khanh).get(f"{url}.pdf").content)
    for outsider in [personas.hanh, personas.dung, personas.stranger]:
        assert client_for(outsider).get(f"{url}.docx").status_code == 404
    # the committee's papers are not written from a council meeting
    assert client_for(personas.mai).get(f"/van-ban/committee_minutes/{council.pk}.pdf") \
        .status_code == 404
    page = client_for(personas.mai).get(f"/hop/{council.pk}/").content.decode()
    assert 'data-testid="document-council_minutes"' in page
    assert 'data-testid="document-committee_proposal"' not in page
    # a member reads the minutes; the secretariat files the signed paper
    client_for(personas.khanh).post(f"{url}/ban-da-ky/", {"file": pdf("bb.pdf")})
    assert not SignedCopy.objects.exists()
    client_for(personas.mai).post(f"{url}/ban-da-ky/", {"file": pdf("bb-ky.pdf")})
    assert SignedCopy.current("council_minutes", council).original_name == "bb-ky.pdf"


@pytest.mark.parametrize("key", ["committee_proposal", "committee_minutes", "council_minutes"])
def test_replacement_templates_must_keep_the_required_fields(key):
    check_template((DEFAULT_TEMPLATES / f"{key}.docx").read_bytes(), key)
    thin = Document()
    thin.add_paragraph("Biên bản {{ chair }} {{ place }}")
    buf = io.BytesIO()
    thin.save(buf)
    with pytest.raises(ValidationError, match="Mẫu thiếu các trường"):
        check_template(buf.getvalue(), key)
