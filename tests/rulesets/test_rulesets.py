"""Rule sets as data: the seed, its unverified flags, reloading, and look-up by date."""

from datetime import date
from decimal import Decimal

import pytest
import yaml

from thidua.rulesets.loader import DEFAULT_PATH, load_rule_sets
from thidua.rulesets.models import (
    AwardForm,
    BaseSalary,
    DocumentRequirement,
    DocumentType,
    RuleSet,
)

pytestmark = pytest.mark.django_db


def counts():
    return (RuleSet.objects.count(), AwardForm.objects.count(),
            DocumentRequirement.objects.count(), BaseSalary.objects.count())


def test_loading_twice_changes_nothing(demo):
    before = counts()
    snapshot = list(AwardForm.objects.order_by("pk").values())
    written = load_rule_sets()
    assert written == {"base_salaries": 0, "rule_sets": 0, "award_forms": 0, "requirements": 0}
    assert counts() == before
    assert list(AwardForm.objects.order_by("pk").values()) == snapshot


def test_a_corrected_fixture_updates_in_place(demo, tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["rule_sets"][0]["quorum_percent"] = 75
    data["rule_sets"][0]["unverified"] = []
    path = tmp_path / "rulesets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pk = RuleSet.objects.get(code="2021").pk
    written = load_rule_sets(path)
    assert written["rule_sets"] == 1
    rule_set = RuleSet.objects.get(code="2021")
    assert rule_set.pk == pk and rule_set.quorum_percent == 75
    assert not rule_set.is_unverified("quorum_percent")


@pytest.mark.parametrize("day, code", [
    (date(2021, 10, 26), "2021"),
    (date(2023, 12, 31), "2021"),
    (date(2024, 1, 1), "2024"),
    (date(2025, 6, 30), "2024"),
    (date(2025, 7, 1), "2025"),
    (date(2026, 11, 29), "2025"),
])
def test_rule_set_in_force_on_a_date(demo, day, code):
    assert RuleSet.objects.in_force_on(day).code == code


def test_no_rule_set_before_the_first_legal_basis(demo):
    with pytest.raises(RuleSet.DoesNotExist):
        RuleSet.objects.in_force_on(date(2010, 1, 1))


def test_2021_set_holds_the_plans_award_forms_with_authorities(demo):
    forms = {f.code: f for f in RuleSet.objects.get(code="2021").award_forms.all()}
    assert len(forms) == 10
    assert forms["huan-chuong-lao-dong-hang-ba"].get_authority_display() == "Chủ tịch nước"
    assert forms["bang-khen-thu-tuong"].authority == "prime_minister"
    city = forms["giay-khen-chu-tich-ubnd-huyen"]
    assert city.decided_locally and not forms["bang-khen-chu-tich-ubnd-tinh"].decided_locally
    assert city.proposer_levels == ["commune", "unit"]
    assert city.cash_multiplier_individual == Decimal("0.30")
    assert city.is_unverified("cash_multiplier_individual")
    assert forms["huan-chuong-lao-dong-hang-nhat"].disclosure_working_days == 10


def test_voting_rules_from_decree_98_are_verified_and_inferred_ones_are_flagged(demo):
    forms = {f.code: f for f in RuleSet.objects.get(code="2024").award_forms.all()}
    cstd = forms["chien-si-thi-dua-cap-tinh"]
    assert (cstd.vote_threshold_percent, cstd.vote_comparison, cstd.vote_base) == (
        90, "at_least", "all")
    assert not cstd.is_unverified("vote_threshold_percent")
    assert forms["chien-si-thi-dua-co-so"].vote_threshold_percent == 80
    assert forms["co-thi-dua-cap-tinh"].vote_threshold_percent == 80
    assert forms["giay-khen-chu-tich-ubnd-huyen"].is_unverified("vote_threshold_percent")
    assert RuleSet.objects.get(code="2024").is_unverified("quorum_percent")


def test_2025_set_has_no_district_certificate(demo):
    codes = set(RuleSet.objects.get(code="2025").award_forms.values_list("code", flat=True))
    assert "giay-khen-chu-tich-ubnd-huyen" not in codes
    assert "giay-khen-chu-tich-ubnd-xa" in codes
    cstd = AwardForm.objects.get(rule_set__code="2025", code="chien-si-thi-dua-co-so")
    assert cstd.authority == "commune_chairman" and cstd.is_unverified("authority")


def test_required_documents_depend_on_procedure(demo):
    rule_set = RuleSet.objects.get(code="2021")
    form = rule_set.award_forms.get(code="giay-khen-chu-tich-ubnd-huyen")
    normal = {r.document_type for r in rule_set.requirements_for(form, "individual", "normal")}
    simple = {r.document_type for r in rule_set.requirements_for(form, "individual", "simplified")}
    assert DocumentType.ACHIEVEMENT_REPORT in normal and DocumentType.ACHIEVEMENT_SUMMARY not in normal
    assert DocumentType.ACHIEVEMENT_SUMMARY in simple and DocumentType.ACHIEVEMENT_REPORT not in simple
    unit_minutes = rule_set.document_requirements.get(document_type=DocumentType.UNIT_MINUTES)
    assert unit_minutes.original is False and unit_minutes.count == 1


def test_base_salary_on_a_date(demo):
    assert BaseSalary.on(date(2021, 10, 26)).amount == 1_490_000
    assert BaseSalary.on(date(2024, 7, 1)).amount == 2_340_000
    assert BaseSalary.on(date(2024, 7, 1)).is_unverified("amount")
