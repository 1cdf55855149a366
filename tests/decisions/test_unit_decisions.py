"""Decisions within a unit's own authority: Sông Cầu ward's chairman awards the ward's Giấy khen
on the ward's own list; the city sees it in its register."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.pipeline import draft_ward, person
from thidua.core.models import Activity
from thidua.decisions import actions
from thidua.decisions.models import Decision
from thidua.decisions.queries import unit_signer_capacity
from thidua.decisions.rules import may_draft_unit_decision
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import AwardRecord
from thidua.orgs.models import Organisation

pytestmark = pytest.mark.django_db




def test_the_ward_drafts_and_its_chairman_issues(ward_list, personas, client_for):
    decision = draft_ward(ward_list, personas.hanh)
    assert decision.issuer == ward_list.organisation and decision.by_unit
    with pytest.raises(PermissionDenied):
        actions.issue_decision(decision, by=personas.hanh)
    decision = actions.issue_decision(decision, by=personas.tam)
    assert decision.state == Decision.State.ISSUED
    ward_list.refresh_from_db()
    assert ward_list.state == "decided_by_unit"
    assert ward_list.get_state_display() == "Đơn vị đã quyết định khen thưởng"
    records = AwardRecord.objects.filter(nominee__dossier=ward_list).order_by("subject__name")
    assert [(r.subject.name, r.decision_number) for r in records] == [
        ("Hà Thị Ngọc", "15/QĐ-UBND"), ("Triệu Văn Sơn", "15/QĐ-UBND")]
    assert {r.issuer_name for r in records} == {ward_list.organisation.name}
    serials = list(decision.awards.values_list("serial", flat=True))
    assert all(s.startswith(f"2021.{ward_list.organisation_id:03d}.") for s in serials)
    # The city sees the ward's decision; another ward does not see the draft of this one.
    page = client_for(personas.mai).get("/quyet-dinh/").content.decode()
    assert "Quyết định số 15/QĐ-UBND" in page
    assert "<title>Quyết định khen thưởng" in page and "<section" not in page.split("</title>")[0]
    summary = page[page.index('data-testid="decision-summary"'):]
    row = summary[summary.index(ward_list.organisation.name):].split("</tr>")[0]
    assert [c.split(">")[-1] for c in row.split("</td>")[1:4]] == ["1", "0", "2"]
    assert client_for(personas.thu).get(f"/quyet-dinh/{decision.pk}/").status_code == 404


def test_the_list_is_locked_once_in_a_decision(ward_list, personas):
    draft_ward(ward_list, personas.hanh)
    with pytest.raises(ValidationError, match="đã có trong quyết định khen thưởng của đơn vị"):
        dossier_actions.add_nominee(ward_list, person(name="Người Mới"), by=personas.hanh)
    with pytest.raises(ValidationError, match="đã có trong quyết định khác"):
        draft_ward(ward_list, personas.hanh, number=16)


def test_a_unit_form_is_not_submitted_to_the_city(ward_list, personas):
    with pytest.raises(ValidationError, match="thuộc thẩm quyền của"):
        dossier_actions.submit_dossier(ward_list, by=personas.tam)


def test_who_cannot_draft_a_unit_decision(ward_list, approved, personas):
    for who in [personas.thu, personas.mai, personas.binh, personas.stranger]:
        with pytest.raises(PermissionDenied):
            draft_ward(ward_list, who)
    city_dossier = approved[0].dossier
    with pytest.raises(ValidationError, match="không thuộc thẩm quyền"):
        actions.draft_unit_decision(
            city_dossier, nominees=approved, number=3, issued_on=date(2021, 12, 10),
            signer=personas.tam, legal_grounds="x", by=personas.hanh)
    with pytest.raises(ValidationError, match="không phải thủ trưởng"):
        actions.draft_unit_decision(
            ward_list, nominees=list(ward_list.nominees.all()), number=3,
            issued_on=date(2021, 12, 10), signer=personas.binh, legal_grounds="x",
            by=personas.hanh)
    assert not Decision.objects.filter(issuer=ward_list.organisation).exists()


def test_the_unit_form_page(ward_list, personas, client_for):
    url = f"/quyet-dinh/don-vi/ho-so/{ward_list.pk}/moi/"
    client = client_for(personas.hanh)
    page = client.get(url).content.decode()
    assert "Triệu Văn Sơn" in page and "Hà Thị Ngọc" in page
    response = client.post(url, {
        "number": 15, "series": "QĐ-UBND", "issued_on": "2021-12-10", "signer": personas.tam.pk,
        "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "legal_grounds": "Căn cứ …",
        "nominees": [n.pk for n in ward_list.nominees.all()]}, follow=True)
    decision = Decision.objects.get(issuer=ward_list.organisation)
    assert response.redirect_chain[-1][0] == f"/quyet-dinh/{decision.pk}/"
    assert decision.awards.count() == 2
    assert client_for(personas.mai).get(url).status_code == 404
    assert client_for(personas.thu).get(url).status_code == 404


def test_the_dossier_page_leads_to_the_unit_decision(ward_list, personas, client_for):
    page = client_for(personas.hanh).get(f"/ho-so/{ward_list.pk}/").content.decode()
    assert "thuộc thẩm quyền của" in page
    assert f"/quyet-dinh/don-vi/ho-so/{ward_list.pk}/moi/" in page
    assert f"/ho-so/{ward_list.pk}/trinh/" not in page
    decision = draft_ward(ward_list, personas.hanh)
    page = client_for(personas.tam).get(f"/ho-so/{ward_list.pk}/").content.decode()
    assert f'href="/quyet-dinh/{decision.pk}/"' in page
    assert f"/quyet-dinh/don-vi/ho-so/{ward_list.pk}/moi/" not in page  # the list is in a decision


def test_numbers_restart_each_year_without_clashing_in_the_register(ward_list, personas,
                                                                    movement):
    first = actions.issue_decision(draft_ward(ward_list, personas.hanh, number=1), by=personas.tam)
    form = ward_list.award_form
    again = dossier_actions.create_dossier(
        movement=movement, organisation=ward_list.organisation, award_form=form,
        unit_meeting_date=date(2022, 11, 15), unit_meeting_result="Thống nhất", by=personas.hanh)
    dossier_actions.add_nominee(again, person(name="Hà Thị Ngọc"), by=personas.hanh)
    nominee = again.nominees.get()
    nominee.subject = ward_list.nominees.get(full_name="Hà Thị Ngọc").subject
    nominee.save()
    second = actions.draft_unit_decision(
        again, nominees=[nominee], number=1, issued_on=date(2022, 12, 10), signer=personas.tam,
        legal_grounds="Căn cứ …", by=personas.hanh)
    second = actions.issue_decision(second, by=personas.tam)
    records = AwardRecord.objects.filter(subject=nominee.subject).order_by("decision_date")
    assert [(r.decision_number, r.decision_date.year) for r in records] == [
        ("1/QĐ-UBND", 2021), ("1/QĐ-UBND", 2022)]
    assert first.year != second.year


def test_a_clash_with_an_imported_line_is_refused_with_a_message(ward_list, personas):
    subject = ward_list.nominees.get(full_name="Hà Thị Ngọc").subject
    AwardRecord.objects.create(subject=subject, decision_number="15/QĐ-UBND",
                               award_name=ward_list.award_form.name,
                               decision_date=date(2021, 12, 10), source="import")
    decision = draft_ward(ward_list, personas.hanh)
    with pytest.raises(ValidationError, match="Sổ khen thưởng đã có"):
        actions.issue_decision(decision, by=personas.tam)
    decision.refresh_from_db()
    assert decision.state == Decision.State.DRAFT
    assert not decision.awards.exclude(serial=None).exists()
    assert AwardRecord.objects.count() == 1


def test_a_decided_list_cannot_be_withdrawn(ward_list, personas):
    actions.issue_decision(draft_ward(ward_list, personas.hanh), by=personas.tam)
    ward_list.refresh_from_db()
    with pytest.raises(ValidationError, match="không thể rút"):
        dossier_actions.withdraw_dossier(ward_list, by=personas.tam, reason="Rút")


def test_the_signer_finds_the_draft_on_the_home_page_and_the_list_leaves_the_officer_s(
        ward_list, personas, client_for):
    officer_home = client_for(personas.hanh).get("/viec-cua-toi/").content.decode()
    assert f"/ho-so/{ward_list.pk}/" in officer_home
    decision = draft_ward(ward_list, personas.hanh)
    home = client_for(personas.tam).get("/viec-cua-toi/").content.decode()
    assert 'data-testid="to-sign"' in home and f"/quyet-dinh/{decision.pk}/" in home
    assert personas.tam.notices.filter(text__contains="chờ anh/chị ký ban hành").exists()
    actions.issue_decision(decision, by=personas.tam)
    assert 'data-testid="to-sign"' not in client_for(personas.tam).get("/viec-cua-toi/").content.decode()
    officer_home = client_for(personas.hanh).get("/viec-cua-toi/").content.decode()
    assert f"/ho-so/{ward_list.pk}/" not in officer_home


def test_those_left_out_get_a_later_decision(ward_list, personas, client_for):
    son, ngoc = ward_list.nominees.order_by("order")
    first = actions.draft_unit_decision(
        ward_list, nominees=[son], number=15, issued_on=date(2021, 12, 10), signer=personas.tam,
        legal_grounds="Căn cứ …", by=personas.hanh)
    second = actions.draft_unit_decision(
        ward_list, nominees=[ngoc], number=16, issued_on=date(2021, 12, 10), signer=personas.tam,
        legal_grounds="Căn cứ …", by=personas.hanh)
    actions.issue_decision(first, by=personas.tam)
    actions.issue_decision(second, by=personas.tam)
    ward_list.refresh_from_db()
    assert ward_list.state == "decided_by_unit"
    assert AwardRecord.objects.filter(nominee__dossier=ward_list).count() == 2
    page = client_for(personas.hanh).get(f"/ho-so/{ward_list.pk}/").content.decode()
    assert f"/quyet-dinh/don-vi/ho-so/{ward_list.pk}/moi/" not in page  # nobody is left


def test_a_decided_list_still_takes_a_decision_for_the_rest(ward_list, personas, client_for):
    son, ngoc = ward_list.nominees.order_by("order")
    actions.issue_decision(actions.draft_unit_decision(
        ward_list, nominees=[son], number=15, issued_on=date(2021, 12, 10), signer=personas.tam,
        legal_grounds="Căn cứ …", by=personas.hanh), by=personas.tam)
    ward_list.refresh_from_db()
    page = client_for(personas.hanh).get(f"/ho-so/{ward_list.pk}/").content.decode()
    assert f"/quyet-dinh/don-vi/ho-so/{ward_list.pk}/moi/" in page
    later = actions.draft_unit_decision(
        ward_list, nominees=[ngoc], number=16, issued_on=date(2021, 12, 20), signer=personas.tam,
        legal_grounds="Căn cứ …", by=personas.hanh)
    assert actions.issue_decision(later, by=personas.tam).state == Decision.State.ISSUED


def test_issuing_settles_the_list_in_the_signers_name(ward_list, personas):
    decision = actions.issue_decision(draft_ward(ward_list, personas.hanh), by=personas.tam)
    settled = Activity.objects.for_object(ward_list).get(verb="dossier.decide_by_unit")
    assert settled.actor == personas.tam  # the chairman who signed, not "the system"
    assert settled.after["cause"] == str(decision)
    issued = Activity.objects.for_object(decision).get(verb="decision.issued")
    assert (issued.actor, issued.before, issued.after["state"], issued.after["awards"]) == (
        personas.tam, {"state": "draft"}, "issued", 2)


def test_only_the_units_own_staff_draft_and_only_its_own_forms(ward_list, approved, personas):
    assert may_draft_unit_decision(personas.hanh, ward_list)
    assert may_draft_unit_decision(personas.tam, ward_list)
    for who in [personas.thu, personas.mai, personas.binh, personas.stranger]:
        assert not may_draft_unit_decision(who, ward_list), who
    # The city's form on the ward's list is the city's to decide.
    assert not may_draft_unit_decision(personas.hanh, approved[0].dossier)


def test_a_ward_signs_for_its_committee_and_an_agency_by_its_head(ward_list, demo):
    assert unit_signer_capacity(ward_list.organisation) == Decision.Capacity.ON_BEHALF
    agency = Organisation.objects.get(code="phong-gddt-tp")
    assert unit_signer_capacity(agency) == Decision.Capacity.HEAD


def test_the_dossier_page_names_a_few_of_each_decision_and_links_the_rest(
        ward_list, personas, client_for, monkeypatch, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.decisions.templatetags import dossier_decisions

    client = client_for(personas.hanh)
    # Before any decision the page does not look for awards at all.
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(f"/ho-so/{ward_list.pk}/").content.decode()
    assert 'data-testid="dossier-outcome"' not in html
    assert not any(q["sql"].startswith('SELECT "decisions_award"."id"')
                   for q in ctx.captured_queries)
    decision = actions.issue_decision(draft_ward(ward_list, personas.hanh), by=personas.tam)
    monkeypatch.setattr(dossier_decisions, "NAMES_SHOWN", 1)
    html = client.get(f"/ho-so/{ward_list.pk}/").content.decode()
    outcome = html[html.index('data-testid="dossier-outcome"'):].split("</section>")[0]
    assert outcome.count("<li>") == 2  # one name, then the link to the rest
    assert "và 1 người, tập thể khác" in outcome
    assert f'href="{decision.get_absolute_url()}" data-testid="outcome-more"' in outcome
