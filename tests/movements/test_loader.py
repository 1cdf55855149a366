"""The seed movement as data: plan 23/KH-UBND, loaded from its YAML fixture."""

from datetime import date

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from thidua.movements.loader import SEED_PLAN, load_movement
from thidua.movements.models import (
    ContentArea,
    Criterion,
    DossierComponent,
    Movement,
    MovementAwardForm,
    ParentDocument,
    PlanItem,
)

pytestmark = pytest.mark.django_db


def plan_rows():
    return [m.objects.count() for m in (Movement, ParentDocument, ContentArea, Criterion,
                                         PlanItem, MovementAwardForm, DossierComponent)]


def test_seed_plan_is_encoded_whole(demo):
    movement = Movement.objects.get(number="23/KH-UBND")
    assert movement.issuer.code == "ubnd-tp-bac-kan"
    assert (movement.issued_on, movement.launched_on) == (date(2021, 10, 26), date(2021, 10, 25))
    assert movement.signer_name == "Dương Hữu Bường"
    assert movement.rule_set.code == "2021"
    assert movement.receiving_office.code == "vp-hdnd-ubnd-tp"
    assert movement.council_secretariat.code == "phong-noi-vu-tp"
    assert set(movement.communications_editors.values_list("code", flat=True)) == {
        "phong-vhtt-tp", "ttvhttt-tp", "ban-tuyen-giao-tu"}
    assert list(movement.parents.values_list("number", flat=True)) == ["1497/QĐ-TTg", "613/KH-UBND"]
    assert list(movement.content_areas.values_list("code", flat=True)) == [
        "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert list(movement.criteria.values_list("participant_kind", flat=True)) == [
        "agencies", "party_and_government", "front_and_mass_organisations", "frontline",
        "enterprises", "citizens", "press"]
    sections = {s: movement.plan_items.filter(section=s).count() for s in PlanItem.Section.values}
    assert sections == {"purpose": 4, "solution": 5, "honouree_group": 4, "procedure_step": 2,
                        "responsibility": 5}
    assert movement.movement_award_forms.count() == 10
    components = movement.dossier_components.all()
    assert [(c.document_type, c.original) for c in components] == [
        ("committee_submission", True), ("committee_minutes", True),
        ("unit_submission", False), ("unit_minutes", False), ("achievement_report", True)]
    receiving = movement.plan_items.get(section="responsibility", code="V.4")
    assert list(receiving.organisations.values_list("code", flat=True)) == ["vp-hdnd-ubnd-tp"]
    assert "5K" in movement.criteria_intro


def test_loading_twice_changes_nothing(demo):
    before = plan_rows()
    movement = Movement.objects.get(number="23/KH-UBND")
    texts = list(movement.content_areas.values_list("pk", "text"))
    again, written = load_movement()
    assert written == 0 and again.pk == movement.pk
    assert plan_rows() == before
    assert list(movement.content_areas.values_list("pk", "text")) == texts


def test_a_corrected_plan_updates_rows_in_place(demo, tmp_path):
    data = yaml.safe_load(SEED_PLAN.read_text(encoding="utf-8"))
    data["content_areas"][0]["title"] = "Tiêu đề đã sửa"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    area = ContentArea.objects.get(code="2.1")
    _, written = load_movement(path)
    assert written == 1
    area.refresh_from_db()
    assert area.title == "Tiêu đề đã sửa"


def test_an_unknown_organisation_is_refused_and_nothing_is_written(demo, tmp_path):
    data = yaml.safe_load(SEED_PLAN.read_text(encoding="utf-8"))
    data["movement"]["slug"] = "mot-phong-trao-khac"
    data["movement"]["receiving_office"] = "khong-ton-tai"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = plan_rows()
    with pytest.raises(ValidationError, match="khong-ton-tai"):
        load_movement(path)
    assert plan_rows() == before
    assert not Movement.objects.filter(slug="mot-phong-trao-khac").exists()


def test_load_movement_command_reports_a_missing_file(demo):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không nạp được phong trào"):
        call_command("load_movement", "/khong/co/tep.yaml")


def test_a_step_with_an_unknown_responsible_is_refused_and_the_page_shows_only_labels(
        demo, tmp_path, client):
    data = yaml.safe_load(SEED_PLAN.read_text(encoding="utf-8"))
    data["procedure"][0]["actor"] = "unit"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = plan_rows()
    with pytest.raises(ValidationError, match="“unit” không phải là chủ thể"):
        load_movement(path)
    assert plan_rows() == before
    movement = Movement.objects.get(number="23/KH-UBND")
    responsible = set(movement.plan_items.values_list("responsible", flat=True))
    assert responsible <= set(PlanItem.Responsible.values)
    page = client.get(reverse("movements:detail", args=[movement.slug])).content.decode()
    assert ">unit<" not in page and "Các cơ quan, đơn vị, xã, phường" in page
