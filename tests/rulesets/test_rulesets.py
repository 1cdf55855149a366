"""Rule sets as data: the seed, its unverified flags, reloading, and look-up by date."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

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
    data["rule_sets"][0]["quorum"] = "3/4"
    data["rule_sets"][0]["unverified"] = []
    path = tmp_path / "rulesets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pk = RuleSet.objects.get(code="2021").pk
    written = load_rule_sets(path)
    assert written["rule_sets"] == 1
    rule_set = RuleSet.objects.get(code="2021")
    assert rule_set.pk == pk and rule_set.quorum == Fraction(3, 4)
    assert not rule_set.is_unverified("quorum")


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
    assert (cstd.vote_threshold, cstd.vote_comparison, cstd.vote_base) == (
        Fraction(9, 10), "at_least", "all")
    assert not cstd.is_unverified("vote_threshold") and not cstd.vote_rule_unverified
    assert cstd.vote_rule_text == "từ 90% tổng số thành viên Hội đồng trở lên"
    assert forms["chien-si-thi-dua-co-so"].vote_threshold == Fraction(4, 5)
    assert forms["co-thi-dua-cap-tinh"].vote_threshold == Fraction(4, 5)
    assert forms["giay-khen-chu-tich-ubnd-huyen"].is_unverified("vote_threshold")
    assert forms["giay-khen-chu-tich-ubnd-huyen"].vote_rule_unverified
    assert (forms["giay-khen-chu-tich-ubnd-huyen"].vote_rule_text
            == "trên 50% số thành viên Hội đồng dự họp")


def test_the_quorum_is_two_thirds_and_recusals_stay_in_the_base(demo):
    for rule_set in RuleSet.objects.all():
        # "Two thirds" (DOMAIN.md marks the quorum [I]): exact, and flagged until confirmed.
        assert rule_set.quorum == Fraction(2, 3) and rule_set.quorum_text == "2/3"
        assert rule_set.is_unverified("quorum")
        # The words of the rule ("tổng số thành viên Hội đồng") count a recused member.
        assert rule_set.recusals_leave_base is False


def _fixture_with(tmp_path, change):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rulesets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("value, message", [
    ("67", "phần trăm nguyên"), (67, "phần trăm nguyên"), ("66.67%", "phần trăm nguyên"),
    ("0.667", "phần trăm nguyên"), ("4/3", "không quá 100%"), (None, "không hợp lệ"),
])
def test_a_quorum_that_is_not_an_exact_ratio_is_refused(demo, tmp_path, value, message):
    path = _fixture_with(tmp_path, lambda data: data["rule_sets"][0].update(quorum=value))
    before = list(RuleSet.objects.values_list("code", "quorum"))
    with pytest.raises(ValidationError, match=message) as refused:
        load_rule_sets(path)
    assert "Bộ quy tắc “2021”, trường “Tỷ lệ thành viên tối thiểu có mặt”" in str(refused.value)
    assert list(RuleSet.objects.values_list("code", "quorum")) == before
    with pytest.raises(CommandError, match=message):
        call_command("load_rulesets", str(path))


def test_a_threshold_written_as_a_bare_number_is_refused(demo, tmp_path):
    def change(data):
        data["rule_sets"][1]["award_forms"][5]["vote"]["threshold"] = 90
    path = _fixture_with(tmp_path, change)
    with pytest.raises(ValidationError, match="trường “Tỷ lệ phiếu đồng ý”: Tỷ lệ “90”"):
        load_rule_sets(path)


@pytest.mark.parametrize("where, field, limit", [
    (lambda d: d["rule_sets"][0], "note", 2000),
    (lambda d: d["rule_sets"][0], "legal_basis", 2000),
    (lambda d: d["rule_sets"][0], "name", 255),
    (lambda d: d["rule_sets"][0]["award_forms"][0], "note", 1000),
    (lambda d: d["rule_sets"][0]["award_forms"][0], "short_name", 100),
    (lambda d: d["rule_sets"][0]["document_requirements"][0], "note", 255),
    (lambda d: d["base_salaries"][0], "legal_reference", 255),
])
def test_a_text_longer_than_its_field_is_refused_naming_it(demo, tmp_path, where, field, limit):
    path = _fixture_with(tmp_path, lambda data: where(data).update({field: "x" * (limit + 1)}))
    before = (list(RuleSet.objects.values()), list(AwardForm.objects.values()))
    with pytest.raises(ValidationError, match=f"dài {limit + 1} ký tự, tối đa {limit} ký tự"):
        load_rule_sets(path)
    assert (list(RuleSet.objects.values()), list(AwardForm.objects.values())) == before
    # exactly at the limit is fine
    path = _fixture_with(tmp_path, lambda data: where(data).update({field: "x" * limit}))
    assert load_rule_sets(path)


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


def test_the_admin_form_takes_exact_ratios_and_states_and_enforces_text_limits(demo, personas,
                                                                               client_for):
    from django.contrib import admin
    from django.test import RequestFactory

    rule_set = RuleSet.objects.get(code="2021")
    page = client_for(personas.admin).get(
        f"/quan-tri/rulesets/ruleset/{rule_set.pk}/change/").content.decode()
    assert 'name="quorum" value="2/3"' in page
    assert 'maxlength="2000"' in page and "Tối đa 2000 ký tự." in page
    assert "không dùng số thập phân" in page

    request = RequestFactory().get("/")
    request.user = personas.admin
    form_class = admin.site._registry[RuleSet].get_form(request, rule_set)
    data = {**{f: getattr(rule_set, f) for f in ["code", "name", "legal_basis", "valid_from",
                                                   "note"]},
            "quorum": "66,67%", "written_votes_count": "on", "unverified_fields": "[]"}
    form = form_class(data, instance=rule_set)
    assert not form.is_valid() and "phân số" in str(form.errors["quorum"])
    form = form_class({**data, "quorum": "3/4", "note": "x" * 2001}, instance=rule_set)
    assert not form.is_valid() and "note" in form.errors
    form = form_class({**data, "quorum": "3/4"}, instance=rule_set)
    assert form.is_valid(), form.errors
    form.save()
    assert RuleSet.objects.get(pk=rule_set.pk).quorum == Fraction(3, 4)
