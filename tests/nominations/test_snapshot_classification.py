"""What a nomination is for — its content area and participant kind — in the snapshot taken at
each submission and in the diff between rounds the office reads: a change shows with readable
labels ("2.1. Title", the kind's label), a rename of the plan's area between rounds is not a
change of the nominee, old snapshots without the keys still compare, and a list of 5,000 reads
the areas' labels once."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.nominations.test_scale import add_people
from tests.pipeline import complete, person
from thidua.movements import actions as movement_actions
from thidua.movements.models import ContentArea
from thidua.nominations import actions
from thidua.nominations.diff import compare
from thidua.nominations.models import DossierSnapshot, Nominee

pytestmark = pytest.mark.django_db

LAN = "Nguyễn Thị Lan"
AREA = "Nội dung thi đua"
KIND = "Đối tượng thi đua"


def area(movement, code) -> ContentArea:
    return ContentArea.objects.get(movement=movement, code=code)


def label(a: ContentArea) -> str:
    return f"{a.code}. {a.title}"


@pytest.fixture
def first_round(draft, personas):
    """Sông Cầu's list sent once: Lan for 2.1 as front line, Nam with nothing classified;
    then returned by the office."""
    lan = draft.nominees.get()
    actions.update_nominee(lan, person(content_area="2.1", participant_kind="frontline"),
                           by=personas.hanh)
    actions.add_nominee(draft, person(name="Hoàng Văn Nam", gender="male", year=1979),
                        by=personas.hanh)
    complete(draft, personas.hanh)
    submitted = actions.submit_dossier(draft, by=personas.tam)
    return actions.return_dossier(submitted, other="Bổ sung", by=personas.dung)


def resubmit(dossier, personas):
    """Sent again as it is (its documents unchanged)."""
    return actions.submit_dossier(dossier, by=personas.tam)


def changes_of(diff, name) -> dict:
    return {c.what: (c.before, c.after) for n, cs in diff.nominees_changed if n == name
            for c in cs}


def snapshots(dossier):
    return {s.round: s.data for s in DossierSnapshot.objects.filter(dossier=dossier)}


def test_the_snapshot_keeps_what_each_nominee_is_for(first_round, movement):
    data = snapshots(first_round)[1]
    lan = Nominee.objects.get(dossier=first_round, full_name=LAN)
    nam = Nominee.objects.get(dossier=first_round, full_name="Hoàng Văn Nam")
    two_one = area(movement, "2.1")
    assert data["nominees"][str(lan.pk)]["content_area"] == str(two_one.pk)
    assert data["nominees"][str(lan.pk)]["participant_kind"] == "frontline"
    assert data["nominees"][str(nam.pk)]["content_area"] == ""
    assert data["nominees"][str(nam.pk)]["participant_kind"] == ""
    # Only the areas in use are labelled, once for the whole list.
    assert data["content_areas"] == {str(two_one.pk): label(two_one)}


def test_a_change_of_area_and_kind_shows_in_the_diff_the_office_reads(
        first_round, personas, movement, client_for):
    lan = Nominee.objects.get(dossier=first_round, full_name=LAN)
    actions.update_nominee(lan, person(content_area="2.5", participant_kind="citizens"),
                           by=personas.hanh)
    resubmit(first_round, personas)
    diff = compare(*(snapshots(first_round)[r] for r in (1, 2)))
    assert changes_of(diff, LAN) == {
        AREA: (label(area(movement, "2.1")), label(area(movement, "2.5"))),
        KIND: ("Lực lượng tuyến đầu", "Các tầng lớp Nhân dân"),
    }
    assert changes_of(diff, "Hoàng Văn Nam") == {}  # nothing of his changed
    page = client_for(personas.dung).get(f"/ho-so/{first_round.pk}/so-sanh/2/")
    html = page.content.decode()
    assert page.status_code == 200
    assert (f"{AREA}: <del>{label(area(movement, '2.1'))}</del> → "
            f"<ins>{label(area(movement, '2.5'))}</ins>") in html
    assert f"{KIND}: <del>Lực lượng tuyến đầu</del> → <ins>Các tầng lớp Nhân dân</ins>" in html
    # Someone who may not see the dossier does not see its diff either.
    assert client_for(personas.thu).get(f"/ho-so/{first_round.pk}/so-sanh/2/").status_code == 404


def test_clearing_or_setting_them_shows_as_empty_on_one_side(first_round, personas, movement):
    lan = Nominee.objects.get(dossier=first_round, full_name=LAN)
    nam = Nominee.objects.get(dossier=first_round, full_name="Hoàng Văn Nam")
    actions.update_nominee(lan, person(), by=personas.hanh)  # both cleared
    actions.update_nominee(nam, person(name="Hoàng Văn Nam", gender="male", year=1979,
                                       content_area="2.3", participant_kind="agencies"),
                           by=personas.hanh)
    resubmit(first_round, personas)
    diff = compare(*(snapshots(first_round)[r] for r in (1, 2)))
    assert changes_of(diff, LAN) == {AREA: (label(area(movement, "2.1")), ""),
                                     KIND: ("Lực lượng tuyến đầu", "")}
    assert changes_of(diff, "Hoàng Văn Nam") == {
        AREA: ("", label(area(movement, "2.3"))), KIND: ("", "Các cơ quan, đơn vị tham mưu")}


def test_a_renamed_area_is_not_a_change_of_the_nominee_and_reads_as_it_was_sent(
        first_round, personas, movement):
    two_one = area(movement, "2.1")
    old_label = label(two_one)
    movement_actions.update_content_area(two_one, by=personas.mai, code="2.1",
                                         title="Phòng, chống dịch (tên mới)", text=two_one.text)
    second = resubmit(first_round, personas)
    data = snapshots(first_round)
    assert compare(data[1], data[2]).empty  # nothing of the list changed
    assert data[2]["content_areas"] == {str(two_one.pk): "2.1. Phòng, chống dịch (tên mới)"}
    # A nominee moved away from it afterwards: the earlier round still reads the old title.
    returned = actions.return_dossier(second, other="Lần nữa", by=personas.dung)
    lan = Nominee.objects.get(dossier=returned, full_name=LAN)
    actions.update_nominee(lan, person(content_area="2.2", participant_kind="frontline"),
                           by=personas.hanh)
    resubmit(returned, personas)
    assert changes_of(compare(data[1], snapshots(returned)[3]), LAN) == {
        AREA: (old_label, label(area(movement, "2.2")))}


def test_an_old_snapshot_without_the_keys_still_compares(first_round, personas, movement,
                                                        client_for):
    old = DossierSnapshot.objects.get(dossier=first_round, round=1)
    # As it was written before the fields existed: no labels, no keys per nominee.
    data = old.data
    del data["content_areas"]
    for values in data["nominees"].values():
        del values["content_area"], values["participant_kind"]
    old.data = data
    old.save(update_fields=["data"])
    nam = Nominee.objects.get(dossier=first_round, full_name="Hoàng Văn Nam")
    actions.update_nominee(nam, person(name="Hoàng Văn Nam", gender="male", year=1979,
                                       position="Trưởng trạm"), by=personas.hanh)
    resubmit(first_round, personas)
    diff = compare(*(snapshots(first_round)[r] for r in (1, 2)))
    # Lan's area and kind were set before round 1, but the old snapshot did not keep them:
    # they read as set since; Nam, unclassified on both sides, shows only his real change.
    assert changes_of(diff, LAN) == {AREA: ("", label(area(movement, "2.1"))),
                                     KIND: ("", "Lực lượng tuyến đầu")}
    assert changes_of(diff, "Hoàng Văn Nam") == {"Chức vụ": ("Y sĩ", "Trưởng trạm")}
    # The other way round (a new snapshot lacking what an old one holds) compares too.
    back = compare(snapshots(first_round)[2], data)
    assert changes_of(back, LAN) == {AREA: (label(area(movement, "2.1")), ""),
                                     KIND: ("Lực lượng tuyến đầu", "")}
    page = client_for(personas.dung).get(f"/ho-so/{first_round.pk}/so-sanh/2/")
    assert page.status_code == 200
    assert f"{AREA}: <del>—</del> → <ins>{label(area(movement, '2.1'))}</ins>" in (
        page.content.decode())


def test_the_labels_follow_the_readers_language(first_round, personas):
    lan = Nominee.objects.get(dossier=first_round, full_name=LAN)
    actions.update_nominee(lan, person(content_area="2.1", participant_kind="citizens"),
                           by=personas.hanh)
    resubmit(first_round, personas)
    with translation.override("en"):
        english = changes_of(compare(*(snapshots(first_round)[r] for r in (1, 2))), LAN)
    assert english == {"Participants": ("Frontline forces", "People from all walks of life")}


def test_a_5000_name_list_reads_the_areas_labels_once(draft, personas, movement):
    add_people(draft, 5000, documents=False)
    areas = list(ContentArea.objects.filter(movement=movement).order_by("order"))
    kinds = ["frontline", "citizens", "agencies", ""]
    nominees = list(Nominee.objects.filter(dossier=draft).order_by("pk"))
    for i, n in enumerate(nominees):
        n.content_area = areas[i % len(areas)] if i % 7 else None
        n.participant_kind = kinds[i % len(kinds)]
    Nominee.objects.bulk_update(nominees, ["content_area", "participant_kind"], batch_size=1000)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        data = actions.snapshot(draft)
        took = time.perf_counter() - started
    area_queries = [q for q in ctx.captured_queries if "movements_contentarea" in q["sql"]]
    assert len(area_queries) == 1
    assert len(ctx.captured_queries) <= 5
    assert data["content_areas"] == {str(a.pk): label(a) for a in areas}
    assert len(data["nominees"]) == 5001
    print(f"\nsnapshot of 5,001 classified nominees: {took:.3f} s, "
          f"{len(ctx.captured_queries)} queries")
    assert took < 5  # about 0.1 s here; a query per nominee would be seconds
    # Comparing it with itself finds nothing, quickly.
    started = time.perf_counter()
    assert compare(data, data).empty
    print(f"diff of two 5,001-name snapshots: {time.perf_counter() - started:.3f} s")
