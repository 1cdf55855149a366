"""An anonymous visitor walks every public page — lists with every filter, each exemplar's page,
the feed, the sitemap, the search, the honour roll, the movement page, the suggestion form, the
disclosures and a certificate's verification page — and meets no draft, returned, rejected,
unpublished or consent-less item, and no birth year, ethnicity or contact of anyone."""

import re

import pytest
from django.test import Client

from tests.pipeline import draft_for
from thidua.decisions import actions as decision_actions
from thidua.exemplars import actions
from thidua.exemplars.models import Exemplar
from thidua.nominations.models import Nominee

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_exemplar, approved, movement, city_certificate, personas):
    Nominee.objects.update(ethnicity="Dântộc Bímật", birth_year=1911)
    decision = decision_actions.issue_decision(
        draft_for(movement, city_certificate, approved, personas.mai), by=personas.binh)
    withdrawn = make_exemplar("published", title="Bài rút đồng ý")
    actions.withdraw_consent(withdrawn, reason="Gia đình không muốn", by=personas.hanh)
    hidden = {
        make_exemplar("draft", title="Bài nháp bí mật").title,
        make_exemplar("submitted", title="Bài chờ biên tập bí mật").title,
        make_exemplar("returned", title="Bài bị trả lại bí mật").title,
        make_exemplar("rejected", title="Bài không đăng bí mật").title,
        make_exemplar("unpublished", title="Bài đã gỡ bí mật").title,
        make_exemplar("submitted", title="Bài chưa đồng ý bí mật", consent=False).title,
        withdrawn.title,
    }
    shown = {make_exemplar("published", title="Bài công khai một").title,
             make_exemplar("published", title="Mô hình công khai hai", person="").title}
    actions.submit_suggestion(movement=movement, contact="0900111222", about="Đề xuất bí mật",
                              text="Nội dung đề xuất")
    return {"hidden": hidden, "shown": shown, "decision": decision}


def walk(client, start_urls):
    """Every same-site URL reachable from ``start_urls`` (GET only, forms' targets included)."""
    seen, queue, pages = set(), list(start_urls), {}
    while queue:
        url = queue.pop(0)
        if url in seen or len(seen) > 400:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode()
        pages[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="(/[^"#]*)"', body):
            link = link.replace("&amp;", "&")
            if link.startswith(("/static/", "/tai-khoan/", "/quan-tri/", "/jsi18n/")):
                continue
            queue.append(link)
    return pages


def test_nothing_private_on_any_public_page(world, movement):
    client = Client()
    exemplar_pages = [f"/guong-dien-hinh/{e.pk}/" for e in Exemplar.objects.all()]
    pages = walk(client, [
        "/", "/guong-dien-hinh/", "/guong-dien-hinh/atom.xml", "/sitemap.xml", "/bang-vang/",
        f"/phong-trao/{movement.slug}/", "/guong-dien-hinh/de-xuat/", "/cong-khai/",
        "/tim-kiem/?q=bai", "/tim-kiem/?q=bi+mat", "/tim-kiem/?q=mat",
        *[f"/guong-dien-hinh/?loai={k}" for k in ("good_deed", "model", "advanced", "creative")],
        *exemplar_pages,
    ])
    serial = world["decision"].awards.first()
    pages.update(walk(client, [f"/xac-minh/{serial.serial}/?ma={serial.verify_code}"]))
    assert len(pages) > 15
    everything = "\n".join(pages.values())
    for title in world["hidden"]:
        assert title not in everything, title
    for title in world["shown"]:
        assert title in pages["/guong-dien-hinh/"] and title in pages["/guong-dien-hinh/atom.xml"]
    for private in ("Dântộc Bímật", "1911", "0900111222", "Đề xuất bí mật", "Đồng ý bằng văn bản"):
        assert private not in everything, private
    # The honour roll shows the decision's people, and the movement page its live figures.
    assert "Nguyễn Thị Lan" in pages["/bang-vang/"]
    movement_page = pages[f"/phong-trao/{movement.slug}/"]
    assert 'data-figure="exemplars">2<' in movement_page
    assert 'data-figure="awards">2<' in movement_page
    sitemap = pages["/sitemap.xml"]
    assert sitemap.count("<url>") == 2
    hidden_pks = Exemplar.objects.exclude(pk__in=Exemplar.objects.public()).values_list("pk", flat=True)
    for pk in hidden_pks:
        assert client.get(f"/guong-dien-hinh/{pk}/").status_code == 404
        assert f"/guong-dien-hinh/{pk}/" not in sitemap


def test_exemplar_page_has_its_own_address_and_open_graph(make_exemplar, client_for):
    exemplar = make_exemplar("published", title="Chị Lan và bếp cơm", summary="Ba tuần nấu cơm.")
    html = client_for(None).get(f"/guong-dien-hinh/{exemplar.pk}/").content.decode()
    assert '<meta property="og:title" content="Chị Lan và bếp cơm">' in html
    assert '<meta property="og:description" content="Ba tuần nấu cơm.">' in html
    assert f'<meta property="og:url" content="http://testserver/guong-dien-hinh/{exemplar.pk}/">' in html


def test_lists_filter_by_area_unit_and_kind_and_page(make_exemplar, movement, demo, personas,
                                                      client_for):
    area = movement.content_areas.first()
    in_area = make_exemplar("published", title="Trong nội dung 1", content_area=area)
    make_exemplar("published", title="Ngoài nội dung")
    duc_xuan = make_exemplar("published", title="Ở Đức Xuân", org=demo.org("phuong-duc-xuan"),
                             by=personas.thu, kind="model")
    client = client_for(None)
    titles = lambda url: [e.title for e in client.get(url).context["page"]]  # noqa: E731
    assert titles(f"/guong-dien-hinh/?noi-dung={area.pk}") == [in_area.title]
    assert titles("/guong-dien-hinh/?don-vi=phuong-duc-xuan") == [duc_xuan.title]
    assert titles("/guong-dien-hinh/?loai=model") == [duc_xuan.title]
    for i in range(12):
        make_exemplar("published", title=f"Bài {i}")
    first = client.get("/guong-dien-hinh/").context["page"]
    assert len(first) == 12 and first.next_url
    assert len(client.get("/guong-dien-hinh/?trang=2").context["page"]) == 3
