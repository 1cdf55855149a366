"""Benchmark: each statistic of the dashboards against the same aggregate written by hand as one
raw SQL query, on generated data (tens of thousands of register lines, decision lines,
dossiers, deficiencies and log rows, made with bulk_create). Both run as the city chairman,
whose scope is the city's subtree; the ratio (ours / raw) is what the ORM, the scope's
subqueries and laying out the table add. Target: ≤ 1.5×.

    make bench                                   (SQLite, with the other benchmarks)
    DATABASE_URL=postgres://…/thidua_bench .venv/bin/python -m bench.reports   (any database)

At country scale (issue 16, ``make bench-reports``, SIZE=500000 by default): ``--scale N``
writes the data set of :mod:`bench.scale_data` (``varied``: every category, state and year the
statistics group by) for N nominees into a ``test_…`` database of its own beside the one
DATABASE_URL names (SQLite without it: a file in a temporary folder), dropped at the end. Each
statistic, and each laid out per year, is timed against its raw SQL; each dashboard page is
requested as the person it is made for, and its number of queries compared with the same page
on a small data set (``--small``, 10 000): it must not change. ``--explain`` prints both
queries' plans where the ratio is over target. The machine's load average is printed with the
figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_rbench \
        .venv/bin/python -u -m bench.reports --scale 500000
"""

import argparse
import io
import os
import random
import shutil
import statistics as stats
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

LINES = int(os.environ.get("THIDUA_BENCH_REPORT_LINES", "30000"))
PER_DOSSIER = 1
REPEAT = 7
TARGET = 1.5


def _generate(lines: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from thidua.core.models import Activity
    from thidua.core.text import fold
    from thidua.decisions.models import Award, Decision
    from thidua.movements.models import ContentArea, Movement, ParticipantKind
    from thidua.nominations.models import AwardRecord, Deficiency, Dossier, Nominee, Subject
    from thidua.orgs.models import Organisation, User
    from thidua.rulesets.models import AwardForm

    rng = random.Random(2021)
    movement = Movement.objects.get(number="23/KH-UBND")
    city = movement.issuer
    units = list(Organisation.objects.filter(path__startswith=city.path).exclude(pk=city.pk))
    forms = list(AwardForm.objects.filter(rule_set=movement.rule_set))
    chairman = User.objects.get(username="chutich")
    states = [s.value for s in Dossier.State]
    categories = ["leader_province", "leader_department", "other_leader", "direct_worker",
                  "entrepreneur", "frontline_health", "frontline_police", "other", ""]
    areas = [*ContentArea.objects.filter(movement=movement), None]
    kinds = [*ParticipantKind.values, ""]
    dossiers = Dossier.objects.bulk_create([
        Dossier(movement=movement, organisation=rng.choice(units), award_form=rng.choice(forms),
                state=(state := rng.choice(states)), round=0 if state == "draft" else rng.randint(1, 3),
                due_on=date(2021, 12, 1) + timedelta(days=rng.randint(0, 60)))
        for _ in range(lines // PER_DOSSIER)], batch_size=1000)
    subjects = Subject.objects.bulk_create([
        Subject(kind="collective" if i % 9 == 0 else "individual", name=f"Người {i}",
                name_folded=fold(f"Người {i}"), gender="" if i % 9 == 0 else rng.choice(
                    ["male", "female", ""])) for i in range(lines)], batch_size=2000)
    nominees = Nominee.objects.bulk_create([
        Nominee(dossier=dossiers[i // PER_DOSSIER], subject=s, kind=s.kind, full_name=s.name,
                name_folded=s.name_folded, gender=s.gender,
                ethnicity=rng.choice(["Kinh", "Tày", "Nùng", "Dao", ""]),
                category="" if s.kind == "collective" else rng.choice(categories),
                collective_kind=rng.choice(["public_body", "enterprise", "household"])
                if s.kind == "collective" else "",
                content_area=rng.choice(areas), participant_kind=rng.choice(kinds))
        for i, s in enumerate(subjects)], batch_size=2000)
    AwardRecord.objects.bulk_create([
        AwardRecord(subject=n.subject, nominee=n, award_form=(f := rng.choice(forms)),
                    award_name=f.name, decision_number=f"{i}/QĐ-UBND",
                    decision_date=date(2019 + rng.randint(0, 6), rng.randint(1, 12), 1),
                    movement=movement, source="decision")
        for i, n in enumerate(nominees)], batch_size=2000)
    decisions = Decision.objects.bulk_create([
        Decision(movement=movement, issuer=city, award_form=rng.choice(forms), number=90_000 + i,
                 year=2021, issued_on=date(2021, 12, 20), place="Bắc Kạn", signer=chairman,
                 legal_grounds="Căn cứ", state="issued") for i in range(50)])
    Award.objects.bulk_create([
        Award(decision=decisions[i % 50], nominee=n, kind=n.kind, name=n.full_name,
              citation="Thành tích", cash=rng.choice([0, 447_000, 894_000]))
        for i, n in enumerate(nominees)], batch_size=2000)
    Deficiency.objects.bulk_create([
        Deficiency(dossier=d, round=r, item_label="Tờ trình", message="Thiếu chữ ký")
        for d in dossiers if d.round > 1 for r in range(1, d.round) for _k in range(2)],
        batch_size=2000)
    dossier_type = ContentType.objects.get_for_model(Dossier)
    start = timezone.make_aware(datetime(2021, 11, 1))
    log = []
    for d in dossiers:
        if d.state == "council_reviewed":
            submitted = start + timedelta(hours=rng.randint(0, 500))
            log.append(Activity(verb="dossier.submit", target_type=dossier_type,
                                target_id=str(d.pk), organisation=d.organisation))
            log.append(Activity(verb="dossier.conclude_council", target_type=dossier_type,
                                target_id=str(d.pk), organisation=d.organisation))
            log[-2].created_at = submitted
            log[-1].created_at = submitted + timedelta(hours=rng.randint(24, 900))
    made = Activity.objects.bulk_create(log, batch_size=2000)
    # created_at is auto_now_add: bulk_create sets it to now; put the real times back.
    when = {a.pk: a for a in log}
    for a in made:
        a.created_at = when[a.pk].created_at if a.pk in when else a.created_at
    Activity.objects.bulk_update(made, ["created_at"], batch_size=2000)


def _raw_queries(city_path: str, vendor: str) -> dict[str, str]:
    """The same aggregates written by hand: what one would type at the SQL prompt. Built from
    constant fragments only; the scope's path is the one parameter (%s), so "%%" is a "%".
    A key "…/nam" is the statistic laid out per year (``by_year=True``)."""
    year = ("CAST(strftime('%%Y', r.decision_date) AS INTEGER)" if vendor == "sqlite"
            else "EXTRACT(YEAR FROM r.decision_date)")
    del city_path  # passed as a parameter (see ``by_hand``)
    scope = "o.path LIKE %s"
    lines = ("FROM nominations_awardrecord r JOIN nominations_subject s ON s.id = r.subject_id "
             "LEFT JOIN nominations_nominee n ON n.id = r.nominee_id "
             "LEFT JOIN nominations_dossier d ON d.id = n.dossier_id "
             f"LEFT JOIN orgs_organisation o ON o.id = d.organisation_id WHERE {scope}")
    area_lines = lines.replace(
        " WHERE ", " LEFT JOIN movements_contentarea ca ON ca.id = n.content_area_id "
        "LEFT JOIN movements_movement m ON m.id = ca.movement_id WHERE ")
    ind = "s.kind <> 'collective'"
    col = "s.kind = 'collective'"
    minority = "n.ethnicity <> '' AND LOWER(n.ethnicity) <> 'kinh'"

    def count(condition):
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    kinds = f"{count(col)}, {count(ind)}, COUNT(*)"
    subject = ", ".join(
        [count(f"{col} AND n.collective_kind <> 'household'"),
         count(f"{col} AND n.collective_kind = 'enterprise'"),
         count(f"{col} AND n.collective_kind = 'household'"), count(ind)]
        + [count(f"{ind} AND n.category = '{c}'")
           for c in ("leader_province", "leader_department", "other_leader", "entrepreneur",
                     "direct_worker")]
        + [count(f"{ind} AND n.category LIKE 'frontline_%%'"),
           count(f"{ind} AND n.category = 'other'"),
           count(f"{ind} AND (n.id IS NULL OR n.category = '')")])
    profile = ", ".join(
        [count(ind)] + [count(f"{ind} AND s.gender = '{g}'") for g in ("female", "male", "")]
        + [count(f"{ind} AND n.id IS NOT NULL AND {minority}"),
           count(f"{ind} AND (n.id IS NULL OR n.ethnicity = '')"),
           count(f"{ind} AND n.category LIKE 'frontline_%%'"),
           count(f"{ind} AND n.category = 'direct_worker'")])
    took = ("(julianday(MAX(CASE WHEN a.verb = 'dossier.conclude_council' THEN a.created_at END))"
            " - julianday(MIN(CASE WHEN a.verb = 'dossier.submit' THEN a.created_at END)))"
            if vendor == "sqlite" else
            "(MAX(a.created_at) FILTER (WHERE a.verb = 'dossier.conclude_council')"
            " - MIN(a.created_at) FILTER (WHERE a.verb = 'dossier.submit'))")
    dossier_scope = (f"FROM nominations_dossier d JOIN orgs_organisation o ON o.id = "
                     f"d.organisation_id WHERE {scope} AND (d.round > 0 OR d.state = "
                     "'decided_by_unit')")
    durations = (f"SELECT a.target_id, {took} AS took FROM core_activity a WHERE a.verb IN "  # noqa: S608
                 "('dossier.submit', 'dossier.conclude_council') AND a.target_id IN (SELECT "
                 f"CAST(d.id AS TEXT) {dossier_scope} AND d.state = 'council_reviewed') "
                 "GROUP BY a.target_id")
    return {
        "hinh-thuc": f"SELECT r.award_name, {kinds} {lines} GROUP BY r.award_name ORDER BY 4 DESC",
        "hinh-thuc/nam": f"SELECT r.award_name, {year}, COUNT(*) {lines} GROUP BY 1, 2",
        "don-vi": f"SELECT COALESCE(o.merged_into_id, o.id), {kinds} {lines} GROUP BY 1 "
                  "ORDER BY 4 DESC",
        "don-vi/nam": f"SELECT COALESCE(o.merged_into_id, o.id), {year}, COUNT(*) {lines} "
                      "GROUP BY 1, 2",
        "doi-tuong": f"SELECT {subject} {lines}",
        "doi-tuong/nam": f"SELECT {year}, {subject} {lines} GROUP BY 1",
        "co-cau": f"SELECT {profile} {lines}",
        "co-cau/nam": f"SELECT {year}, {profile} {lines} GROUP BY 1",
        "theo-nam": f"SELECT {year}, {kinds} {lines} GROUP BY 1 ORDER BY 1",
        "tien-thuong": "SELECT f.name, COUNT(*), SUM(w.cash) FROM decisions_award w "  # noqa: S608
                       "JOIN decisions_decision dd ON dd.id = w.decision_id "
                       "JOIN rulesets_awardform f ON f.id = dd.award_form_id "
                       "JOIN nominations_nominee n ON n.id = w.nominee_id "
                       "JOIN nominations_dossier d ON d.id = n.dossier_id "
                       "JOIN orgs_organisation o ON o.id = d.organisation_id "
                       f"WHERE {scope} AND dd.state = 'issued' AND w.replaces_id IS NULL "
                       "GROUP BY f.name ORDER BY 3 DESC",
        "du-toan": "SELECT m.id, m.short_title, m.budget, COUNT(*), SUM(w.cash) "  # noqa: S608
                   "FROM decisions_award w JOIN decisions_decision dd ON dd.id = w.decision_id "
                   "JOIN movements_movement m ON m.id = dd.movement_id "
                   "JOIN nominations_nominee n ON n.id = w.nominee_id "
                   "JOIN nominations_dossier d ON d.id = n.dossier_id "
                   "JOIN orgs_organisation o ON o.id = d.organisation_id "
                   f"WHERE {scope} AND dd.state = 'issued' AND w.replaces_id IS NULL "
                   "GROUP BY m.id, m.short_title, m.budget ORDER BY m.short_title, m.id",
        # the content area with its label (code, title, place, the plan's name) grouped along
        "noi-dung": f"SELECT ca.id, ca.code, ca.title, ca.\"order\", m.short_title, m.id, {kinds} "
                    f"{area_lines} GROUP BY ca.id, ca.code, ca.title, ca.\"order\", "
                    "m.short_title, m.id",
        "noi-dung/nam": f"SELECT ca.id, ca.code, ca.title, ca.\"order\", m.short_title, m.id, "
                        f"{year}, COUNT(*) {area_lines} GROUP BY ca.id, ca.code, ca.title, "
                        f"ca.\"order\", m.short_title, m.id, {year}",
        "doi-tuong-thi-dua": f"SELECT COALESCE(n.participant_kind, ''), {kinds} {lines} "
                             "GROUP BY 1",
        "doi-tuong-thi-dua/nam": f"SELECT COALESCE(n.participant_kind, ''), {year}, COUNT(*) "
                                 f"{lines} GROUP BY 1, 2",
        "ho-so-trang-thai": f"SELECT d.state, COUNT(*) {dossier_scope} GROUP BY d.state",
        "ho-so-don-vi": "SELECT COALESCE(o.merged_into_id, o.id), COUNT(*), "
                        + ", ".join(f"SUM(CASE WHEN d.state IN ({s}) THEN 1 ELSE 0 END)"
                                    for s in ("'draft'", "'submitted','returned'",
                                              "'accepted','committee_reviewed','forwarded'",
                                              "'council_reviewed','decided_by_unit'",
                                              "'withdrawn'"))
                        + ", SUM(CASE WHEN d.state = 'submitted' AND d.due_on < CURRENT_DATE "
                        f"THEN 1 ELSE 0 END) {dossier_scope} GROUP BY 1 ORDER BY 2 DESC",
        "tra-lai": "SELECT COALESCE(o.merged_into_id, o.id), COUNT(DISTINCT f.dossier_id), "  # noqa: S608
                   "COUNT(DISTINCT f.dossier_id || '-' || f.round), COUNT(*) "
                   "FROM nominations_deficiency f JOIN nominations_dossier d ON d.id = "
                   "f.dossier_id JOIN orgs_organisation o ON o.id = d.organisation_id "
                   f"WHERE {scope} AND (d.round > 0 OR d.state = 'decided_by_unit') "
                   "GROUP BY 1 ORDER BY 3 DESC",
        # Three statements, as ours: count and slowest, the middle row(s), the overdue.
        "thoi-gian": [
            f"SELECT COUNT(*), MAX(took) FROM ({durations}) t",  # noqa: S608
            f"SELECT took FROM ({durations}) t ORDER BY took LIMIT 2 OFFSET {{middle}}",  # noqa: S608
            f"SELECT COUNT(*) {dossier_scope} AND d.state = 'submitted' "
            "AND d.due_on < CURRENT_DATE"],
    }


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(lines: int = LINES) -> list[tuple[str, float, float]]:
    from django.db import connection

    t0 = time.perf_counter()
    _generate(lines)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, for both sides
    print(f"statistics on {lines:,} register lines and as many decision lines "
          f"({connection.vendor}; generated in {time.perf_counter() - t0:.1f} s), "
          "as the city chairman:")
    return compare()


def _plain(key) -> str:
    return key.removesuffix("/nam")


def compare(repeat: int = REPEAT, by_year: bool = False, explain: bool = False
            ) -> list[tuple[str, float, float | None]]:
    """Each statistic (and, with ``by_year``, each laid out per year) as the city chairman
    against its raw SQL: medians of ``repeat`` runs taken in turns. Prints and returns
    (key, ours, raw); raw is None for a statistic without a raw counterpart here yet."""
    from django.db import connection

    from thidua.orgs.models import User
    from thidua.reports import statistics
    from thidua.reports.scope import Filters

    chairman = User.objects.get(username="chutich")
    city = chairman.active_memberships()[0].organisation
    raw = _raw_queries(city.path, connection.vendor)
    chairman.active_memberships()  # as in a request: the user and their roles already read

    def ours(key):
        statistics.table(_plain(key), chairman, Filters(), by_year=key.endswith("/nam"))

    def execute(cursor, sql):
        cursor.execute(sql, [city.path + "%"] * sql.count("%s"))

    def by_hand(sql):
        with connection.cursor() as cursor:
            if isinstance(sql, str):
                execute(cursor, sql)
                return cursor.fetchall()
            # thoi-gian: the count first, then the middle row(s) at its offset, then the rest.
            execute(cursor, sql[0])
            count = cursor.fetchone()[0] or 1
            execute(cursor, sql[1].format(middle=(count - 1) // 2))
            cursor.fetchall()
            execute(cursor, sql[2])
            return cursor.fetchall()

    keys = list(statistics.STATISTICS)
    if by_year:
        keys = [k for key in keys for k in (key, f"{key}/nam") if k == key
                or _plain(k) in statistics.BY_YEAR]
    rows = []
    # ratio: of the medians; best: of the fastest runs (on a shared machine, the least
    # disturbed of each)
    print(f"{'statistic':<22}{'ours ms':>10}{'raw ms':>10}{'ratio':>8}{'best':>8}")
    for key in keys:
        ours(key)
        if key not in raw:  # a statistic added since: timed alone until its raw SQL is written
            m = stats.median(_time(lambda key=key: ours(key)) for _ in range(repeat))
            rows.append((key, m, None))
            print(f"{key:<22}{m * 1000:>10.1f}{'—':>10}{'—':>8}{'—':>8}  (no raw SQL yet)")
            continue
        by_hand(raw[key])  # warm both
        mine, theirs = [], []
        for _ in range(repeat):  # in turns: the machine's load drifts between batches
            mine.append(_time(lambda key=key: ours(key)))
            theirs.append(_time(lambda key=key: by_hand(raw[key])))
        m, t = stats.median(mine), stats.median(theirs)
        rows.append((key, m, t))
        flag = "" if m / t <= TARGET else "  (over target)"
        print(f"{key:<22}{m * 1000:>10.1f}{t * 1000:>10.1f}{m / t:>8.2f}"
              f"{min(mine) / min(theirs):>8.2f}{flag}", flush=True)
        if explain and m / t > TARGET:
            _explain(connection, lambda key=key: ours(key), raw[key], city.path + "%")
    print(f"target: ours / raw ≤ {TARGET}")
    return rows


def _explain(connection, ours, raw, path) -> None:
    """The plans of our statement(s) and of the raw one (PostgreSQL: EXPLAIN ANALYZE with
    buffers; SQLite: EXPLAIN QUERY PLAN)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        ours()
    prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql"
              else "EXPLAIN QUERY PLAN ")
    raw = [raw] if isinstance(raw, str) else raw[:1] + raw[2:]
    statements = [("ours", q["sql"], None) for q in ctx.captured_queries]
    statements += [("raw", sql, [path] * sql.count("%s")) for sql in raw]
    with connection.cursor() as cursor:
        for who, sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print(f"  -- {who}: {sql[:4000]}")
            cursor.execute(prefix + sql, params)  # ours: captured with its values inlined
            for row in cursor.fetchall():
                print("     " + " | ".join(str(c) for c in row))


# --- at country scale (--scale) --------------------------------------------------------------

# Each dashboard, requested as the person it is made for (views.DASHBOARDS).
BOARD_USERS = {"van-phong": "vanphong", "thuong-truc": "noivu", "chu-tich": "chutich",
               "hoi-dong": "hoidong"}


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _scale_setup():
    """A ``test_…`` database of its own beside the one DATABASE_URL names; on SQLite a file (as
    in production: WAL), not the test runner's in-memory database."""
    var = tempfile.mkdtemp(prefix="thidua-bench-reports-")  # removed by ``scale``
    os.environ.setdefault("THIDUA_VAR_DIR", var)
    os.environ["THIDUA_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("THIDUA_DB_STATEMENT_TIMEOUT", "0")  # the bulk load's statements
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = os.path.join(var, "test_rbench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, var


def _fresh(size: int) -> float:
    """Empty the database, seed the bare demo and write the varied scale data set; seconds."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from bench.scale_data import generate

    call_command("flush", interactive=False, verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", "--empty", verbosity=0, stdout=io.StringIO())
    t0 = time.perf_counter()
    generate(size, varied=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, for both sides
    return time.perf_counter() - t0


def _rows() -> str:
    from thidua.core.models import Activity
    from thidua.decisions.models import Award
    from thidua.nominations.models import AwardRecord, Deficiency, Dossier, Nominee

    return ", ".join(f"{model.objects.count():,} {label}" for model, label in [
        (Nominee, "nominees"), (Dossier, "dossiers"), (AwardRecord, "register lines"),
        (Award, "decision lines"), (Deficiency, "deficiencies"), (Activity, "log rows")])


def _dashboards(timed: bool, repeat: int) -> dict[str, tuple[int, float | None]]:
    """Each dashboard (and laid out per year): its number of queries and, if ``timed``, the
    median server time of ``repeat`` requests."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bench.setup import signed_in_client

    results = {}
    for board, username in BOARD_USERS.items():
        client = signed_in_client(username)
        for query in ("", "?theo_nam=1"):
            url = f"/thong-ke/{board}/{query}"
            assert client.get(url).status_code == 200, url  # warm up
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, url
            queries = len(ctx.captured_queries)  # before the next request empties the log
            seconds = None
            if timed:
                seconds = stats.median(_time(lambda c=client, u=url: c.get(u))
                                       for _ in range(repeat))
            results[url] = (queries, seconds)
    return results


def _tables_by_person(repeat: int) -> None:
    """Each dashboard's tables timed as the person it is made for (ours only: their reach is
    not the chairman's — an office's or a secretariat's takes in the movements it serves)."""
    from thidua.orgs.models import User
    from thidua.reports import statistics, views
    from thidua.reports.scope import Filters

    print("\neach dashboard's tables as its person (ms; per year after the slash):")
    for board, username in BOARD_USERS.items():
        user = User.objects.get(username=username)
        cells = []
        for key in views.DASHBOARDS[board][1]:
            times = []
            for by_year in (False, True) if key in statistics.BY_YEAR else (False,):
                statistics.table(key, user, Filters(), by_year=by_year)
                times.append(stats.median(_time(lambda k=key, y=by_year, u=user: statistics.table(
                    k, u, Filters(), by_year=y)) for _ in range(repeat)))
            cells.append(f"{key} {'/'.join(f'{t * 1000:.0f}' for t in times)}")
        print(f"  {board} ({username}): " + ", ".join(cells), flush=True)


def scale(size: int, small: int, repeat: int, explain: bool) -> int:
    connection, var = _scale_setup()
    try:
        print(f"reports at scale on {connection.vendor} ({_load()})")
        written = _fresh(small)
        print(f"\n== {small:,} nominees (written in {written:.1f} s): {_rows()}")
        counts = _dashboards(timed=False, repeat=repeat)
        written = _fresh(size)
        print(f"\n== {size:,} nominees (written in {written:.1f} s; {_load()}): {_rows()}")
        print("as the city chairman:")
        rows = compare(repeat, by_year=True, explain=explain)
        print(f"({_load()})")
        _tables_by_person(repeat=3)
        pages = _dashboards(timed=True, repeat=3)
        print(f"\ndashboards: queries at {small:,} and {size:,} nominees (must be equal), "
              f"server time at {size:,}")
        print(f"{'page':<36}{'queries':>9}{'':>9}{'ms':>9}")
        same = True
        for url, (queries, seconds) in pages.items():
            before = counts[url][0]
            same &= before == queries
            flag = "" if before == queries else "  ← grows"
            print(f"{url:<36}{before:>9}{queries:>9}{seconds * 1000:>9.0f}{flag}")
        print(f"({_load()})")
        over = [key for key, m, t in rows if t is not None and m / t > TARGET]
        print(f"\nover target ({TARGET}×): {', '.join(over) or 'none'}; query counts "
              f"{'constant' if same else 'NOT constant'}")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        shutil.rmtree(var, ignore_errors=True)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, metavar="NOMINEES",
                        help="at country scale: the scale data set of this many nominees")
    parser.add_argument("--small", type=int, default=10_000, metavar="NOMINEES",
                        help="(--scale) the small data set the query counts are compared with")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--explain", action="store_true",
                        help="(--scale) the plans of both queries where the ratio is over target")
    args = parser.parse_args(argv)
    if args.scale:
        return scale(args.scale, args.small, args.repeat, args.explain)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["THIDUA_VAR_DIR"] = tempfile.mkdtemp(prefix="thidua-bench-")
    os.environ.setdefault("THIDUA_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
