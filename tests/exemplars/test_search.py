"""Search with or without diacritics, ranked, paged, bounded; the same on SQLite and PostgreSQL
(this module runs on both)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.exemplars.models import Exemplar
from thidua.exemplars.search import MAX_QUERY_CHARS, parse, ranked_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_exemplar, demo, personas):
    return {
        "good": make_exemplar("published", title="Người tốt việc tốt ở phường Đức Xuân",
                              org=demo.org("phuong-duc-xuan"), by=personas.thu),
        "body": make_exemplar("published", title="Tổ COVID cộng đồng",
                              summary="Tổ 5 phường Đức Xuân đi từng nhà."),
        "other": make_exemplar("published", title="Chợ 0 đồng Sông Cầu", person="",
                               summary="Rau miễn phí."),
        "draft": make_exemplar("draft", title="Bản nháp Đức Xuân chưa đăng"),
        "no_consent": make_exemplar("submitted", title="Đức Xuân chưa có đồng ý", consent=False),
    }


def titles(client, q):
    response = client.get("/tim-kiem/", {"q": q})
    assert response.status_code == 200, response.content.decode()[:500]
    return [e.title for e in response.context["exemplars"]]


@pytest.mark.parametrize("q", ["duc xuan", "Đức Xuân", "ĐỨC XUÂN", "Ðức Xuân", "đức xuân",
                               "DUC XUAN", "duc xu", "Đức  Xuân!!!"])
def test_with_or_without_diacritics_find_the_same(corpus, client_for, q):
    found = titles(client_for(None), q)
    assert found == [corpus["good"].title, corpus["body"].title]


def test_nguoi_tot_viec_tot(corpus, client_for):
    assert titles(client_for(None), "nguoi tot viec tot") == [corpus["good"].title]
    assert titles(client_for(None), "người tốt việc tốt") == [corpus["good"].title]


def test_title_matches_rank_above_body_matches(corpus):
    ids = ranked_ids(Exemplar.objects.public(), parse("duc xuan"), offset=0, limit=10)
    assert ids == [corpus["good"].pk, corpus["body"].pk]


def test_unpublished_and_consentless_never_found_anonymously(corpus, client_for, personas):
    anonymous = titles(client_for(None), "chua")
    assert corpus["draft"].title not in anonymous and corpus["no_consent"].title not in anonymous
    # The unit's officer finds her own draft inside the product; a stranger does not.
    assert corpus["draft"].title in titles(client_for(personas.hanh), "ban nhap")
    assert corpus["draft"].title not in titles(client_for(personas.thu), "ban nhap")


def test_bounded_input(client_for, demo):
    client = client_for(None)
    response = client.get("/tim-kiem/", {"q": "a" * 10_000})
    assert response.status_code == 400
    assert f"tối đa {MAX_QUERY_CHARS} ký tự" in response.content.decode()
    response = client.get("/tim-kiem/", {"q": "!!! ... ?? ~~"})
    assert response.status_code == 400 and "có chữ hoặc số" in response.content.decode()
    response = client.get("/tim-kiem/", {"q": '" OR 1=1 -- NEAR( * ^'})
    assert response.status_code == 200  # FTS syntax is never passed through


def test_organisations_found_without_diacritics(client_for, demo):
    response = client_for(None).get("/tim-kiem/", {"q": "song cau"})
    names = [o.name for o in response.context["organisations"]]
    assert names[0] == "Ủy ban nhân dân phường Sông Cầu"
    assert "Trạm Y tế phường Sông Cầu" in names


def test_nominees_only_inside_the_product(draft, client_for, personas):
    assert client_for(None).get("/tim-kiem/", {"q": "nguyen thi lan"}).context["nominees"] is None
    found = client_for(personas.hanh).get("/tim-kiem/", {"q": "nguyen thi lan"}).context["nominees"]
    assert [n.full_name for n in found] == ["Nguyễn Thị Lan"]
    other = client_for(personas.thu).get("/tim-kiem/", {"q": "nguyen thi lan"}).context["nominees"]
    assert list(other) == []


def test_pages_and_constant_queries(make_exemplar, client_for):
    client = client_for(None)

    def count(q):
        with CaptureQueriesContext(connection) as ctx:
            client.get("/tim-kiem/", {"q": q})
        return len(ctx)

    make_exemplar("published", title="Bếp cơm 0 đồng số 0")
    one = count("bep com")
    for i in range(1, 14):
        make_exemplar("published", title=f"Bếp cơm 0 đồng số {i}")
    assert count("bep com") == one
    first = client.get("/tim-kiem/", {"q": "bep com"}).context["exemplars"]
    second = client.get("/tim-kiem/", {"q": "bep com", "trang": 2}).context["exemplars"]
    assert len(first) == 10 and len(second) == 4 and first.next_url
    assert not {e.pk for e in first} & {e.pk for e in second}


def test_the_index_follows_edits_and_deletes(make_exemplar, personas):
    from thidua.exemplars import actions
    exemplar = make_exemplar("draft", title="Tên cũ")
    actions.update_exemplar(exemplar, by=personas.hanh, title="Tên mới hoàn toàn")
    qs = Exemplar.objects.all()
    assert ranked_ids(qs, parse("ten moi"), offset=0, limit=5) == [exemplar.pk]
    assert ranked_ids(qs, parse("ten cu"), offset=0, limit=5) == []
    Exemplar.objects.filter(pk=exemplar.pk).delete()
    assert ranked_ids(qs, parse("ten moi"), offset=0, limit=5) == []
