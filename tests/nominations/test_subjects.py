"""One rule decides which subject a line belongs to (docs/decisions.md, "Automatic subject
matching is conservative"): adding, correcting, importing a list and importing the old register
all use ``subjects.match_subjects``."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pipeline import person
from thidua.nominations import actions
from thidua.nominations.excel import PastAwardRow
from thidua.nominations.models import AwardRecord, Subject
from thidua.nominations.subjects import Identity, match_subjects, save_new, subject_for

pytestmark = pytest.mark.django_db

LAN = Identity(kind="individual", name="Nguyễn Thị Lan", birth_year=1985,
               unit="Trạm Y tế phường Sông Cầu", gender="female")


def make(name="Nguyễn Thị Lan", birth_year=1985, unit="Trạm Y tế phường Sông Cầu",
         kind="individual"):
    return Subject.objects.create(kind=kind, name=name, birth_year=birth_year, unit_name=unit)


def test_the_one_subject_with_the_same_folded_identity_is_reused():
    lan = make()
    found = match_subjects([Identity("individual", "NGUYEN THI LAN", 1985,
                                     "tram y te phuong song cau")])
    assert found == [lan]


@pytest.mark.parametrize("change", [{"birth_year": 1986}, {"unit": "Trạm Y tế phường Đức Xuân"},
                                    {"kind": "collective"}, {"name": "Nguyễn Thị Lành"}])
def test_any_difference_in_the_identity_gives_a_new_subject(change):
    lan = make()
    values = {"kind": LAN.kind, "name": LAN.name, "birth_year": LAN.birth_year,
              "unit": LAN.unit} | change
    [found] = match_subjects([Identity(**values)])
    assert found != lan and found.pk is None


def test_two_look_alikes_are_left_to_the_officer_a_new_subject_is_made():
    make(), make()
    [found] = match_subjects([LAN])
    assert found.pk is None


def test_a_new_subject_carries_gender_organisation_and_folded_fields(demo):
    ward = demo.org("phuong-song-cau")
    subject = subject_for(LAN, ward)
    subject.refresh_from_db()
    assert (subject.kind, subject.gender, subject.organisation) == ("individual", "female", ward)
    assert (subject.name_folded, subject.unit_folded) == ("nguyen thi lan",
                                                          "tram y te phuong song cau")


def test_the_same_identity_twice_in_one_batch_shares_one_subject_as_if_added_in_turn():
    first, second, other = match_subjects([LAN, LAN, Identity("individual", "Hà Văn Bắc", 1970)])
    assert first is second and first is not other
    save_new([first, second, other])
    assert Subject.objects.count() == 2
    # Added one after the other, the second line finds the first: the same answer.
    assert match_subjects([LAN]) == [first]


def test_a_batch_costs_one_query_whatever_its_size():
    make()
    identities = [Identity("individual", f"Người số {i}", 1960 + i % 40) for i in range(200)]
    with CaptureQueriesContext(connection) as ctx:
        match_subjects([LAN, *identities])
    assert len(ctx.captured_queries) == 1


def test_an_unknown_kind_matches_on_the_rest_of_the_identity():
    person_without_year = make(birth_year=None)
    assert match_subjects([Identity(None, "Nguyễn Thị Lan", None,
                                    "Trạm Y tế phường Sông Cầu")]) == [person_without_year]
    make(birth_year=None, kind="collective")  # now two candidates: left to the officer
    [found] = match_subjects([Identity(None, "Nguyễn Thị Lan", None, "Trạm Y tế phường Sông Cầu")])
    assert found.pk is None


def test_an_unknown_kind_new_subject_is_a_person_when_a_birth_year_is_given():
    person_, collective = match_subjects([Identity(None, "Đỗ Đức Đạt", 1979),
                                          Identity(None, "Trạm Y tế phường Sông Cầu", None)])
    assert (person_.kind, collective.kind) == ("individual", "collective")


# --- the callers ------------------------------------------------------------------------------

def test_the_register_finds_a_nominee_recorded_without_a_birth_year(draft, personas):
    """The case that differed: the register import guessed "collective" for every line without a
    birth year, so a person nominated without one never met their past awards."""
    nominee = actions.add_nominee(draft, person(name="Lục Văn Hùng", year=None, gender="male",
                                                unit="Tổ dân phố 3"), by=personas.hanh)
    added = actions.import_award_register([PastAwardRow(
        full_name="Lục Văn Hùng", unit_name="Tổ dân phố 3", award_name="Giấy khen",
        decision_number="7/QĐ-UBND", decision_date=date(2019, 5, 2))], by=personas.mai)
    assert added == 1
    assert AwardRecord.objects.get().subject == nominee.subject
    assert Subject.objects.filter(name="Lục Văn Hùng").count() == 1


def test_the_register_keeps_one_subject_for_several_awards_of_one_person(personas):
    rows = [PastAwardRow(full_name="Đỗ Đức Đạt", birth_year=1979, unit_name="Công an thành phố",
                         award_name=f"Giấy khen {year}", decision_number=f"{year}/QĐ-UBND",
                         decision_date=date(year, 12, 1)) for year in (2018, 2019)]
    assert actions.import_award_register(rows, by=personas.mai) == 2
    assert Subject.objects.filter(name_folded="do duc dat").count() == 1


def test_a_list_naming_one_person_twice_links_both_lines_to_one_subject_like_adding_them(
        draft, personas):
    actions.import_nominees(draft, [person(name="Hà Văn Bắc", year=1970, gender="male"),
                                    person(name="Hà Văn Bắc", year=1970, gender="male")],
                            by=personas.hanh)
    added = list(draft.nominees.filter(full_name="Hà Văn Bắc"))
    assert len(added) == 2 and added[0].subject_id == added[1].subject_id
    assert added[0].subject.organisation == draft.organisation
    # A line for someone added by hand earlier meets that person's subject.
    assert actions.import_nominees(draft, [person()], by=personas.hanh) == 1
    lan = list(draft.nominees.filter(full_name="Nguyễn Thị Lan"))
    assert lan[0].subject_id == lan[1].subject_id
