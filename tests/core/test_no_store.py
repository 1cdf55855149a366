"""Nobody's browser or proxy keeps a copy of a page or file that holds people's data.

The class (core.middleware.NoStoreMiddleware): every response carries ``Cache-Control: no-store``
except a public page that shows no person (settings.THIDUA_CACHEABLE_PUBLIC_VIEWS) answering an
anonymous visitor. So every page a signed-in user sees, every download, and the public pages
that show people (disclosures, certificate verification) are never stored.
"""

import pytest
from django.conf import settings as django_settings

from tests.core.test_bad_bytes import CASES

pytestmark = pytest.mark.django_db

SAMPLES = [(label, path) for label, path, where in CASES if where == "query"]


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


CHUNK = 60


@pytest.mark.parametrize("start", range(0, len(SAMPLES), CHUNK), ids=lambda at: f"from-{at}")
def test_every_url_answers_a_signed_in_user_with_no_store(start, personas, client_for):
    """Each URL pattern once, as the administrator (who may open the most): found or not,
    redirected or refused, nothing is to be stored."""
    client = client_for(personas.admin)
    kept = [label for label, path in SAMPLES[start:start + CHUNK] if not no_store(client.get(path))]
    assert kept == []


def test_anonymous_visitors_get_no_store_everywhere_but_the_pages_without_people(client, movement):
    cacheable = {"/", "/phong-trao/", f"/phong-trao/{movement.slug}/", "/jsi18n/"}
    kept = []
    for label, path in SAMPLES:
        response = client.get(path)
        if no_store(response) and path in cacheable and response.status_code == 200:
            kept.append(("refused", label))
        elif not no_store(response) and path not in cacheable:
            kept.append(("kept", label))
    assert kept == []
    for path in cacheable:
        response = client.get(path)
        assert response.status_code == 200 and not no_store(response), path
    assert set(django_settings.THIDUA_CACHEABLE_PUBLIC_VIEWS) == {
        "public-home", "movements:list", "movements:detail", "javascript-catalog"}


def test_a_public_page_seen_signed_in_is_not_stored(client_for, personas, movement):
    client = client_for(personas.hanh)
    for path in ["/", "/phong-trao/", f"/phong-trao/{movement.slug}/"]:
        assert no_store(client.get(path)), path


def test_pages_and_files_with_people_are_not_stored(submitted, personas, client_for):
    """The dossier page, its list, package and an attached file, the log, the register."""
    from thidua.nominations.models import AttachmentVersion

    version = AttachmentVersion.objects.filter(attachment__dossier=submitted).first()
    paths = [f"/ho-so/{submitted.pk}/", f"/ho-so/{submitted.pk}/danh-sach.xlsx",
             f"/ho-so/{submitted.pk}/tep/{version.pk}/",
             "/so-khen-thuong/?q=lan", "/viec-cua-toi/"]
    client = client_for(personas.hanh)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response) and "private" in response["Cache-Control"], path
    download = client_for(personas.dung).get(f"/ho-so/{submitted.pk}/tep/{version.pk}/")
    assert "attachment" in download["Content-Disposition"] and no_store(download)
    assert no_store(client_for(personas.dung).get("/nhat-ky/"))


def test_the_public_disclosure_pages_are_not_stored(client, forwarded, personas):
    """Public, but they show people: the list and each disclosure."""
    from django.utils import timezone

    from tests.pipeline import next_working_day
    from thidua.reviews import disclosures

    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=list(forwarded.nominees.filter(
            committee_conclusion="propose")), starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Công khai", by=personas.mai)
    listing = client.get("/cong-khai/")
    page = client.get(f"/cong-khai/{disclosure.pk}/")
    assert "Nguyễn Thị Lan" in page.content.decode()
    assert no_store(listing) and no_store(page)


def test_static_files_keep_their_caching(client, personas, client_for):
    for who in [client, client_for(personas.hanh)]:
        response = who.get("/static/thidua/app.css")
        assert response.status_code == 200
        assert not no_store(response)
