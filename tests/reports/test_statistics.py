"""Every figure against a count made here from the rows themselves (Python over the register,
the decisions and the dossiers), for an administrator and within a person's scope."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.decisions.models import Award
from thidua.nominations.models import AwardRecord, Deficiency, Dossier
from thidua.orgs import actions as org_actions
from thidua.reports import statistics
from thidua.reports.scope import Filters
from thidua.reports.tables import Table

pytestmark = pytest.mark.django_db


def as_dict(table: Table, column=-1) -> dict:
    return {row[0]: row[column] for row in table.rows}


def records(unit=None):
    """The register lines, read one by one (the independent count)."""
    lines = list(AwardRecord.objects.select_related("subject", "nominee__dossier__organisation"))
    if unit is not None:
        lines = [r for r in lines if r.nominee and r.nominee.dossier.organisation == unit]
    return lines


def test_awards_by_form_match_the_register(city, personas):
    table = statistics.table("hinh-thuc", personas.admin, Filters())
    lines = records()
    expected = Counter(r.award_name for r in lines)
    assert as_dict(table) == dict(expected)
    collectives = Counter(r.award_name for r in lines if r.subject.kind == "collective")
    assert {row[0]: row[1] for row in table.rows} == {k: collectives.get(k, 0) for k in expected}
    assert table.total[-1] == len(lines) == 2 + 3 + 2


def test_a_ward_sees_only_its_own_figures(city, personas):
    songcau = statistics.table("hinh-thuc", personas.hanh, Filters())
    assert songcau.total[-1] == len(records(city.songcau)) == 2
    units = statistics.table("don-vi", personas.hanh, Filters())
    assert [row[0] for row in units.rows] == [city.songcau.name]
    ducxuan = statistics.table("don-vi", personas.thu, Filters())
    assert as_dict(ducxuan) == {city.ducxuan.name: 3}
    # Asking for the other ward by the filter gives nothing, not the other ward's figures.
    asked = statistics.table("hinh-thuc", personas.hanh, Filters(organisations=(city.ducxuan,)))
    assert asked.rows == [] and asked.total == ["Tổng số"]
    # A person with no role counts nothing.
    assert statistics.table("hinh-thuc", personas.stranger, Filters()).rows == []


def test_the_city_sees_every_unit_and_the_office_its_movement(city, personas):
    for who in (personas.binh, personas.khanh, personas.mai, personas.dung):
        units = as_dict(statistics.table("don-vi", who, Filters()))
        assert units == {city.songcau.name: 2, city.ducxuan.name: 3}, who
    # Lines imported from an old list name no unit: administrators only.
    admin = as_dict(statistics.table("don-vi", personas.admin, Filters()))
    assert admin[str(statistics.UNKNOWN_UNIT)] == 2


def test_awards_by_subject_and_profile(city, personas):
    lines = records()
    subject = as_dict(statistics.table("doi-tuong", personas.admin, Filters()))
    individuals = [r for r in lines if r.subject.kind != "collective"]
    assert subject["Cá nhân"] == len(individuals)
    assert subject["Tập thể"] == sum(r.subject.kind == "collective" for r in lines) == 1
    assert subject["trong đó: doanh nghiệp"] == 1
    assert subject["Hộ gia đình"] == 0
    assert subject["người trực tiếp lao động, công tác"] == sum(
        1 for r in individuals if r.nominee and r.nominee.category == "direct_worker")
    assert subject["lực lượng tuyến đầu"] == sum(
        1 for r in individuals if r.nominee and r.nominee.category.startswith("frontline_"))
    assert subject["không rõ đối tượng"] == sum(1 for r in individuals if r.nominee is None)

    profile = statistics.table("co-cau", personas.admin, Filters())
    counts = as_dict(profile, 1)
    assert counts["Nữ"] == sum(r.subject.gender == "female" for r in individuals)
    assert counts["Nam"] == sum(r.subject.gender == "male" for r in individuals)
    minority = [r for r in individuals if r.nominee and r.nominee.ethnicity
                and r.nominee.ethnicity.lower() != "kinh"]
    assert counts["Người dân tộc thiểu số"] == len(minority) == 1
    share = as_dict(profile, 2)
    assert share["Nữ"] == round(100 * counts["Nữ"] / len(individuals), 1)


def test_by_year_and_across_years(city, personas):
    table = statistics.table("theo-nam", personas.admin, Filters())
    expected = Counter(r.decision_date.year if r.decision_date else "—" for r in records())
    assert {row[0]: row[-1] for row in table.rows} == {str(k): v for k, v in expected.items()}
    pivot = statistics.table("hinh-thuc", personas.admin, Filters(), by_year=True)
    assert pivot.headers[1:-1] == ["2019", "2021", "—"]
    assert pivot.total[-1] == len(records())
    for row in pivot.rows:
        assert row[-1] == sum(row[1:-1])


def test_period_and_movement_filters(city, personas, movement):
    december = Filters(date_from=date(2021, 12, 11), date_to=date(2021, 12, 31))
    table = statistics.table("hinh-thuc", personas.admin, december)
    assert table.total[-1] == sum(1 for r in records() if r.decision_date
                                  and december.date_from <= r.decision_date <= december.date_to)
    assert statistics.table("hinh-thuc", personas.admin,
                            Filters(movement=movement)).total[-1] == 5


def test_cash_matches_the_decisions(city, personas):
    table = statistics.table("tien-thuong", personas.binh, Filters())
    lines = list(Award.objects.filter(decision__state="issued"))
    assert table.total[-1] == sum(a.cash for a in lines)
    assert table.total[1] == len(lines) == 5
    assert table.facts == []  # no movement chosen: no budget to compare with
    ward = statistics.table("tien-thuong", personas.thu, Filters())
    assert ward.total[1] == 3


def test_dossiers_by_state_and_unit(city, personas):
    table = as_dict(statistics.table("ho-so-trang-thai", personas.admin, Filters()))
    states = Counter(d.get_state_display() for d in Dossier.objects.all())
    assert table == {str(k): v for k, v in states.items()}
    # The office sees sent dossiers; a unit's drafts stay the unit's own.
    office = statistics.table("ho-so-trang-thai", personas.dung, Filters())
    assert office.total[-1] == sum(1 for d in Dossier.objects.all()
                                   if d.round > 0 or d.state == "decided_by_unit")
    per_unit = statistics.table("ho-so-don-vi", personas.admin, Filters())
    assert {row[0]: row[-1] for row in per_unit.rows} == {
        city.songcau.name: Dossier.objects.filter(organisation=city.songcau).count(),
        city.ducxuan.name: Dossier.objects.filter(organisation=city.ducxuan).count()}


def test_returns_per_unit(city, personas):
    table = statistics.table("tra-lai", personas.dung, Filters())
    pairs = {(d.dossier_id, d.round) for d in Deficiency.objects.all()}
    assert table.rows == [[city.songcau.name, 1, len(pairs), Deficiency.objects.count()]]
    assert statistics.table("tra-lai", personas.thu, Filters()).rows == []


def test_processing_times(city, personas):
    table = as_dict(statistics.table("thoi-gian", personas.binh, Filters()))
    assert table["Hồ sơ đã được Hội đồng xét"] == Dossier.objects.filter(
        state="council_reviewed").count() == 1
    assert table["Thời gian trung vị (ngày)"] == table["Lâu nhất (ngày)"] >= 0
    late = Dossier.objects.filter(state="submitted", due_on__lt=date.today()).count()
    assert table["Đang chờ tiếp nhận quá hạn"] == late


def test_merged_and_renamed_units_are_one_line_across_years(city, personas):
    """The 2025 reform: Đức Xuân merges into Sông Cầu, which is renamed. One line, the
    current name, the former names beside it; a ward's people see their predecessor's past."""
    org_actions.merge_organisations([city.ducxuan], into=city.songcau, on=date(2025, 7, 1))
    org_actions.rename_organisation(city.songcau, name="Ủy ban nhân dân phường Bắc Kạn",
                                    on=date(2025, 7, 1))
    table = statistics.table("don-vi", personas.admin, Filters(), by_year=True)
    merged = [row for row in table.rows if row[0].startswith("Ủy ban nhân dân phường Bắc Kạn")]
    assert len(merged) == 1
    assert "Sông Cầu" in merged[0][0] and "Đức Xuân" in merged[0][0]
    assert merged[0][-1] == 5
    hanh = statistics.table("hinh-thuc", personas.hanh, Filters())
    assert hanh.total[-1] == 5


def test_query_count_does_not_grow_with_rows(city, personas, movement):
    def count(key):
        with CaptureQueriesContext(connection) as ctx:
            statistics.table(key, personas.binh, Filters(movement=movement), by_year=True)
        return len(ctx)

    count("hinh-thuc")  # the person's reach is read once, then kept for the request
    before = {key: count(key) for key in statistics.STATISTICS}
    AwardRecord.objects.bulk_create([
        AwardRecord(subject=r.subject, nominee=r.nominee, award_name=r.award_name,
                    award_form=r.award_form, decision_number=f"{i}/QĐ", movement=movement,
                    decision_date=r.decision_date + timedelta(days=400 * i), source="decision")
        for i in range(1, 6) for r in AwardRecord.objects.filter(nominee__isnull=False)])
    assert {key: count(key) for key in statistics.STATISTICS} == before


def test_median_and_slowest_against_the_log(city, personas, movement, city_certificate):
    """Four more concluded dossiers with known times: the median and the slowest are those of
    the durations read here from the log rows."""
    from statistics import median

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from thidua.core.models import Activity

    kind = ContentType.objects.get_for_model(Dossier)
    start = timezone.now() - timedelta(days=60)
    for hours in (30, 50, 200, 500):
        dossier = Dossier.objects.create(movement=movement, organisation=city.ducxuan,
                                         award_form=city_certificate, round=1,
                                         state="council_reviewed")
        for verb, at in (("dossier.submit", start), ("dossier.conclude_council",
                                                     start + timedelta(hours=hours))):
            row = Activity.objects.create(verb=verb, target_type=kind, target_id=str(dossier.pk))
            Activity.objects.filter(pk=row.pk).update(created_at=at)
    durations = []
    for dossier in Dossier.objects.filter(state="council_reviewed"):
        log = Activity.objects.filter(target_type=kind, target_id=str(dossier.pk))
        first = min(a.created_at for a in log if a.verb == "dossier.submit")
        last = max(a.created_at for a in log if a.verb == "dossier.conclude_council")
        durations.append((last - first).total_seconds() / 86400)
    table = as_dict(statistics.table("thoi-gian", personas.binh, Filters()))
    assert table["Hồ sơ đã được Hội đồng xét"] == len(durations) == 5
    assert table["Thời gian trung vị (ngày)"] == round(median(durations), 1)
    assert table["Lâu nhất (ngày)"] == round(max(durations), 1)
    # Đức Xuân's officer counts the four of her ward only.
    ward = as_dict(statistics.table("thoi-gian", personas.thu, Filters()))
    assert ward["Hồ sơ đã được Hội đồng xét"] == 4
