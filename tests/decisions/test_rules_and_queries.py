"""Who may be put in a decision and what a person may do with one: the reads and rules the
pages and the actions share, so a page never offers what the action then refuses."""

from dataclasses import astuple

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.pipeline import draft_for
from thidua.decisions import actions, queries
from thidua.decisions.models import Decision
from thidua.decisions.rules import DecisionAbilities, decision_abilities
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Nominee

pytestmark = pytest.mark.django_db


def names(nominees):
    return sorted(n.full_name for n in nominees)


def test_those_the_council_approved_and_nobody_else_are_eligible(approved, movement,
                                                                 city_certificate, personas):
    assert names(queries.eligible_nominees(movement)) == ["Hoàng Văn Nam", "Nguyễn Thị Lan"]
    assert names(queries.eligible_nominees(movement, city_certificate)) == [
        "Hoàng Văn Nam", "Nguyễn Thị Lan"]
    # Lục Thị Hoa was not proposed by the committee; nobody is eligible for another form.
    other = movement.movement_award_forms.exclude(award_form=city_certificate).first().award_form
    assert names(queries.eligible_nominees(movement, other)) == []
    draft_for(movement, city_certificate, approved[:1], personas.mai)
    assert names(queries.eligible_nominees(movement)) == ["Hoàng Văn Nam"]


def test_a_withdrawn_dossiers_nominee_is_neither_offered_nor_accepted(
        approved, movement, city_certificate, personas, client_for):
    url = f"/quyet-dinh/phong-trao/{movement.slug}/moi/"
    client = client_for(personas.mai)
    assert "Nguyễn Thị Lan" in client.get(url).content.decode()
    dossier_actions.withdraw_dossier(approved[0].dossier, reason="Đơn vị xin rút",
                                     by=personas.tam)
    assert names(queries.eligible_nominees(movement)) == []
    page = client.get(url).content.decode()
    assert "Nguyễn Thị Lan" not in page and "Hoàng Văn Nam" not in page
    with pytest.raises(ValidationError, match="Nguyễn Thị Lan"):
        draft_for(movement, city_certificate, approved, personas.mai)
    # Posting the people anyway (a page opened before the withdrawal) drafts nothing.
    response = client.post(url, {
        "award_form": city_certificate.pk, "number": 1234, "series": "QĐ-UBND",
        "issued_on": "2021-12-20", "signer": personas.binh.pk,
        "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "legal_grounds": "Căn cứ …",
        "nominees": [n.pk for n in approved]})
    assert response.status_code == 200 and not Decision.objects.exists()


def test_a_draft_offers_issuing_to_its_signer_and_deleting_to_the_secretariat(
        approved, movement, city_certificate, personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    assert decision_abilities(personas.mai, decision) == DecisionAbilities(
        issue=False, delete=True, amend=False)
    assert decision_abilities(personas.binh, decision) == DecisionAbilities(
        issue=True, delete=False, amend=False)
    for user in [personas.hanh, personas.khanh, personas.stranger]:
        assert not any(astuple(decision_abilities(user, decision))), user


def test_an_issued_decision_offers_only_an_amendment_to_the_secretariat(
        approved, movement, city_certificate, personas):
    decision = actions.issue_decision(draft_for(movement, city_certificate, approved,
                                                personas.mai), by=personas.binh)
    assert decision_abilities(personas.mai, decision) == DecisionAbilities(
        issue=False, delete=False, amend=True, print_certificates=True)
    assert not any(astuple(decision_abilities(personas.binh, decision)))
    assert not any(astuple(decision_abilities(personas.hanh, decision)))


def test_the_default_citation_is_translated_but_written_in_vietnamese(
        movement, city_certificate, personas):
    with translation.override("en"):
        assert str(actions.DEFAULT_CITATION) == "Has achieved outstanding results in %(movement)s"
    assert str(actions.DEFAULT_CITATION).startswith("Đã có thành tích xuất sắc trong")


def test_a_decision_drafted_by_someone_reading_english_keeps_a_vietnamese_citation(
        approved, movement, city_certificate, personas):
    Nominee.objects.filter(pk__in=[n.pk for n in approved]).update(citation="")
    with translation.override("en"):
        decision = draft_for(movement, city_certificate, approved, personas.mai)
    citations = set(decision.awards.values_list("citation", flat=True))
    title = movement.short_title  # only its first letter is lowered: "COVID-19" keeps its capitals
    assert citations == {f"Đã có thành tích xuất sắc trong {title[:1].lower()}{title[1:]}"}
    assert "COVID-19" in citations.pop()
