"""One object of every document kind, built through the pipeline fixtures of tests/conftest.py,
and a long decision whose annex runs over many pages."""

from datetime import date

import pytest

from tests import pipeline
from thidua.decisions import actions as decision_actions
from thidua.decisions import proposals
from thidua.decisions.models import Award
from thidua.nominations import actions as dossier_actions
from thidua.reviews.models import Meeting

GROUNDS = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n"
           "Căn cứ Luật Thi đua, Khen thưởng ngày 15/6/2022;\n"
           "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ quy định chi tiết "
           "thi hành một số điều của Luật Thi đua, khen thưởng;\n"
           "Theo đề nghị của Hội đồng Thi đua - Khen thưởng thành phố.")

# Long enough to wrap in the annex's columns, as offices write them.
LONG_UNIT = "Trạm Y tế phường Sông Cầu, Trung tâm Y tế thành phố Bắc Kạn"
LONG_CITATION = ("Đã có thành tích xuất sắc trong công tác phòng, chống dịch COVID-19, trực chốt "
                 "kiểm soát dịch và tham gia tiêm chủng vắc xin năm 2021")


def _decision(movement, form, nominees, by, number=1234):
    return decision_actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=number,
        issued_on=date(2021, 12, 20), signer=pipeline.council_people()["chair"],
        legal_grounds=GROUNDS, by=by)


@pytest.fixture
def decision(approved, movement, city_certificate, personas):
    """The city chairman's draft decision on the two people the council approved."""
    return _decision(movement, city_certificate, approved, personas.mai)


@pytest.fixture
def long_decision(decision):
    """The same decision with 300 lines: the annex runs over many pages."""
    first = decision.awards.first()
    Award.objects.bulk_create([
        Award(decision=decision, nominee=first.nominee, kind="individual",
              name=f"Lê Thị Hà {n:03d}", position="Y sĩ", unit_name=LONG_UNIT,
              citation=LONG_CITATION, cash=first.cash, order=n)
        for n in range(3, 303)])
    return decision


@pytest.fixture
def amendment(decision, personas):
    issued = decision_actions.issue_decision(decision, by=personas.binh)
    line = issued.awards.first()
    return decision_actions.draft_amendment(
        issued, corrections={line: {"name": "Nguyễn Thị Lân", "citation": LONG_CITATION}},
        number=1300, issued_on=date(2021, 12, 28), signer=issued.signer,
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng ngày 15/6/2022;\n"
                      "Căn cứ Quyết định số 1234/QĐ-UBND ngày 20/12/2021.", by=personas.mai)


@pytest.fixture
def upward_proposal(upward, movement, province_form, personas):
    return proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=upward, number=56,
        dated_on=date(2021, 12, 22), signer=pipeline.council_people()["chair"],
        grounds=GROUNDS, by=personas.mai)


@pytest.fixture
def unit_proposal(accepted):
    return accepted


@pytest.fixture
def return_notice(submitted, personas):
    return dossier_actions.return_dossier(submitted, deficiencies=[
        ("", "Tờ trình của đơn vị", "Thiếu chữ ký và dấu của thủ trưởng đơn vị"),
        ("", "Báo cáo thành tích — Nguyễn Thị Lan", "Chưa có xác nhận của thủ trưởng"),
    ], other="Bổ sung biên bản họp xét", by=personas.dung)


@pytest.fixture
def committee_meeting(forwarded):
    return Meeting.objects.get(kind=Meeting.Kind.COMMITTEE)


@pytest.fixture
def council_meeting(approved):
    return Meeting.objects.get(kind=Meeting.Kind.COUNCIL)


# kind key -> the fixture giving its object
KIND_FIXTURES = {
    "decision": "decision",
    "amendment": "amendment",
    "upward_proposal": "upward_proposal",
    "unit_proposal": "unit_proposal",
    "return_notice": "return_notice",
    "committee_proposal": "committee_meeting",
    "committee_minutes": "committee_meeting",
    "council_minutes": "council_meeting",
}
