"""Printing a decision's certificates in the background: the secretariat asks, the worker
(django-tasks' database backend, run here as `thidua db_worker --batch`) renders one PDF, the
page follows its progress, a failure can be retried and never changes a serial."""

import io
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from tests.pipeline import draft_for, person
from thidua.core.models import Activity
from thidua.decisions import actions, tasks, views
from thidua.decisions import certificate_batches as batches
from thidua.decisions.models import CertificateBatch
from thidua.documents import certificates
from thidua.documents.models import CertificateLayout
from thidua.nominations import actions as dossier_actions
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


@pytest.fixture
def run_worker(monkeypatch):
    """`thidua db_worker --batch`: run every queued task, then stop.

    The worker drops any connection found inside a transaction, as a long-lived process should;
    here that connection holds the test's own transaction (PostgreSQL would lose it), so it stays.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                     verbosity=0)

    return run


def pdf_pages(data: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text())
            for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def issued(approved, movement, city_certificate, personas):
    return actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                  by=personas.binh)


def request_batch(decision, by, capture, layout=None, full_design=False):
    with capture(execute=True):
        return batches.request_certificate_batch(decision, layout=layout, full_design=full_design,
                                                 base_url=BASE, by=by)


def test_secretariat_prints_the_whole_decision_in_the_background(
        issued, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    client = client_for(personas.mai)
    detail = client.get(f"/quyet-dinh/{issued.pk}/").content.decode()
    assert "In toàn bộ 2 giấy khen" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quyet-dinh/{issued.pk}/in-giay-khen/", {"mau": "0",
                                                                          "kieu": "phoi"})
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/quyet-dinh/{issued.pk}/in-giay-khen/{batch.pk}/"
    assert (batch.state, batch.pages_total, batch.pages_done) == ("queued", 2, 0)
    assert batch.requested_by == personas.mai and batch.layout is None and not batch.full_design
    task = DBTaskResult.objects.get()
    assert str(task.id) == batch.task_id and task.args_kwargs["args"] == [batch.pk]
    assert not batch.file  # nothing is rendered inside the request

    run_worker()

    batch.refresh_from_db()
    assert batch.state == "done" and batch.pages_done == batch.pages_total == 2
    assert batch.error == "" and batch.started_at and batch.finished_at
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = client.get(f"/quyet-dinh/{issued.pk}/in-giay-khen/{batch.pk}/").content.decode()
    download_url = f"/quyet-dinh/{issued.pk}/in-giay-khen/{batch.pk}/giay-khen.pdf"
    assert download_url in page and "100%" in page
    download = client.get(download_url)
    assert download["Content-Disposition"].startswith("attachment")
    pages = pdf_pages(b"".join(download.streaming_content))
    assert len(pages) == 2
    serials = dict(issued.awards.values_list("name", "serial"))
    for text, name in zip(pages, ["Nguyễn Thị Lan", "Hoàng Văn Nam"], strict=True):
        assert name in text and f"Số vào sổ: {serials[name]}" in text
        assert "Quyết định số 1234/QĐ-UBND ngày 20/12/2021" in text
    assert Activity.objects.filter(verb="certificates.requested", actor=personas.mai,
                                   target_id=str(issued.pk)).count() == 1
    recent = client.get(f"/quyet-dinh/{issued.pk}/in-giay-khen/gan-day/").content.decode()
    assert f"/in-giay-khen/{batch.pk}/" in recent and "Đã xong" in recent


def test_the_verification_link_uses_the_address_the_batch_was_asked_from(
        issued, personas, django_capture_on_commit_callbacks, monkeypatch, run_worker):
    seen = {}
    original = certificates.render

    def spy(texts, layout, **kwargs):
        seen["urls"] = [t.verify_url for t in texts]
        return original(texts, layout, **kwargs)

    monkeypatch.setattr(certificates, "render", spy)
    with django_capture_on_commit_callbacks(execute=True):
        batches.request_certificate_batch(issued, layout=None, full_design=True,
                                          base_url="https://tdkt.backan.gov.vn/", by=personas.mai)
    run_worker()
    lines = issued.awards.order_by("order").values_list("serial", "verify_code")
    assert seen["urls"] == [f"https://tdkt.backan.gov.vn/xac-minh/{s}/?ma={code}"
                            for s, code in lines]


def test_progress_is_saved_while_the_pages_are_drawn(
        issued, personas, django_capture_on_commit_callbacks, monkeypatch, run_worker):
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    stored = []
    original = certificates.render

    def every_page(texts, layout, *, progress, **kwargs):
        def record(done):
            progress(done)
            row = CertificateBatch.objects.get(pk=batch.pk)
            stored.append((row.state, row.pages_done, row.pages_total))
        return original(texts, layout, progress=record, **{**kwargs, "every": 1})

    monkeypatch.setattr(certificates, "render", every_page)
    run_worker()
    assert stored == [("running", 1, 2), ("running", 2, 2)]


def test_the_progress_partial_shows_the_percentage_and_stops_polling_when_done(
        issued, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    client = client_for(personas.mai)
    url = f"/quyet-dinh/{issued.pk}/in-giay-khen/{batch.pk}/"
    CertificateBatch.objects.filter(pk=batch.pk).update(state="running", pages_done=1)
    part = client.get(url, {"phan": "progress"}, headers={"HX-Request": "true"}).content.decode()
    assert "Đã in 1/2 trang (50%)" in part and 'aria-valuenow="50"' in part
    assert 'hx-trigger="every 2s"' in part and f'hx-get="{url}?phan=progress"' in part
    assert "<html" not in part  # only the partial, swapped in by htmx
    full = client.get(url).content.decode()
    assert "<html" in full and 'hx-trigger="every 2s"' in full and "<script>" not in full
    CertificateBatch.objects.filter(pk=batch.pk).update(state="queued", pages_done=0)
    run_worker()
    done = client.get(url, {"phan": "progress"}, headers={"HX-Request": "true"}).content.decode()
    assert "Đã in 2/2 trang (100%)" in done and "hx-trigger" not in done
    assert "giay-khen.pdf" in done


def test_a_failed_batch_keeps_no_file_and_says_why_then_a_retry_prints_the_same_serials(
        issued, personas, client_for, django_capture_on_commit_callbacks, monkeypatch, settings,
        run_worker):
    serials_before = sorted(issued.awards.values_list("serial", flat=True))
    original = certificates.render

    def broken(texts, layout, *, progress, **kwargs):
        progress(1)
        raise OSError("disk full")

    monkeypatch.setattr(certificates, "render", broken)
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    batch.refresh_from_db()
    assert batch.state == "failed" and not batch.file
    assert "Không tạo được tệp PDF giấy khen" in batch.error
    assert DBTaskResult.objects.get().status == "FAILED"
    media = settings.MEDIA_ROOT / "certificates"
    assert not media.exists() or not any(media.iterdir())
    client = client_for(personas.mai)
    url = f"/quyet-dinh/{issued.pk}/in-giay-khen/{batch.pk}/"
    page = client.get(url).content.decode()
    assert "Không tạo được tệp PDF giấy khen" in page and "Thử lại" in page
    assert "hx-trigger" not in page
    assert client.get(f"{url}giay-khen.pdf").status_code == 404

    monkeypatch.setattr(certificates, "render", original)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}thu-lai/")
    batch.refresh_from_db()
    assert (batch.state, batch.pages_done, batch.error) == ("queued", 0, "")
    assert DBTaskResult.objects.count() == 2 and DBTaskResult.objects.get(id=batch.task_id)
    run_worker()
    batch.refresh_from_db()
    assert batch.state == "done" and batch.pages_done == 2
    serials_after = sorted(issued.awards.values_list("serial", flat=True))
    assert serials_after == serials_before and len(set(serials_after)) == 2
    texts = pdf_pages(batch.file.read())
    assert [s for s in serials_after if any(s in t for t in texts)] == serials_after
    assert Activity.objects.filter(verb="certificates.retried", actor=personas.mai).count() == 1
    with pytest.raises(ValidationError, match="bị lỗi"):  # only a failed batch is retried
        batches.retry_certificate_batch(batch, by=personas.mai)


def test_a_second_request_while_one_is_waiting_returns_it(
        issued, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    first = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    again = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    assert again.pk == first.pk
    client = client_for(personas.mai)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quyet-dinh/{issued.pk}/in-giay-khen/", {"kieu": "phoi"})
    assert response["Location"].endswith(f"/in-giay-khen/{first.pk}/")
    assert CertificateBatch.objects.count() == 1 and DBTaskResult.objects.count() == 1
    # Another way of printing is another batch; a finished one is not reused either.
    layout = CertificateLayout.objects.create(name="Phôi phường", organisation=issued.issuer)
    other = request_batch(issued, personas.mai, django_capture_on_commit_callbacks, layout=layout)
    assert other.pk != first.pk
    run_worker()
    assert set(CertificateBatch.objects.values_list("state", flat=True)) == {"done"}
    later = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    assert later.pk not in (first.pk, other.pk) and later.state == "queued"


def test_unit_officers_and_strangers_cannot_print_or_see_batches(
        issued, personas, client_for, django_capture_on_commit_callbacks, run_worker):
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    base = f"/quyet-dinh/{issued.pk}/in-giay-khen/"
    for user in [personas.hanh, personas.stranger]:
        client = client_for(user)
        assert client.post(base, {"kieu": "phoi"}).status_code == 404
        for url in [f"{base}{batch.pk}/", f"{base}{batch.pk}/giay-khen.pdf", f"{base}gan-day/",
                    f"/quyet-dinh/{issued.pk}/giay-khen.pdf"]:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"{base}{batch.pk}/thu-lai/").status_code == 404
        with pytest.raises(PermissionDenied):
            batches.request_certificate_batch(issued, layout=None, full_design=False,
                                              base_url=BASE, by=user)
    # The unit officer still sees the issued decision, just not the print box.
    page = client_for(personas.hanh).get(f"/quyet-dinh/{issued.pk}/").content.decode()
    assert "Nguyễn Thị Lan" in page and 'data-testid="print-box"' not in page
    assert CertificateBatch.objects.count() == 1
    # A batch of one decision is not reachable under another decision's address.
    assert client_for(personas.mai).get(f"/quyet-dinh/{issued.pk + 1}/in-giay-khen/"
                                        f"{batch.pk}/").status_code == 404


def test_a_draft_decision_is_refused(approved, movement, city_certificate,
                                     personas, client_for, django_capture_on_commit_callbacks):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    with pytest.raises(ValidationError, match="quyết định đã ban hành"):
        request_batch(decision, personas.mai, django_capture_on_commit_callbacks)
    response = client_for(personas.mai).post(f"/quyet-dinh/{decision.pk}/in-giay-khen/",
                                             {"kieu": "phoi"}, follow=True)
    assert "Chỉ in giấy khen của quyết định đã ban hành." in response.content.decode()
    assert not CertificateBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_another_issuers_layout_is_refused(issued, personas, demo,
                                           django_capture_on_commit_callbacks):
    ward = demo.org("phuong-song-cau")
    layout = CertificateLayout.objects.create(name="Phôi của phường", organisation=ward)
    with pytest.raises(ValidationError, match="không thuộc cơ quan ban hành"):
        request_batch(issued, personas.mai, django_capture_on_commit_callbacks, layout=layout)


def test_the_calibration_page_still_downloads_at_once(issued, personas, client_for, monkeypatch):
    client = client_for(personas.mai)
    test = client.get(f"/quyet-dinh/{issued.pk}/giay-khen.pdf", {"thu": "1"})
    pages = pdf_pages(test.content)
    assert len(pages) == 2 and "name (" in pages[0] and "Nguyễn Thị Lan" in pages[1]
    # A decision longer than a request should print is sent to the background path.
    monkeypatch.setattr(views, "SYNC_PAGES", 1)
    response = client.get(f"/quyet-dinh/{issued.pk}/giay-khen.pdf", follow=True)
    assert "In toàn bộ" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/quyet-dinh/{issued.pk}/"


def test_a_wards_own_decision_is_printed_by_the_ward_not_the_city(
        personas, movement, client_for, django_capture_on_commit_callbacks,
        run_worker):
    ward = personas.hanh.organisations_with_role("unit_officer")[0]
    dossier = dossier_actions.create_dossier(
        movement=movement, organisation=ward, unit_meeting_date=date(2021, 11, 15),
        award_form=AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-xa"),
        unit_meeting_result="Hội đồng TĐKT phường thống nhất", by=personas.hanh)
    dossier_actions.add_nominee(dossier, person(name="Triệu Văn Sơn", year=1982, gender="male"),
                                by=personas.hanh)
    decision = actions.issue_decision(actions.draft_unit_decision(
        dossier, nominees=list(dossier.nominees.all()), number=15, issued_on=date(2021, 12, 10),
        signer=personas.tam, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.hanh),
        by=personas.tam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.hanh).post(f"/quyet-dinh/{decision.pk}/in-giay-khen/",
                                                  {"kieu": "day-du"})
    batch = CertificateBatch.objects.get(decision=decision)
    assert response["Location"].endswith(f"/in-giay-khen/{batch.pk}/") and batch.full_design
    run_worker()
    batch.refresh_from_db()
    (text,) = pdf_pages(batch.file.read())
    assert "Triệu Văn Sơn" in text and "GIẤY KHEN" in text and ward.name.upper() in text
    # The city's secretariat sees the ward's decision but prints only the city's own.
    city = client_for(personas.mai)
    assert city.get(f"/quyet-dinh/{decision.pk}/").status_code == 200
    assert city.get(f"/quyet-dinh/{decision.pk}/in-giay-khen/{batch.pk}/").status_code == 404


def test_a_batch_stopped_mid_job_can_be_retried(issued, personas, client_for,
                                               django_capture_on_commit_callbacks, run_worker):
    from datetime import timedelta

    from django.utils import timezone

    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    serials = sorted(issued.awards.values_list("serial", flat=True))
    # The worker took the batch and was killed: it stays "running" with nobody printing it.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state="running", pages_done=1, started_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="bị lỗi hoặc bị dừng giữa chừng"):
        batches.retry_certificate_batch(batch, by=personas.mai)  # five minutes is not stalled
    CertificateBatch.objects.filter(pk=batch.pk).update(
        started_at=timezone.now() - timedelta(minutes=16))
    url = f"/quyet-dinh/{issued.pk}/in-giay-khen/{batch.pk}/"
    page = client_for(personas.mai).get(url).content.decode()
    assert 'data-testid="batch-stalled"' in page and "hx-trigger" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.mai).post(f"{url}thu-lai/")
    run_worker()
    batch.refresh_from_db()
    assert batch.state == "done" and batch.pages_done == 2
    assert sorted(issued.awards.values_list("serial", flat=True)) == serials


def test_a_batch_that_never_left_the_queue_does_not_block_printing(
        issued, personas, django_capture_on_commit_callbacks, run_worker):
    from datetime import timedelta

    from django.utils import timezone

    stuck = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    assert request_batch(issued, personas.mai, django_capture_on_commit_callbacks) == stuck
    # Its task was lost (the queue was down when it was asked for): a quarter of an hour later
    # a new request starts a new batch, and the lost one may be retried.
    DBTaskResult.objects.all().delete()
    CertificateBatch.objects.filter(pk=stuck.pk).update(
        queued_at=timezone.now() - timedelta(minutes=20))
    fresh = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    assert fresh != stuck
    with django_capture_on_commit_callbacks(execute=True):
        batches.retry_certificate_batch(stuck, by=personas.mai)
    run_worker()
    assert set(CertificateBatch.objects.values_list("state", flat=True)) == {"done"}


def test_a_long_batch_that_still_advances_is_not_stalled(issued, personas,
                                                         django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state="running", started_at=timezone.now() - timedelta(minutes=40),
        progressed_at=timezone.now() - timedelta(seconds=20))
    batch.refresh_from_db()
    assert not batch.is_stalled and batch.is_active
    with pytest.raises(ValidationError, match="bị lỗi hoặc bị dừng giữa chừng"):
        batches.retry_certificate_batch(batch, by=personas.mai)


def test_a_task_delivered_twice_prints_once(issued, personas, django_capture_on_commit_callbacks,
                                            monkeypatch):
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    assert tasks.run_certificate_batch(batch.pk) == 2
    batch.refresh_from_db()
    printed = batch.file.name
    calls = []
    monkeypatch.setattr(certificates, "render", lambda *a, **k: calls.append(a))
    assert tasks.run_certificate_batch(batch.pk) == 0  # the state moved on: nothing to do
    batch.refresh_from_db()
    assert calls == [] and batch.state == "done" and batch.file.name == printed
    assert Activity.objects.filter(verb="certificates.started").count() == 1
    assert Activity.objects.filter(verb="certificates.printed").count() == 1


def test_the_workers_moves_are_logged_for_the_person_who_asked(
        issued, personas, django_capture_on_commit_callbacks, monkeypatch, run_worker):
    original = certificates.render

    def broken(texts, layout, *, progress, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(certificates, "render", broken)
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        batches.retry_certificate_batch(batch, by=personas.mai)
    monkeypatch.setattr(certificates, "render", original)
    run_worker()
    rows = [(a.verb, a.actor, a.before["state"], a.after["state"])
            for a in Activity.objects.for_object(batch).order_by("pk")]
    assert rows == [
        ("certificates.started", personas.mai, "queued", "running"),
        ("certificates.failed", personas.mai, "running", "failed"),
        ("certificates.retried", personas.mai, "failed", "queued"),
        ("certificates.started", personas.mai, "queued", "running"),
        ("certificates.printed", personas.mai, "running", "done"),
    ]
    started = Activity.objects.for_object(batch).filter(verb="certificates.started").first()
    batch.refresh_from_db()
    assert started.after["cause"] == f"task {batch.task_id}"
    assert all(a.organisation == issued.issuer for a in Activity.objects.for_object(batch))


def test_a_batch_cannot_be_retried_by_someone_who_may_not_print(
        issued, personas, django_capture_on_commit_callbacks, monkeypatch, run_worker):
    monkeypatch.setattr(certificates, "render", lambda *a, **k: 1 / 0)
    batch = request_batch(issued, personas.mai, django_capture_on_commit_callbacks)
    run_worker()
    batch.refresh_from_db()
    for who in [personas.hanh, personas.binh]:
        with pytest.raises(PermissionDenied):
            batches.retry_certificate_batch(batch, by=who)
    batch.refresh_from_db()
    assert batch.state == "failed"
    assert not Activity.objects.filter(verb="certificates.retried").exists()
