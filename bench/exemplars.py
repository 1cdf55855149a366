"""Benchmark: the portal's search and list page over 100,000 exemplars (SQLite).

Rows are written with ``bulk_create`` (the FTS5 triggers index them as on any insert): the
benchmark measures reading, not the editorial flow. Reports the number of queries of each page
(constant: asserted), their median times and the ratio to the bare full-text query alone.

    .venv/bin/python -m bench.exemplars      (after bench's own setup; `make bench` runs it)
"""

import statistics
import time

ROWS = 100_000
WORDS = ["bếp cơm", "khẩu trang", "chốt kiểm soát", "người tốt việc tốt", "tổ COVID", "chợ 0 đồng",
         "tình nguyện", "Đức Xuân", "Sông Cầu", "Nông Thượng"]


def _median(fn, repeat=15) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from thidua.exemplars.models import Exemplar
    from thidua.exemplars.search import bare_search_sql, index_words, parse
    from thidua.movements.models import Movement
    from thidua.orgs.models import Organisation

    movement = Movement.objects.get(number="23/KH-UBND")
    orgs = list(Organisation.objects.filter(level="commune"))
    now = timezone.now()
    batch = []
    for i in range(ROWS):
        title = f"{WORDS[i % 10]} số {i} ở {orgs[i % len(orgs)].short_name}"
        summary = f"Câu chuyện {WORDS[(i * 7) % 10]} và {WORDS[(i * 3) % 10]} năm 2021."
        batch.append(Exemplar(
            movement=movement, organisation=orgs[i % len(orgs)], kind="good_deed", title=title,
            summary=summary, shows_person=False, state="published" if i % 5 else "draft",
            published_at=now if i % 5 else None, search_title=index_words(title),
            search_body=index_words(summary)))
        if len(batch) == 5000:
            Exemplar.objects.bulk_create(batch)
            batch = []
    client = Client()
    query = parse("bep com")
    sql, params = bare_search_sql(query, 11)

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    rows = []
    for label, url in [("portal search", "/tim-kiem/?q=bep+com"),
                       ("portal search, page 50", "/tim-kiem/?q=bep+com&trang=50"),
                       ("exemplar list page", "/guong-dien-hinh/"),
                       ("exemplar list, by kind, page 100", "/guong-dien-hinh/?loai=good_deed&trang=100")]:
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        rows.append((label, len(ctx), _median(lambda url=url: client.get(url))))
    floor = _median(bare, 50)
    print(f"exemplars: {ROWS:,} rows; bare full-text query {floor * 1000:.2f} ms")
    print(f"{'page':<36}{'queries':>8}{'median ms':>12}{'× bare':>9}")
    for label, queries, t in rows:
        print(f"{label:<36}{queries:>8}{t * 1000:>12.2f}{t / floor:>9.1f}")


if __name__ == "__main__":
    from bench.setup import demo_database

    demo_database()
    run()
