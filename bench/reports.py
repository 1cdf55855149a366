"""Benchmark: each statistic of the dashboards against the same aggregate written by hand as one
raw SQL query, on generated data (tens of thousands of register lines, decision lines,
dossiers, deficiencies and log rows, made with bulk_create). Both run as the city chairman,
whose scope is the city's subtree; the ratio (ours / raw) is what the ORM, the scope's
subqueries and laying out the table add. Target: ≤ 1.5×.

    make bench                                   (SQLite, with the other benchmarks)
    DATABASE_URL=postgres://…/thidua_bench .venv/bin/python -m bench.reports   (any database)
"""

import io
import os
import random
import statistics as stats
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
    from thidua.movements.models import Movement
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
    categories = ["leader_province", "other_leader", "direct_worker", "entrepreneur",
                  "frontline_health", "frontline_police", "other", ""]
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
                if s.kind == "collective" else "")
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
    constant fragments only; the scope's path is the one parameter (%s), so "%%" is a "%"."""
    year = ("CAST(strftime('%%Y', r.decision_date) AS INTEGER)" if vendor == "sqlite"
            else "EXTRACT(YEAR FROM r.decision_date)")
    del city_path  # passed as a parameter (see ``by_hand``)
    scope = "o.path LIKE %s"
    lines = ("FROM nominations_awardrecord r JOIN nominations_subject s ON s.id = r.subject_id "
             "LEFT JOIN nominations_nominee n ON n.id = r.nominee_id "
             "LEFT JOIN nominations_dossier d ON d.id = n.dossier_id "
             f"LEFT JOIN orgs_organisation o ON o.id = d.organisation_id WHERE {scope}")
    ind = "s.kind <> 'collective'"
    col = "s.kind = 'collective'"
    minority = "n.ethnicity <> '' AND LOWER(n.ethnicity) <> 'kinh'"
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
        "hinh-thuc": f"SELECT r.award_name, SUM(CASE WHEN {col} THEN 1 ELSE 0 END), "
                     f"SUM(CASE WHEN {ind} THEN 1 ELSE 0 END), COUNT(*) {lines} "
                     "GROUP BY r.award_name ORDER BY 4 DESC",
        "don-vi": "SELECT COALESCE(o.merged_into_id, o.id), "
                  f"SUM(CASE WHEN {col} THEN 1 ELSE 0 END), "
                  f"SUM(CASE WHEN {ind} THEN 1 ELSE 0 END), COUNT(*) {lines} GROUP BY 1 "
                  "ORDER BY 4 DESC",
        "doi-tuong": f"SELECT SUM(CASE WHEN {col} AND n.collective_kind <> 'household' THEN 1 "
                     f"ELSE 0 END), SUM(CASE WHEN {col} AND n.collective_kind = 'enterprise' "
                     f"THEN 1 ELSE 0 END), SUM(CASE WHEN {col} AND n.collective_kind = "
                     f"'household' THEN 1 ELSE 0 END), SUM(CASE WHEN {ind} THEN 1 ELSE 0 END), "
                     + ", ".join(f"SUM(CASE WHEN {ind} AND n.category = '{c}' THEN 1 ELSE 0 END)"
                                 for c in ("leader_province", "other_leader", "entrepreneur",
                                           "direct_worker", "other", ""))
                     + f", SUM(CASE WHEN {ind} AND n.category LIKE 'frontline_%%' THEN 1 ELSE 0 "
                     f"END) {lines}",
        "co-cau": f"SELECT SUM(CASE WHEN {ind} THEN 1 ELSE 0 END), "
                  + ", ".join(f"SUM(CASE WHEN {ind} AND s.gender = '{g}' THEN 1 ELSE 0 END)"
                              for g in ("female", "male", ""))
                  + f", SUM(CASE WHEN {ind} AND {minority} THEN 1 ELSE 0 END), "
                  f"SUM(CASE WHEN {ind} AND n.ethnicity = '' THEN 1 ELSE 0 END), "
                  f"SUM(CASE WHEN {ind} AND n.category LIKE 'frontline_%%' THEN 1 ELSE 0 END), "
                  f"SUM(CASE WHEN {ind} AND n.category = 'direct_worker' THEN 1 ELSE 0 END) "
                  f"{lines}",
        "theo-nam": f"SELECT {year}, SUM(CASE WHEN {col} THEN 1 ELSE 0 END), "
                    f"SUM(CASE WHEN {ind} THEN 1 ELSE 0 END), COUNT(*) {lines} "
                    "GROUP BY 1 ORDER BY 1",
        "tien-thuong": "SELECT f.name, COUNT(*), SUM(w.cash) FROM decisions_award w "  # noqa: S608
                       "JOIN decisions_decision dd ON dd.id = w.decision_id "
                       "JOIN rulesets_awardform f ON f.id = dd.award_form_id "
                       "JOIN nominations_nominee n ON n.id = w.nominee_id "
                       "JOIN nominations_dossier d ON d.id = n.dossier_id "
                       "JOIN orgs_organisation o ON o.id = d.organisation_id "
                       f"WHERE {scope} AND dd.state = 'issued' AND w.replaces_id IS NULL "
                       "GROUP BY f.name ORDER BY 3 DESC",
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

    from thidua.orgs.models import User
    from thidua.reports import statistics
    from thidua.reports.scope import Filters

    t0 = time.perf_counter()
    _generate(lines)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after the bulk load, for both sides
    print(f"statistics on {lines:,} register lines and as many decision lines "
          f"({connection.vendor}; generated in {time.perf_counter() - t0:.1f} s), "
          "as the city chairman:")
    chairman = User.objects.get(username="chutich")
    city = chairman.active_memberships()[0].organisation
    raw = _raw_queries(city.path, connection.vendor)

    chairman.active_memberships()  # as in a request: the user and their roles already read

    def ours(key):
        statistics.table(key, chairman, Filters(), by_year=False)

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

    rows = []
    print(f"{'statistic':<20}{'ours ms':>10}{'raw ms':>10}{'ratio':>8}")
    for key in statistics.STATISTICS:
        ours(key)
        by_hand(raw[key])  # warm both
        mine, theirs = [], []
        for _ in range(REPEAT):  # in turns: the machine's load drifts between batches
            mine.append(_time(lambda key=key: ours(key)))
            theirs.append(_time(lambda key=key: by_hand(raw[key])))
        m, t = stats.median(mine), stats.median(theirs)
        rows.append((key, m, t))
        flag = "" if m / t <= TARGET else "  (over target)"
        print(f"{key:<20}{m * 1000:>10.1f}{t * 1000:>10.1f}{m / t:>8.2f}{flag}")
    print(f"target: ours / raw ≤ {TARGET}")
    return rows


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    if "DATABASE_URL" not in os.environ:
        import tempfile

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
    raise SystemExit(main())
