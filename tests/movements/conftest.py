"""A small movement the office sets up in the product: three wards, two criteria, deadlines
counted from today."""

from datetime import date, timedelta

import pytest

from thidua.movements import actions
from thidua.movements.models import Movement, ParticipantKind, ReportPeriod
from thidua.orgs.models import Organisation, today
from thidua.rulesets.models import RuleSet

WARDS = ["phuong-song-cau", "phuong-duc-xuan", "phuong-phung-chi-kien"]


def org(code):
    return Organisation.objects.get(code=code)


def draft_movement(by, **overrides):
    fields = {
        "title": "Phong trào thi đua “Phường sáng, xanh, sạch, đẹp” năm 2026",
        "short_title": "Phường sáng, xanh, sạch, đẹp",
        "number": "41/KH-UBND", "document_kind": "Kế hoạch",
        "issuer": org("ubnd-tp-bac-kan"), "issued_on": date(2026, 3, 1),
        "launched_on": date(2026, 3, 2), "ends_on": None, "place": "TP. Bắc Kạn",
        "signer_name": "Ma Văn Bình", "signer_title": "Chủ tịch",
        "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "scope": "district", "stream": "themed",
        "rule_set": RuleSet.objects.get(code="2021"),
        "receiving_office": org("vp-hdnd-ubnd-tp"),
        "council_secretariat": org("phong-noi-vu-tp"),
        "registration_deadline": today() + timedelta(days=5),
        "plan_deadline": today() + timedelta(days=10),
        "dossier_deadline": today() + timedelta(days=60),
        "criteria_intro": "",
    }
    fields.update(overrides)
    return actions.create_movement(by=by, **fields)


def set_up(movement, by, wards=WARDS):
    actions.add_content_area(movement, by=by, code="1", title="Vệ sinh môi trường",
                             text="Thu gom rác thải, trồng cây xanh.",
                             organisations=[org("phuong-song-cau")])
    actions.add_criterion(movement, by=by, code="1", title="Tỷ lệ hộ phân loại rác",
                          participant_kind=ParticipantKind.PARTY_AND_GOVERNMENT)
    actions.add_criterion(movement, by=by, code="2", title="Không có điểm tập kết rác tự phát",
                          participant_kind=ParticipantKind.PARTY_AND_GOVERNMENT)
    actions.add_participants(movement, by=by, organisations=[org(c) for c in wards])
    actions.add_period(movement, by=by, kind=ReportPeriod.Kind.MID_TERM, title="Sơ kết 6 tháng",
                       starts_on=today() - timedelta(days=30), ends_on=today() + timedelta(days=15),
                       due_on=today() + timedelta(days=20))
    return Movement.objects.get(pk=movement.pk)


@pytest.fixture
def wards_draft(personas):
    """A draft of the city for three wards, set up by Phòng Nội vụ (mai)."""
    return set_up(draft_movement(personas.mai), personas.mai)


@pytest.fixture
def wards(wards_draft, personas):
    """The same movement, launched."""
    return actions.launch_movement(wards_draft, by=personas.mai)
