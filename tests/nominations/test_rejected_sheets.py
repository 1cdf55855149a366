"""A rejected Excel list is kept for its uploader only, a day at most, then removed with its
file — by the next rejected upload or by ``thidua purge_rejected_sheets``."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.pipeline import sheet_with
from thidua.nominations import actions
from thidua.nominations.models import RejectedSheet

pytestmark = pytest.mark.django_db


def reject(client, dossier, name="Hoàng Văn Nam"):
    """Upload a list with a birth year in the future: refused, nothing imported."""
    client.post(f"/ho-so/{dossier.pk}/nhap-excel/", {"file": sheet_with([(name, 2090, "male")])})
    return RejectedSheet.objects.get(dossier=dossier)


def errors_url(dossier):
    return f"/ho-so/{dossier.pk}/nhap-excel/loi.xlsx"


def stored(sheet) -> bool:
    return sheet.file.storage.exists(sheet.file.name)


def test_the_uploader_takes_the_marked_sheet_back(draft, personas, client_for):
    client = client_for(personas.hanh)
    sheet = reject(client, draft)
    assert sheet.uploaded_by == personas.hanh and stored(sheet)
    assert [row[0] for row in sheet.errors] and sheet.expires_at > timezone.now()
    response = client.get(errors_url(draft))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert draft.nominees.count() == 1


def test_another_person_of_the_same_unit_gets_404(draft, personas, client_for):
    reject(client_for(personas.hanh), draft)
    assert client_for(personas.tam).get(errors_url(draft)).status_code == 404
    assert client_for(personas.thu).get(errors_url(draft)).status_code == 404


def test_the_sheet_belongs_to_its_dossier(draft, personas, client_for, movement,
                                          city_certificate):
    client = client_for(personas.hanh)
    reject(client, draft)
    other = actions.create_dossier(movement=movement, organisation=draft.organisation,
                                   award_form=city_certificate, by=personas.hanh)
    assert client.get(errors_url(other)).status_code == 404


def test_an_expired_sheet_is_404_and_the_purge_removes_it_and_its_file(
        draft, personas, client_for, django_capture_on_commit_callbacks):
    client = client_for(personas.hanh)
    sheet = reject(client, draft)
    RejectedSheet.objects.filter(pk=sheet.pk).update(expires_at=timezone.now()
                                                     - timedelta(minutes=1))
    assert client.get(errors_url(draft)).status_code == 404
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_rejected_sheets", stdout=out)
    assert "Đã xóa 1 " in out.getvalue()
    assert not RejectedSheet.objects.exists() and not stored(sheet)


def test_the_purge_leaves_sheets_that_have_not_expired(draft, personas, client_for):
    sheet = reject(client_for(personas.hanh), draft)
    assert actions.purge_rejected_sheets() == 0
    assert RejectedSheet.objects.get() == sheet and stored(sheet)


def test_a_new_rejected_upload_replaces_the_previous_one(draft, personas, client_for,
                                                         django_capture_on_commit_callbacks):
    client = client_for(personas.hanh)
    first = reject(client, draft)
    with django_capture_on_commit_callbacks(execute=True):
        second = reject(client, draft, name="Lục Thị Hoa")
    assert first.pk != second.pk
    assert list(RejectedSheet.objects.all()) == [second]
    assert not stored(first) and stored(second)


def test_any_rejected_upload_clears_everyones_expired_sheets(draft, personas, client_for,
                                                             django_capture_on_commit_callbacks):
    old = reject(client_for(personas.hanh), draft)
    RejectedSheet.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        actions.keep_rejected_sheet(draft, b"PK", [], by=personas.tam)
    assert list(RejectedSheet.objects.values_list("uploaded_by", flat=True)) == [personas.tam.pk]
    assert not stored(old)


def test_only_an_editor_of_the_dossier_keeps_a_sheet(draft, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.keep_rejected_sheet(draft, b"PK", [], by=personas.thu)
    assert not RejectedSheet.objects.exists()


def test_the_purge_also_removes_old_files_no_sheet_owns(draft, personas, client_for,
                                                        django_capture_on_commit_callbacks):
    """Left by a deleted dossier or user, or by the earlier session-based keeping."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    kept = reject(client_for(personas.hanh), draft)
    old = default_storage.save("import-errors/cu.xlsx", ContentFile(b"PK old"))
    fresh = default_storage.save("import-errors/moi.xlsx", ContentFile(b"PK new"))
    aged = timezone.now() - timedelta(days=2)
    import os
    os.utime(default_storage.path(old), (aged.timestamp(), aged.timestamp()))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.purge_rejected_sheets() == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh) and stored(kept)
