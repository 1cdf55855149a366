"""Decision fixtures: the council approved Nguyễn Thị Lan and Hoàng Văn Nam for the city
chairman's Giấy khen."""

from datetime import date

import pytest

from tests.reviews.conftest import (  # noqa: F401 - fixtures shared by name
    _media,
    accepted,
    city_certificate,
    council,
    council_people,
    draft,
    forwarded,
    movement,
)
from thidua.decisions import actions
from thidua.nominations.models import Nominee
from thidua.reviews import actions as review_actions


@pytest.fixture
def approved(council):  # noqa: F811
    people = council_people()
    for key in ["chair", "vice", "member", "health"]:
        for item in council.items.all():
            review_actions.cast_vote(item, choice="agree", by=people[key])
    review_actions.close_meeting(council, by=people["secretary"])
    return list(Nominee.objects.filter(council_outcome="approved_local").order_by("order"))


def draft_for(movement, form, nominees, by, number=1234, **extra):  # noqa: F811
    return actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=number,
        issued_on=date(2021, 12, 20), signer=council_people()["chair"],
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;\nTheo đề nghị của Hội đồng.", by=by,
        **extra)
