"""Numbers of decisions and proposals are one per issuer, series and year whatever way the symbol
is typed — in the actions, and in the database under concurrency; a decision or proposal dated
before its movement or its council meeting, or far ahead, is refused with the dates to compare."""

import importlib
import unicodedata
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.pipeline import council_people
from thidua.core.numbers import clean_symbol, number_key
from thidua.decisions import actions, proposals
from thidua.decisions.models import Decision, Proposal

pytestmark = pytest.mark.django_db

# "QĐ-UBND" as offices type, paste and convert it.
SAME_SERIES = ["qđ-ubnd", "Qđ-Ubnd", " QĐ – UBND ", "QĐ\u2011UBND", "QĐ\u00a0-\u00a0UBND",
               unicodedata.normalize("NFD", "QĐ-UBND"), "QÐ-UBND", "QĐ－UBND", "QĐ\u200b-UBND"]


def draft_for(movement, form, nominees, by, number=1234, issued_on=date(2021, 12, 20), **extra):
    return actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=number,
        issued_on=issued_on, signer=council_people()["chair"], legal_grounds="Căn cứ;", by=by,
        **extra)


def draft_ward(dossier, by, number=15, issued_on=date(2021, 12, 10), **extra):
    return actions.draft_unit_decision(
        dossier, nominees=list(dossier.nominees.all()), number=number, issued_on=issued_on,
        signer=dossier.organisation.memberships.get(role="unit_head").user,
        legal_grounds="Căn cứ;", by=by, **extra)


def draft_proposal(movement, form, nominees, by, number=56, dated_on=date(2021, 12, 22),
                   **extra):
    return proposals.draft_proposal(
        movement=movement, award_form=form, nominees=nominees, number=number, dated_on=dated_on,
        signer=council_people()["chair"], grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=by,
        **extra)


# --- the same number, typed another way ----------------------------------------------------

@pytest.mark.parametrize("series", SAME_SERIES)
def test_a_number_typed_another_way_is_the_number_already_issued(approved, movement,
                                                                 city_certificate, personas,
                                                                 series):
    first = draft_for(movement, city_certificate, approved[:1], personas.mai, number=125)
    actions.issue_decision(first, by=personas.binh)
    with pytest.raises(ValidationError, match="Số 125/QĐ-UBND năm 2021 đã được dùng"):
        draft_for(movement, city_certificate, approved[1:], personas.mai, number=125,
                  series=series)
    assert Decision.objects.count() == 1
    # Another number, or another series, is free.
    other = draft_for(movement, city_certificate, approved[1:], personas.mai, number=126,
                      series=series)
    assert other.number_label == f"126/{clean_symbol(series)}" and other.series_key == "qd-ubnd"


def test_the_symbol_is_kept_tidy_and_a_symbol_that_is_no_symbol_is_refused(
        approved, movement, city_certificate, personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai,
                         series=" QĐ – UBND\u200b ")
    assert decision.series == "QĐ-UBND" and decision.number_label == "1234/QĐ-UBND"
    assert decision.series_key == number_key("QĐ-UBND") == "qd-ubnd"
    decision.delete()
    for bad in ["", "   ", "QĐ UBND!", "--", "QĐ--UBND", "1234", "<b>QĐ</b>", "QĐ-UBND-" + "X" * 40]:
        with pytest.raises(ValidationError, match="Ký hiệu"):
            draft_for(movement, city_certificate, approved, personas.mai, series=bad)
    assert not Decision.objects.exists()


def test_two_drafts_numbered_alike_cannot_both_be_issued(approved, movement, city_certificate,
                                                          personas):
    """Drafts may share a number (nothing is taken until issuing); the second to be issued is
    refused by the unique index on the normalised key, with the product's message."""
    one = draft_for(movement, city_certificate, approved[:1], personas.mai, number=7)
    two = draft_for(movement, city_certificate, approved[1:], personas.mai, number=7,
                    series="qđ – ubnd")
    actions.issue_decision(one, by=personas.binh)
    with pytest.raises(ValidationError, match="đã được dùng cho quyết định khác"):
        actions.issue_decision(two, by=personas.binh)
    two.refresh_from_db()
    assert two.state == Decision.State.DRAFT and not two.awards.exclude(serial=None).exists()


def test_the_database_itself_refuses_a_second_issued_number(approved, movement, city_certificate,
                                                             personas):
    one = draft_for(movement, city_certificate, approved[:1], personas.mai, number=8)
    two = draft_for(movement, city_certificate, approved[1:], personas.mai, number=8,
                    series="QÐ-ubnd")
    actions.issue_decision(one, by=personas.binh)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=two.pk).update(state=Decision.State.ISSUED)


def test_a_units_own_numbers_are_its_own_and_compared_by_key(ward_list, approved, movement,
                                                             city_certificate, personas):
    city = draft_for(movement, city_certificate, approved, personas.mai, number=15)
    actions.issue_decision(city, by=personas.binh)
    # The ward's 15/QĐ-UBND is another issuer's number.
    ward = draft_ward(ward_list, personas.hanh, number=15)
    actions.issue_decision(ward, by=personas.tam)
    with pytest.raises(ValidationError, match="đã được dùng"):
        actions.draft_amendment(ward, corrections={ward.awards.first(): {"unit_name": "Phường"}},
                                number=15, issued_on=date(2021, 12, 12),
                                signer=ward.signer, legal_grounds="Căn cứ;",
                                series="qđ-UBND", by=personas.hanh)


@pytest.mark.parametrize("series", ["ttr-ubnd", " TTr – UBND ", "TTR-UBND"])
def test_a_proposal_number_typed_another_way_is_taken(upward, movement, province_form, personas,
                                                      series):
    first = draft_proposal(movement, province_form, upward[:1], personas.mai)
    proposals.send_proposal(first, by=personas.mai, expected_state="draft")
    with pytest.raises(ValidationError, match="đã được dùng cho tờ trình khác"):
        draft_proposal(movement, province_form, upward[1:], personas.mai, series=series)
    # Two drafts alike: the second cannot be sent.
    second = draft_proposal(movement, province_form, upward[1:], personas.mai, number=57,
                            series=series)
    third_key = number_key(series)
    assert second.series_key == third_key == "ttr-ubnd"
    Proposal.objects.filter(pk=second.pk).update(number=56)  # as if typed so before any send
    with pytest.raises(ValidationError, match="đã được dùng cho tờ trình khác"):
        proposals.send_proposal(Proposal.objects.get(pk=second.pk), by=personas.mai,
                                expected_state="draft")
    assert Proposal.objects.get(pk=second.pk).state == Proposal.State.DRAFT
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=second.pk).update(state=Proposal.State.SENT)


# --- rows numbered before the check --------------------------------------------------------

def test_the_migration_keys_every_row_and_marks_duplicates_instead_of_failing(
        approved, movement, city_certificate, personas, capsys):
    migration = importlib.import_module(
        "thidua.decisions.migrations.0007_number_keys_and_verify_codes")
    one = draft_for(movement, city_certificate, approved[:1], personas.mai, number=3)
    two = draft_for(movement, city_certificate, approved[1:], personas.mai, number=3,
                    series="qđ-ubnd")
    actions.issue_decision(one, by=personas.binh)
    # Before 0008 the index compared the symbols as typed: both could be issued.
    Decision.objects.filter(pk=two.pk).update(state=Decision.State.ISSUED, series="qđ-ubnd",
                                              series_key="as-before")
    Decision.objects.filter(pk=one.pk).update(series_key="")
    migration.keys(apps, None)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.series_key == "qd-ubnd" and not one.number_duplicated
    assert two.series_key == f"qd-ubnd #{two.pk}" and two.number_duplicated
    assert f"Decision {two.pk}" in capsys.readouterr().out
    # Saving the marked row keeps its mark (a proposal's later moves save it).
    two.save()
    assert Decision.objects.get(pk=two.pk).series_key == f"qd-ubnd #{two.pk}"


def test_a_duplicated_number_is_flagged_on_its_page(approved, movement, city_certificate,
                                                     personas, client_for):
    one = draft_for(movement, city_certificate, approved[:1], personas.mai, number=3)
    actions.issue_decision(one, by=personas.binh)
    two = draft_for(movement, city_certificate, approved[1:], personas.mai, number=4)
    actions.issue_decision(two, by=personas.binh)
    Decision.objects.filter(pk=two.pk).update(number=3, series_key=f"qd-ubnd #{two.pk}")
    page = client_for(personas.mai).get(f"/quyet-dinh/{two.pk}/").content.decode()
    assert 'data-testid="number-duplicated"' in page
    page = client_for(personas.mai).get(f"/quyet-dinh/{one.pk}/").content.decode()
    assert 'data-testid="number-duplicated"' not in page


# --- dates ---------------------------------------------------------------------------------

def test_a_decision_is_not_dated_before_its_movement_or_its_council(approved, movement,
                                                                    city_certificate, personas):
    start = min(movement.issued_on, movement.launched_on)
    with pytest.raises(ValidationError, match=f"trước ngày phát động phong trào "
                                              f"\\({start:%d/%m/%Y}\\)"):
        draft_for(movement, city_certificate, approved, personas.mai,
                  issued_on=start - timedelta(days=1))
    with pytest.raises(ValidationError, match="trước phiên họp Hội đồng .* \\(15/12/2021\\)"):
        draft_for(movement, city_certificate, approved, personas.mai, issued_on=date(2021, 12, 14))
    assert not Decision.objects.exists()
    assert draft_for(movement, city_certificate, approved, personas.mai,
                     issued_on=date(2021, 12, 15)).issued_on == date(2021, 12, 15)


def test_a_decision_far_in_the_future_is_refused(approved, movement, city_certificate, personas):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="còn hơn 30 ngày nữa"):
        draft_for(movement, city_certificate, approved, personas.mai,
                  issued_on=today + timedelta(days=31))
    with pytest.raises(ValidationError, match="còn hơn 30 ngày nữa"):
        draft_for(movement, city_certificate, approved, personas.mai, issued_on=date(2201, 1, 1))
    assert not Decision.objects.exists()
    assert draft_for(movement, city_certificate, approved, personas.mai,
                     issued_on=today + timedelta(days=30)).year == (today + timedelta(days=30)).year


def test_a_units_decision_is_not_dated_before_the_units_meeting(ward_list, personas):
    # The ward met on 15/11/2021 (tests/pipeline.py).
    with pytest.raises(ValidationError, match="trước ngày đơn vị họp xét .* \\(15/11/2021\\)"):
        draft_ward(ward_list, personas.hanh, issued_on=date(2021, 11, 14))
    assert not Decision.objects.exists()


def test_a_proposal_is_dated_like_a_decision(upward, movement, province_form, personas):
    with pytest.raises(ValidationError, match="trước phiên họp Hội đồng"):
        draft_proposal(movement, province_form, upward, personas.mai, dated_on=date(2021, 12, 1))
    with pytest.raises(ValidationError, match="còn hơn 30 ngày nữa"):
        draft_proposal(movement, province_form, upward, personas.mai,
                       dated_on=timezone.localdate() + timedelta(days=365))
    with pytest.raises(ValidationError, match="trước ngày phát động"):
        draft_proposal(movement, province_form, upward, personas.mai, dated_on=date(2020, 1, 1))
    assert not Proposal.objects.exists()


def test_an_amendment_is_not_dated_far_ahead_or_before_the_original(approved, movement,
                                                                     city_certificate, personas):
    original = actions.issue_decision(draft_for(movement, city_certificate, approved,
                                                personas.mai), by=personas.binh)
    line = original.awards.first()
    for day, message in [(timezone.localdate() + timedelta(days=400), "còn hơn 30 ngày nữa"),
                         (date(2021, 12, 19), "không thể ký trước quyết định được sửa đổi")]:
        with pytest.raises(ValidationError, match=message):
            actions.draft_amendment(original, corrections={line: {"name": "Nguyễn Thị Lân"}},
                                    number=99, issued_on=day, signer=original.signer,
                                    legal_grounds="Căn cứ;", by=personas.mai)
    assert Decision.objects.count() == 1


def test_the_form_shows_why_a_date_is_refused(approved, movement, city_certificate, personas,
                                             client_for):
    page = client_for(personas.mai).post(f"/quyet-dinh/phong-trao/{movement.slug}/moi/", {
        "award_form": city_certificate.pk, "number": 77, "series": "QĐ-UBND",
        "issued_on": "2021-12-01", "signer": council_people()["chair"].pk,
        "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "legal_grounds": "Căn cứ;",
        "nominees": [n.pk for n in approved]})
    assert page.status_code == 200
    assert "trước phiên họp Hội đồng Thi đua - Khen thưởng xét danh sách này (15/12/2021)" in (
        page.content.decode())
    assert not Decision.objects.exists()
