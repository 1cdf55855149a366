"""The movement's summary report (báo cáo tổng kết): the secretariat asks, the worker (django-tasks'
database backend, run here as `thidua db_worker --batch`) writes a DOCX with the figures, tables
and charts filled in, the page follows its progress; a failure keeps no file and can be retried;
a task delivered twice writes once; only the movement's secretariat and administrators may.

Every figure read back from the DOCX is compared with a count made here from the rows."""

import io
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from docx import Document

from tests.movements.conftest import draft_movement
from thidua.core.models import Activity
from thidua.movements import actions as movement_actions
from thidua.movements.models import (
    Participant,
    ProgressEntry,
    Registration,
    ReportPeriod,
    UnitPlan,
)
from thidua.movements.queries import criteria_for
from thidua.nominations.models import AwardRecord
from thidua.orgs.models import Organisation
from thidua.reports import actions, summary_docx, tasks
from thidua.reports.models import SummaryReport
from thidua.reports.summary import number_text

pytestmark = pytest.mark.django_db

NOTE = "Tổ 1 & tổ 2 <vượt chỉ tiêu>"


@pytest.fixture
def run_worker(monkeypatch):
    """`thidua db_worker --batch`: run every queued task, then stop (the connection holding the
    test's transaction is kept, as in the certificate batch tests)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                     verbosity=0)

    return run


def ward(code):
    return Organisation.objects.get(code=code)


@pytest.fixture
def reported(city, movement, personas):
    """The demo movement with the city's awards (tests/reports/city.py), Sông Cầu's accepted
    registration and plan, and a final round in which Sông Cầu's and Đức Xuân's reports were
    accepted; a monthly report (not final) and a report still waiting are not to be counted."""
    # The demo's registration deadline has passed; the unit sends in time here.
    type(movement).objects.filter(pk=movement.pk).update(registration_deadline=None)
    movement.refresh_from_db()
    song_cau, duc_xuan = ward("phuong-song-cau"), ward("phuong-duc-xuan")
    (first,) = criteria_for(movement, song_cau)
    second = movement_actions.add_criterion(movement, by=personas.mai, code="W2",
                                            title="Không để dịch lây lan trong cộng đồng",
                                            participant_kind=first.participant_kind)
    assert first in criteria_for(movement, duc_xuan)
    registration = movement_actions.save_registration(
        movement, song_cau, by=personas.hanh,
        commitments={first.pk: {"kind": "pledge", "pledged": True, "target": "", "note": ""}})
    registration = movement_actions.submit_registration(registration, by=personas.tam)
    movement_actions.accept_registration(registration, by=personas.dung)
    movement_actions.file_unit_plan(movement, song_cau, by=personas.hanh, text="Kế hoạch")
    day = date(2021, 12, 1)
    final = movement_actions.add_period(movement, by=personas.mai, kind=ReportPeriod.Kind.FINAL,
                                        title="Tổng kết năm 2021", starts_on=day,
                                        ends_on=day + timedelta(days=30),
                                        due_on=day + timedelta(days=40))
    monthly = movement_actions.add_period(movement, by=personas.mai,
                                          kind=ReportPeriod.Kind.MONTHLY, title="Tháng 11",
                                          starts_on=date(2021, 11, 1), ends_on=date(2021, 11, 30),
                                          due_on=date(2021, 12, 5))

    def report(period, unit, officer, entries, accept=True, summary=""):
        saved = movement_actions.save_report(period, unit, by=officer, entries=entries,
                                             summary=summary)
        sent = movement_actions.submit_report(saved, by=officer)
        return movement_actions.accept_report(sent, by=personas.dung) if accept else sent

    report(final, song_cau, personas.hanh, {
        first.pk: {"done": "Khử khuẩn 12 tổ dân phố", "figure": "80,5", "note": NOTE},
        second.pk: {"done": "Tuyên truyền", "figure": "1200", "note": ""}},
        summary="Hoàn thành tốt & vượt mức")
    report(final, duc_xuan, personas.thu, {
        first.pk: {"done": "Khử khuẩn 5 tổ", "figure": "19,5", "note": "Thiếu kinh phí"}})
    report(monthly, song_cau, personas.hanh, {
        first.pk: {"done": "Tháng 11", "figure": "1000", "note": ""}})
    return {"movement": movement, "first": first, "second": second, "final": final}


def request(movement, by, capture):
    with capture(execute=True):
        return actions.request_summary_report(movement, by=by)


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def find_table(doc, first_header: str, contains: str | None = None):
    for table in doc.tables:
        rows = cells(table)
        if rows and rows[0][0] == first_header and (
                contains is None or any(contains in c for r in rows for c in r)):
            return rows
    raise AssertionError(f"no table headed {first_header!r} with {contains!r}")


def test_the_secretariat_gets_a_docx_whose_figures_are_the_rows(
        reported, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    movement = reported["movement"]
    client = client_for(personas.mai)
    base = f"/thong-ke/tong-ket/{movement.slug}/"
    assert "Lập dự thảo báo cáo tổng kết" in client.get(base).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base)
    report = SummaryReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base}{report.pk}/"
    assert (report.state, report.steps_done) == ("queued", 0)
    assert report.steps_total == movement.criteria.count() + 4
    task = DBTaskResult.objects.get()
    assert str(task.id) == report.task_id and task.args_kwargs["args"] == [report.pk]
    assert not report.file  # nothing is written inside the request

    run_worker()

    report.refresh_from_db()
    assert report.state == "done" and report.steps_done == report.steps_total
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = client.get(f"{base}{report.pk}/").content.decode()
    assert f"{base}{report.pk}/bao-cao-tong-ket.docx" in page and "100%" in page
    download = client.get(f"{base}{report.pk}/bao-cao-tong-ket.docx")
    assert download["Content-Disposition"].startswith("attachment")
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)

    # Heading (Decree 30): the issuer, the number left to fill, place and date; the title.
    head = cells(doc.tables[0])[0]
    assert "ỦY BAN NHÂN DÂN" in head[0] and "Số: ……/BC-UBND" in head[0]
    today = timezone.localdate()
    assert f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}" in head[1]
    assert "BÁO CÁO" in text and "Tổng kết phong trào thi đua" in text

    # I. Organisation, counted here from the rows.
    current = Participant.objects.filter(movement=movement, removed_on__isnull=True)
    participants = current.count()
    accepted_registrations = Registration.objects.filter(
        movement=movement, state="accepted", organisation__in=current.values("organisation")
    ).count()
    plans = UnitPlan.objects.filter(movement=movement).count()
    organisation = {row[0]: row[1:] for row in find_table(doc, "Nội dung")[1:]}
    assert organisation["Đơn vị tham gia phong trào"] == [str(participants), "100,0"]
    assert organisation["Đơn vị đăng ký thi đua (đã được tiếp nhận)"][0] == str(
        accepted_registrations) == "1"
    assert organisation["Đơn vị đã gửi kế hoạch triển khai"][0] == str(plans) == "1"
    assert organisation["Đơn vị có báo cáo “Tổng kết năm 2021” được tiếp nhận"][0] == "2"

    # II. Per criterion: the accepted final reports' figures, summed here.
    entries = defaultdict(list)
    for entry in ProgressEntry.objects.filter(report__period__kind="final",
                                              report__period__movement=movement,
                                              report__state="accepted"):
        entries[entry.criterion_id].append(entry)
    for criterion in (reported["first"], reported["second"]):
        rows = find_table(doc, "STT", contains=criterion_done(entries[criterion.pk]))
        lines, total = rows[1:-1], rows[-1]
        assert len(lines) == len(entries[criterion.pk])
        expected = sum(e.figure for e in entries[criterion.pk] if e.figure is not None)
        assert total[1] == "Tổng cộng" and total[3] == number_text(expected)
        assert sorted(r[3] for r in lines) == sorted(number_text(e.figure)
                                                      for e in entries[criterion.pk])
    assert number_text(sum(e.figure for e in entries[reported["first"].pk])) == "100"
    first_rows = find_table(doc, "STT", contains=NOTE)
    assert [r[4] for r in first_rows[1:-1]].count(NOTE) == 1  # & and < kept as written
    assert "Hoàn thành tốt & vượt mức" in text
    assert "1000" not in "".join(c for r in first_rows for c in r)  # the monthly report

    # III. Awards of the movement by form and by unit: the register's lines, counted here.
    lines = AwardRecord.objects.filter(movement=movement)
    by_form = Counter(lines.values_list("award_name", flat=True))
    form_rows = find_table(doc, "Hình thức")
    assert {r[0]: r[3] for r in form_rows[1:-1]} == {k: str(v) for k, v in by_form.items()}
    assert form_rows[-1][0] == "Tổng số" and form_rows[-1][3] == str(lines.count())
    by_unit = Counter(lines.values_list("nominee__dossier__organisation__name", flat=True))
    unit_rows = find_table(doc, "Đơn vị", contains="Tổng số")
    assert {r[0]: r[3] for r in unit_rows[1:-1]} == {k: str(v) for k, v in by_unit.items()}

    # Charts are pictures; the narrative is marked to be written.
    pictures = [rel.target_part.blob for rel in doc.part.rels.values()
                if "image" in rel.reltype]
    assert len(doc.inline_shapes) == len(pictures) >= 4
    assert all(blob.startswith(b"\x89PNG") for blob in pictures)
    assert "[Đánh giá chung" in text and "[Đề xuất, kiến nghị" in text
    assert "IV. ĐÁNH GIÁ CHUNG" in text and "V. ĐỀ XUẤT, KIẾN NGHỊ" in text
    assert Activity.objects.filter(verb="summary_report.requested", actor=personas.mai).count() == 1
    assert Activity.objects.filter(verb="summary_report.written", actor=personas.mai).count() == 1


def criterion_done(entries) -> str:
    return entries[0].done


def test_the_progress_partial_polls_until_done_and_steps_are_saved_as_they_go(
        reported, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        monkeypatch):
    movement = reported["movement"]
    report = request(movement, personas.mai, django_capture_on_commit_callbacks)
    client = client_for(personas.mai)
    url = f"/thong-ke/tong-ket/{movement.slug}/{report.pk}/"
    SummaryReport.objects.filter(pk=report.pk).update(state="running", steps_done=1,
                                                      steps_total=4)
    part = client.get(url, {"phan": "progress"}, headers={"HX-Request": "true"}).content.decode()
    assert "Đã xong 1/4 bước (25%)" in part and 'aria-valuenow="25"' in part
    assert 'hx-trigger="every 2s"' in part and f'hx-get="{url}?phan=progress"' in part
    assert "<html" not in part and "style=" not in part and "<rect" in part
    full = client.get(url).content.decode()
    assert "<html" in full and 'hx-trigger="every 2s"' in full and "<script>" not in full

    SummaryReport.objects.filter(pk=report.pk).update(state="queued", steps_done=0)
    seen = []
    original = summary_docx.write

    def spy(movement, content, *, progress, **kwargs):
        row = SummaryReport.objects.get(pk=report.pk)
        seen.append((row.state, row.steps_done))
        return original(movement, content, progress=progress, **kwargs)

    monkeypatch.setattr(summary_docx, "write", spy)
    run_worker()
    # Organisation, each criterion and the commendation were saved before the writing began.
    assert seen == [("running", movement.criteria.count() + 2)]
    done = client.get(url, {"phan": "progress"}, headers={"HX-Request": "true"}).content.decode()
    assert "(100%)" in done and "hx-trigger" not in done and "bao-cao-tong-ket.docx" in done


def test_a_failure_keeps_no_file_says_why_and_can_be_retried(
        reported, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        monkeypatch, settings):
    movement = reported["movement"]
    original = summary_docx.write

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(summary_docx, "write", broken)
    report = request(movement, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    report.refresh_from_db()
    assert report.state == "failed" and not report.file
    assert "Không lập được báo cáo tổng kết" in report.error
    assert DBTaskResult.objects.get().status == "FAILED"
    folder = settings.MEDIA_ROOT / "reports"
    assert not folder.exists() or not any(folder.rglob("*.docx"))
    client = client_for(personas.mai)
    url = f"/thong-ke/tong-ket/{movement.slug}/{report.pk}/"
    page = client.get(url).content.decode()
    assert "Không lập được báo cáo tổng kết" in page and "Thử lại" in page
    assert "hx-trigger" not in page
    assert client.get(f"{url}bao-cao-tong-ket.docx").status_code == 404
    assert Activity.objects.filter(verb="summary_report.failed", actor=personas.mai).exists()

    monkeypatch.setattr(summary_docx, "write", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}thu-lai/")
    report.refresh_from_db()
    assert (report.state, report.steps_done, report.error) == ("queued", 0, "")
    assert DBTaskResult.objects.count() == 2 and DBTaskResult.objects.get(id=report.task_id)
    run_worker()
    report.refresh_from_db()
    assert report.state == "done" and Document(report.file.open("rb")).tables
    assert Activity.objects.filter(verb="summary_report.retried", actor=personas.mai).count() == 1
    with pytest.raises(ValidationError, match="bị lỗi"):  # only a failed report is retried
        actions.retry_summary_report(report, by=personas.mai)


def test_a_task_delivered_twice_writes_once(reported, personas,
                                            django_capture_on_commit_callbacks, monkeypatch):
    report = request(reported["movement"], personas.mai, django_capture_on_commit_callbacks)
    steps = tasks.run_summary_report(report.pk)
    report.refresh_from_db()
    assert steps == report.steps_total and report.state == "done"
    written = report.file.name
    calls = []
    monkeypatch.setattr(summary_docx, "write", lambda *a, **k: calls.append(a))
    assert tasks.run_summary_report(report.pk) == 0  # the state moved on: nothing to do
    report.refresh_from_db()
    assert calls == [] and report.state == "done" and report.file.name == written
    assert Activity.objects.filter(verb="summary_report.started").count() == 1
    assert Activity.objects.filter(verb="summary_report.written").count() == 1


def test_a_second_request_while_one_waits_returns_it_and_a_draft_is_refused(
        movement, personas, django_capture_on_commit_callbacks):
    first = request(movement, personas.mai, django_capture_on_commit_callbacks)
    assert request(movement, personas.admin, django_capture_on_commit_callbacks).pk == first.pk
    assert SummaryReport.objects.count() == 1 and DBTaskResult.objects.count() == 1
    draft = draft_movement(personas.mai)
    with pytest.raises(ValidationError, match="chưa được phát động"):
        request(draft, personas.mai, django_capture_on_commit_callbacks)
    assert SummaryReport.objects.count() == 1


def test_only_the_secretariat_and_administrators_may(
        movement, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    report = request(movement, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    base = f"/thong-ke/tong-ket/{movement.slug}/"
    for user in [personas.mai, personas.admin]:
        client = client_for(user)
        assert client.get(base).status_code == 200
        assert client.get(f"{base}{report.pk}/bao-cao-tong-ket.docx").status_code == 200
        dashboard = client.get(f"/phong-trao/{movement.slug}/theo-doi/").content.decode()
        assert f'href="{base}"' in dashboard
        stats = client.get("/thong-ke/", {"phong_trao": movement.slug}).content.decode()
        assert f'href="{base}"' in stats
    # The receiving office follows the movement but does not draft its summary; the others
    # neither; the binh chairman signs it on paper.
    for user in [personas.dung, personas.hanh, personas.tam, personas.khanh, personas.binh,
                 personas.lan, personas.quy, personas.stranger]:
        client = client_for(user)
        for url in [base, f"{base}{report.pk}/", f"{base}{report.pk}/bao-cao-tong-ket.docx"]:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(base).status_code == 404
        assert client.post(f"{base}{report.pk}/thu-lai/").status_code == 404
        with pytest.raises(PermissionDenied):
            actions.request_summary_report(movement, by=user)
        if user.has_perm("movements.monitor", movement):
            dashboard = client.get(f"/phong-trao/{movement.slug}/theo-doi/").content.decode()
            assert 'data-testid="summary-link"' not in dashboard
        if user.has_perm("reports.view"):
            stats = client.get("/thong-ke/", {"phong_trao": movement.slug}).content.decode()
            assert 'data-testid="summary-link"' not in stats
    assert client_for(None).get(base).status_code == 302  # to the sign-in page
    assert SummaryReport.objects.count() == 1
    # A report of one movement is not reachable under another movement's address.
    other = draft_movement(personas.mai)
    assert client_for(personas.mai).get(
        f"/thong-ke/tong-ket/{other.slug}/{report.pk}/").status_code == 404
