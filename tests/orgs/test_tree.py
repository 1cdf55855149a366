"""The organisation tree: history by date, renames, moves, mergers, and what they refuse."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import OrganisationFactory, member
from thidua.core.models import Activity
from thidua.orgs import actions
from thidua.orgs.models import Level, Membership, Organisation, OrganisationEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return OrganisationFactory(code="tp", name="Ủy ban nhân dân thị xã Bắc Kạn",
                               level=Level.DISTRICT, valid_from=date(2000, 1, 1))


def test_rename_keeps_the_old_name_for_earlier_days(city):
    actions.rename_organisation(city, name="Ủy ban nhân dân thành phố Bắc Kạn",
                                on=date(2015, 3, 11), legal_reference="Nghị quyết số 904")
    city.refresh_from_db()
    assert city.name == "Ủy ban nhân dân thành phố Bắc Kạn"
    assert city.name_on(date(2015, 3, 10)) == "Ủy ban nhân dân thị xã Bắc Kạn"
    assert city.name_on(date(2015, 3, 11)) == "Ủy ban nhân dân thành phố Bắc Kạn"
    assert city.name_on(date(2021, 10, 26)) == "Ủy ban nhân dân thành phố Bắc Kạn"
    assert list(city.versions.values_list("valid_from", "valid_to")) == [
        (date(2000, 1, 1), date(2015, 3, 11)), (date(2015, 3, 11), None),
    ]
    event = city.events.get(kind=OrganisationEvent.Kind.RENAMED)
    assert event.legal_reference == "Nghị quyết số 904"
    assert Activity.objects.filter(verb="org.renamed", target_id=str(city.pk)).exists()


def test_rename_on_or_before_the_current_version_start_is_refused(city):
    with pytest.raises(ValidationError, match="Ngày hiệu lực phải sau"):
        actions.rename_organisation(city, name="Tên mới", on=date(2000, 1, 1))
    city.refresh_from_db()
    assert city.name == "Ủy ban nhân dân thị xã Bắc Kạn"
    assert city.versions.count() == 1


def test_rename_to_an_empty_name_is_refused(city):
    with pytest.raises(ValidationError, match="không được để trống"):
        actions.rename_organisation(city, name="   ", on=date(2020, 1, 1))


def test_move_records_where_the_unit_sat_on_each_day(city):
    other = OrganisationFactory(code="khac", level=Level.DISTRICT)
    school = OrganisationFactory(code="truong", parent=city)
    class_ = OrganisationFactory(code="lop", parent=school)
    actions.move_organisation(school, parent=other, on=date(2022, 9, 1))
    school.refresh_from_db()
    class_.refresh_from_db()
    assert school.parent_on(date(2022, 8, 31)) == city
    assert school.parent_on(date(2022, 9, 1)) == other
    assert school.path == f"{other.path}{school.pk}/"
    assert class_.path == f"{other.path}{school.pk}/{class_.pk}/"
    assert set(Organisation.objects.subtrees([other])) == {other, school, class_}
    assert set(Organisation.objects.subtrees([city])) == {city}


def test_an_organisation_cannot_move_under_its_own_subtree(city):
    ward = OrganisationFactory(code="phuong", parent=city, level=Level.COMMUNE)
    with pytest.raises(ValidationError, match="trực thuộc chính nó"):
        actions.move_organisation(city, parent=ward, on=date(2022, 1, 1))
    city.refresh_from_db()
    assert city.parent is None


def test_merger_moves_children_and_roles_and_keeps_history():
    city = OrganisationFactory(code="tp", level=Level.DISTRICT)
    ward_a = OrganisationFactory(code="phuong-a", name="Ủy ban nhân dân phường A",
                                 parent=city, level=Level.COMMUNE)
    ward_b = OrganisationFactory(code="phuong-b", name="Ủy ban nhân dân phường B",
                                 parent=city, level=Level.COMMUNE)
    station = OrganisationFactory(code="tram-y-te-a", parent=ward_a)
    officer = member(ward_a, Role.UNIT_OFFICER)
    merged_on = date(2025, 7, 1)

    actions.merge_organisations([ward_a], into=ward_b, on=merged_on,
                                legal_reference="Nghị quyết sắp xếp đơn vị hành chính")

    ward_a.refresh_from_db()
    station.refresh_from_db()
    assert ward_a.valid_to == merged_on and ward_a.merged_into == ward_b
    assert not ward_a.is_active_on(merged_on) and ward_a.is_active_on(date(2025, 6, 30))
    assert ward_a.name_on(date(2021, 10, 26)) == "Ủy ban nhân dân phường A"
    assert station.parent == ward_b and station.parent_on(date(2021, 1, 1)) == ward_a
    assert list(Organisation.objects.active_on(merged_on).filter(parent=city)) == [ward_b]
    old = Membership.objects.get(user=officer, organisation=ward_a)
    assert old.valid_to == merged_on
    assert Membership.objects.active_on(merged_on).filter(
        user=officer, organisation=ward_b, role=Role.UNIT_OFFICER).exists()
    assert ward_b.events.filter(kind=OrganisationEvent.Kind.ABSORBED, other=ward_a).exists()


def test_merging_into_itself_or_an_ended_organisation_is_refused():
    city = OrganisationFactory(code="tp", level=Level.DISTRICT)
    ward = OrganisationFactory(code="phuong", parent=city, level=Level.COMMUNE)
    with pytest.raises(ValidationError):
        actions.merge_organisations([ward], into=ward, on=date(2025, 7, 1))
    other = OrganisationFactory(code="phuong-2", parent=city, level=Level.COMMUNE)
    actions.merge_organisations([other], into=ward, on=date(2025, 7, 1))
    with pytest.raises(ValidationError, match="không còn hiệu lực"):
        actions.merge_organisations([city], into=other, on=date(2025, 8, 1))
    city.refresh_from_db()
    assert city.valid_to is None


def test_tree_changes_need_an_administrator(personas):
    ward = Organisation.objects.get(code="phuong-song-cau")
    with pytest.raises(PermissionDenied):
        actions.rename_organisation(ward, name="Phường mới", on=date(2025, 7, 1),
                                    by=personas.tam)
    ward.refresh_from_db()
    assert ward.name == "Ủy ban nhân dân phường Sông Cầu"
    actions.rename_organisation(ward, name="Phường mới", on=date(2025, 7, 1), by=personas.admin)
    assert Activity.objects.filter(verb="org.renamed", actor=personas.admin).exists()
