"""The movement's summary report (báo cáo tổng kết): the secretariat asks, the worker (django-tasks'
database backend, run here as `thidua db_worker --batch`) writes a DOCX with the figures, tables
and charts filled in, the page follows its progress; a failure keeps no file and can be retried;
a task delivered twice writes once; only the movement's secretariat and administrators may.
The DOCX is the "summary_report" document kind, rendered from the issuing body's replacement
template when an administrator uploaded one (tests/documents/test_summary_template.py checks the
uploads), and LibreOffice lays it out within the page.

Every figure read back from the DOCX is compared with a count made here from the rows."""

import io
from collections import Counter, defaultdict
from datetime import date, timedelta

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from tests.documents.test_libreoffice import HEADER, positions, soffice  # noqa: F401
from tests.movements.conftest import draft_movement, set_up
from thidua.core.models import Activity
from thidua.documents.admin import DocumentTemplateForm
from thidua.documents.build_templates import BUILDERS
from thidua.documents.models import DocumentTemplate
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
from thidua.reports import actions, documents, summary, tasks
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
    highlighted = [run.text for p in doc.paragraphs for run in p.runs
                   if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert len(highlighted) == movement.criteria.count() + 5  # one per criterion, 3 + 2 after
    assert all(t.startswith("[") and t.endswith("]") for t in highlighted)
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
    original = documents.render

    def spy(content, *, progress):
        row = SummaryReport.objects.get(pk=report.pk)
        seen.append((row.state, row.steps_done))
        return original(content, progress=progress)

    monkeypatch.setattr(documents, "render", spy)
    run_worker()
    # Organisation, each criterion and the commendation were saved before the writing began.
    assert seen == [("running", movement.criteria.count() + 2)]
    done = client.get(url, {"phan": "progress"}, headers={"HX-Request": "true"}).content.decode()
    assert "(100%)" in done and "hx-trigger" not in done and "bao-cao-tong-ket.docx" in done


def test_a_failure_keeps_no_file_says_why_and_can_be_retried(
        reported, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        monkeypatch, settings):
    movement = reported["movement"]
    original = documents.render

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(documents, "render", broken)
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

    monkeypatch.setattr(documents, "render", original)
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
    monkeypatch.setattr(documents, "render", lambda *a, **k: calls.append(a))
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


# --- the report as a document kind: its context, the office's own template -------------------

def names(value, prefix="") -> set[str]:
    """Every name a context gives, the members of its lists' elements dotted."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found |= {path} | names(item, path)
    elif isinstance(value, list):
        for item in value:
            found |= names(item, prefix)
    return found


def test_the_kind_declares_every_name_its_context_gives(reported, personas):
    ReportPeriod.objects.filter(pk=reported["final"].pk).update(
        conclusion="Phong trào đạt kết quả tốt & <vượt mức>", concluded_on=date(2022, 1, 10))
    content = summary.gather(reported["movement"], personas.mai)
    context = documents.summary_context(content)
    assert names(context) == documents.FIELDS
    assert [c["reported"] for c in context["criteria"] if c["rows"]] == [2, 1]
    data = documents.render(content)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert ("Kết luận tổng kết năm 2021 ngày 10/01/2022: Phong trào đạt kết quả tốt & <vượt mức>"
            in text)
    # Nothing to serve under /van-ban/: the job makes it and its page serves it.
    assert documents.SUMMARY_REPORT.formats == {"docx"}


def template(mark: str = "", change=None) -> bytes:
    """The built-in template, its title "BÁO CÁO" replaced by ``mark``, then ``change`` made."""
    doc = BUILDERS["summary_report"]()
    if mark:
        title = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
        title.runs[0].text = mark
    if change:
        change(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(organisation, data: bytes) -> DocumentTemplate:
    """As an administrator uploads it in the admin, checked by the admin's form."""
    form = DocumentTemplateForm(
        data={"kind": "summary_report", "organisation": organisation.pk if organisation else ""},
        files={"file": SimpleUploadedFile("mau-bao-cao.docx", data)})
    assert form.is_valid(), form.errors
    return form.save()


def written(movement, by, capture, run_worker) -> list[str]:
    """The paragraphs of the report the worker writes."""
    report = request(movement, by, capture)
    run_worker()
    report.refresh_from_db()
    assert report.state == "done", report.error
    return [p.text for p in Document(report.file.open("rb")).paragraphs]


def test_the_issuing_bodys_own_template_writes_its_reports_and_no_others(
        reported, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    city_movement = reported["movement"]
    song_cau = ward("phuong-song-cau")
    # The ward's own movement, its own secretariat (set up here by an administrator).
    admin = personas.admin
    ward_movement = movement_actions.launch_movement(
        set_up(draft_movement(admin, issuer=song_cau, number="9/KH-UBND",
                              council_secretariat=song_cau, receiving_office=song_cau), admin),
        by=admin)
    assert city_movement.issuer != ward_movement.issuer == song_cau

    def write(movement):
        return written(movement, admin, django_capture_on_commit_callbacks, run_worker)

    client = client_for(admin)

    def says(movement) -> str:
        page = client.get(f"/thong-ke/tong-ket/{movement.slug}/").content.decode()
        return page.split('data-testid="summary-template">')[1].split("</p>")[0]

    assert "mẫu báo cáo mặc định" in says(city_movement) and "mặc định" in says(ward_movement)
    # Sông Cầu's template: its own movement's report follows it, the city's does not.
    upload(song_cau, template("BÁO CÁO CỦA PHƯỜNG SÔNG CẦU"))
    ward_text, city_text = write(ward_movement), write(city_movement)
    assert "BÁO CÁO CỦA PHƯỜNG SÔNG CẦU" in ward_text and "BÁO CÁO" not in ward_text
    assert "BÁO CÁO CỦA PHƯỜNG SÔNG CẦU" not in city_text and "BÁO CÁO" in city_text
    # Filled in the same way: the ward's plan, its criteria.
    assert ward_text[2].startswith("Thực hiện Kế hoạch số 9/KH-UBND ngày 01/03/2026 của Ủy ban "
                                   "nhân dân phường Sông Cầu")
    assert "1. Tiêu chí 1: Tỷ lệ hộ phân loại rác" in ward_text
    assert says(ward_movement) == ("Theo mẫu báo cáo riêng của Ủy ban nhân dân phường Sông Cầu, "
                                   "do quản trị hệ thống tải lên.")
    assert "mặc định" in says(city_movement)

    # A template for every body serves those without their own.
    upload(None, template("BÁO CÁO (MẪU CHUNG)"))
    assert "BÁO CÁO (MẪU CHUNG)" in write(city_movement)
    assert says(city_movement) == "Theo mẫu báo cáo chung do quản trị hệ thống tải lên."
    assert "BÁO CÁO CỦA PHƯỜNG SÔNG CẦU" in write(ward_movement)
    assert SummaryReport.objects.filter(state="done").count() == 4


def test_a_template_that_no_longer_fits_fails_the_report_with_its_reason(
        reported, personas, client_for, django_capture_on_commit_callbacks, run_worker,
        settings):
    """A replacement that got in without the check (an older check, a file swapped on disk)
    fails the job with what is wrong, keeps no file and answers no 500; once it is corrected
    the report is written on retry."""
    movement = reported["movement"]

    def misspell(doc):
        line = next(p for p in doc.paragraphs if "{{ c.title }}" in p.text)
        line.runs[0].text = line.runs[0].text.replace("c.title", "c.titel")

    bad = DocumentTemplate.objects.create(
        kind="summary_report", organisation=movement.issuer,
        file=SimpleUploadedFile("mau.docx", template(change=misspell)))
    report = request(movement, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    report.refresh_from_db()
    assert report.state == "failed" and not report.file
    assert report.error.startswith("Mẫu văn bản có trường không hợp lệ") and "titel" in \
        report.error
    folder = settings.MEDIA_ROOT / "reports"
    assert not folder.exists() or not any(folder.rglob("*.docx"))
    client = client_for(personas.mai)
    url = f"/thong-ke/tong-ket/{movement.slug}/{report.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "titel" in page.content.decode()
    assert client.get(f"{url}bao-cao-tong-ket.docx").status_code == 404

    bad.file.save("mau.docx", io.BytesIO(template("BÁO CÁO ĐÃ SỬA")))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}thu-lai/")
    run_worker()
    report.refresh_from_db()
    assert report.state == "done"
    assert "BÁO CÁO ĐÃ SỬA" in [p.text for p in Document(report.file.open("rb")).paragraphs]


# The report has no PDF of ours to compare with (tests/documents/test_libreoffice.py compares
# the kinds that have one): LibreOffice must find its sections in order, every chart, and
# nothing outside the Decree 30 margins (30 mm left, 15 mm right).
SECTIONS = ["BÁO CÁO", "I. CÔNG TÁC TỔ CHỨC PHONG TRÀO", "II. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ",
            "III. CÔNG TÁC KHEN THƯỞNG", "IV. ĐÁNH GIÁ CHUNG", "V. ĐỀ XUẤT, KIẾN NGHỊ",
            "Nơi nhận:", "CHỦ TỊCH"]


def test_libreoffice_lays_the_report_out_within_the_page(reported, personas, soffice,  # noqa: F811
                                                         tmp_path):
    data = documents.render(summary.gather(reported["movement"], personas.mai))
    charts = len(Document(io.BytesIO(data)).inline_shapes)
    assert charts >= 5  # the organisation, two criteria, two award statistics
    converted = soffice(data, tmp_path)
    pages, found = positions(converted, [*HEADER, *SECTIONS])
    assert found["BÁO CÁO"][0] == 1 and pages >= 3
    with pdfplumber.open(io.BytesIO(converted)) as pdf:
        assert sum(len(page.images) for page in pdf.pages) == charts
        for page in pdf.pages:
            width = float(page.width)
            for char in page.chars:
                assert width * 29 / 210 <= char["x0"] and char["x1"] <= width * 196 / 210, (
                    char["text"], char["x0"], char["x1"])
            for image in page.images:
                assert width * 29 / 210 <= image["x0"] and image["x1"] <= width * 196 / 210
