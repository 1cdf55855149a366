"""Proposing an exemplar as a nominee ("?guong=<pk>" on the dossier's "add" form) fills in what
the exemplar is for — its content area and participant kind — when it belongs to the dossier's
movement; never another movement's, never for someone who may not see the exemplar."""

import re

import pytest

from tests import pipeline
from tests.nominations.test_classification import other_movement
from thidua.exemplars.models import Exemplar
from thidua.exemplars.queries import nominee_prefill
from thidua.movements.models import ContentArea
from thidua.nominations.models import Nominee

pytestmark = pytest.mark.django_db


def selected(html: str, name: str) -> list[str]:
    """The values of the selected options of the form's ``name`` select."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)


def add_form(client, dossier, exemplar):
    page = client.get(f"/ho-so/{dossier.pk}/them-nguoi/?guong={exemplar.pk}")
    return page.status_code, page.content.decode()


@pytest.fixture
def area(movement):
    return ContentArea.objects.get(movement=movement, code="2.5")


def test_an_exemplar_of_the_dossiers_movement_gives_its_area_and_kind(
        make_exemplar, draft, area, personas, client_for):
    exemplar = make_exemplar(content_area=area, participant_kind="frontline")
    assert nominee_prefill(exemplar, draft.movement) == {
        "kind": "individual", "full_name": "Nguyễn Thị Lan",
        "unit_name": exemplar.organisation.name, "achievement_summary": "Ba tuần nấu cơm miễn phí.",
        "content_area": area.pk, "participant_kind": "frontline"}
    client = client_for(personas.hanh)
    status, html = add_form(client, draft, exemplar)
    assert status == 200
    assert selected(html, "content_area") == [str(area.pk)]
    assert selected(html, "participant_kind") == ["frontline"]
    # Sent as prefilled (the officer adds what an exemplar never holds), the nominee has them.
    response = client.post(f"/ho-so/{draft.pk}/them-nguoi/", {
        "kind": "individual", "full_name": "Nguyễn Thị Lan Anh", "gender": "female",
        "birth_year": "1988", "unit_name": exemplar.organisation.name,
        "content_area": str(area.pk), "participant_kind": "frontline"})
    assert response.status_code == 302
    added = Nominee.objects.get(dossier=draft, full_name="Nguyễn Thị Lan Anh")
    assert (added.content_area, added.participant_kind) == (area, "frontline")


def test_only_what_the_exemplar_has(make_exemplar, draft, area, personas, client_for):
    only_area = make_exemplar(title="Chỉ có nội dung", content_area=area)
    initial = nominee_prefill(only_area, draft.movement)
    assert initial["content_area"] == area.pk and "participant_kind" not in initial
    bare = make_exemplar(title="Không phân loại", person="Hoàng Văn Nam")
    initial = nominee_prefill(bare, draft.movement)
    assert "content_area" not in initial and "participant_kind" not in initial
    status, html = add_form(client_for(personas.hanh), draft, bare)
    assert status == 200
    assert selected(html, "content_area") == [""] and selected(html, "participant_kind") == [""]
    assert 'value="Hoàng Văn Nam"' in html  # the rest is still filled in


def test_an_exemplar_of_another_movement_gives_neither(make_exemplar, draft, personas,
                                                       client_for):
    foreign_area = other_movement(personas.mai)
    exemplar = make_exemplar()
    # The exemplar as another movement would hold it (with that movement's own area): set on
    # the row, since recording one needs a launched movement and the second one is a draft.
    Exemplar.objects.filter(pk=exemplar.pk).update(movement=foreign_area.movement,
                                                   content_area=foreign_area,
                                                   participant_kind="citizens")
    exemplar.refresh_from_db()
    initial = nominee_prefill(exemplar, draft.movement)
    assert "content_area" not in initial and "participant_kind" not in initial
    assert initial["full_name"] == "Nguyễn Thị Lan"
    # Without the dossier's movement (an older caller), nothing of the plan is given either.
    assert "content_area" not in nominee_prefill(exemplar)
    status, html = add_form(client_for(personas.hanh), draft, exemplar)
    assert status == 200
    assert selected(html, "content_area") == [""] and selected(html, "participant_kind") == [""]
    assert f'value="{foreign_area.pk}"' not in html  # not even offered


def test_an_exemplar_the_officer_may_not_see_prefills_nothing(make_exemplar, area, movement,
                                                            city_certificate, personas,
                                                            client_for):
    exemplar = make_exemplar(content_area=area, participant_kind="frontline")  # Sông Cầu's draft
    ducxuan = pipeline.new_draft(movement, city_certificate, personas.thu,
                                 pipeline.person(name="Lý Thị Mai"))
    status, _html = add_form(client_for(personas.thu), ducxuan, exemplar)
    assert status == 404
