"""A country-sized data set for ``bench.scale``, written with bulk inserts (no action per row).

On top of the bare demo (the city, its wards, the plan-23 movement, the personas), ``generate(n)``
writes, for ``n`` (10 000, 100 000, 1 000 000):

- ``n`` subjects and ``n`` lines of the award register (old imports, one per subject); one
  subject in ten shares its folded name with a line of the bench's Excel list, and many share
  the commonest names ("Nguyễn Văn An"), as a real register does;
- two dossiers of 5,000 nominees of Sông Cầu ward: one submitted (the office's view, 4,998 of
  5,000 achievement reports uploaded) and one complete draft (the officer's, to submit);
- ``n`` more nominees in dossiers of 20 across the wards, sent and reviewed by the council
  (approved for the chairman's decision); half of them awarded by issued decisions of 100 lines;
- ``n`` rows of the activity log, and a public disclosure of 2,000 names.

The rows keep the models' invariants: folded fields and person keys as ``save()`` would write
them, a sent dossier has its round and submission time, an awarded nominee was approved by the
council in a council-reviewed dossier, issued decisions have unique numbers and serials and a
register line per award. Files are not written: a version names a path that nobody reads here.

``generate(n, varied=True)`` (``bench.reports --scale``) writes the same rows, made as varied as
the statistics of DOMAIN.md §8 group them (the plain set stays as it was, row for row):

- one subject in ten is a collective (an office, an enterprise, a household); individuals carry
  a subject category, an ethnicity and, one in 25, no gender; nominees are drawn from the city's
  units and wards, not only its offices;
- the first half of the small dossiers is council-reviewed and awarded as above, by city
  decisions issued in 2021, 2022 and 2023 (serials per year, collectives at their own cash); the
  other half is in every state: drafts, submitted (some overdue), returned, accepted,
  committee- and council-reviewed (approved here, proposed upward, not approved), forwarded,
  withdrawn, and lists a unit decided on itself (its own decision, counter and register lines);
- every sent dossier has its history: rounds, submission and due dates, the log's rows of each
  move at their own times (submit, return, accept, …, the council's conclusion), and the
  deficiencies of each return; the upward proposals' register lines (Bằng khen tỉnh, Thủ
  tướng; 2022–2023) are written without their proposal rows (no statistic reads those).
"""

import random
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import transaction
from django.utils import timezone

BIG = 5000  # nominees of each of the two large dossiers
PER_DOSSIER = 20
PER_DECISION = 100
DISCLOSED = 2000
BATCH = 5000

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Hà", "Nông", "Đinh", "Lường"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
         "Trang", "Tuấn", "Việt", "Yến"]
SHEET_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Đinh"]  # bench.excel_import


def _name(rng, i) -> str:
    if i % 10 == 0:  # the same folded name as a row of the bench's Excel list
        j = 1 + (i // 10) % BIG
        return f"{SHEET_FAMILY[j % 8]} Văn Người {j}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _bulk(model, rows):
    """Insert ``rows`` (unsaved instances) as ``bulk_create`` would, ids included, ten times
    faster: the ids are given here (after the table's largest), the values converted once per
    column kind, then one ``executemany`` (SQLite) or ``COPY`` (PostgreSQL). For bench data in a
    database nobody else writes to; auto_now(_add) times are "now" where the row has none."""
    from django.db import connection
    from django.db.models import DateField, DateTimeField, FileField, JSONField

    rows = list(rows)
    if not rows:
        return rows
    meta = model._meta
    fields = meta.concrete_fields
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(meta.pk.column)}), 0) "  # noqa: S608
                       f"FROM {table}")
        last = cursor.fetchone()[0]
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"

    def converter(f):
        if isinstance(f, (JSONField, FileField)):
            return lambda v: f.get_db_prep_save(v, connection)
        if isinstance(f, DateTimeField) and sqlite:
            return connection.ops.adapt_datetimefield_value
        if isinstance(f, DateField) and sqlite and not isinstance(f, DateTimeField):
            return connection.ops.adapt_datefield_value
        return None

    plan = [(f.attname, converter(f), getattr(f, "auto_now", False)
             or getattr(f, "auto_now_add", False)) for f in fields]
    values = []
    for k, obj in enumerate(rows, start=1):
        if obj.pk is None:
            obj.pk = last + k
        row = []
        for attname, convert, stamped in plan:
            value = getattr(obj, attname)
            if stamped and value is None:
                value = now
                setattr(obj, attname, now)
            row.append(convert(value) if convert is not None and value is not None else value)
        values.append(row)
        obj._state.adding, obj._state.db = False, connection.alias
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if sqlite:
            marks = ", ".join("?" * len(fields))
            cursor.connection.executemany(  # the driver's own: no placeholder rewriting
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608
        else:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)
    return rows


# --- the variety of ``varied=True``: (value, weight) --------------------------------------------
CATEGORIES = [("direct_worker", 35), ("other_leader", 8), ("leader_province", 2),
              ("leader_department", 3), ("entrepreneur", 5), ("frontline_health", 8),
              ("frontline_police", 5), ("frontline_army", 3), ("frontline_volunteer", 4),
              ("other", 20), ("", 7)]
ETHNICITIES = [("Kinh", 55), ("Tày", 22), ("Nùng", 8), ("Dao", 5), ("Mông", 3), ("", 7)]
COLLECTIVE_KINDS = [("public_body", 60), ("enterprise", 25), ("household", 15)]
# đối tượng thi đua (plan IV.1) by the nominee's category or collective kind; blank: not given
PARTICIPANT_KINDS = {"direct_worker": "agencies", "other_leader": "party_and_government",
                     "leader_province": "party_and_government",
                     "leader_department": "party_and_government", "entrepreneur": "enterprises",
                     "frontline_health": "frontline", "frontline_police": "frontline",
                     "frontline_army": "frontline", "frontline_volunteer": "frontline",
                     "other": "citizens", "": "", "public_body": "front_and_mass_organisations",
                     "enterprise": "enterprises", "household": "citizens"}
COLLECTIVE_NAMES = {"public_body": "Tổ công tác", "enterprise": "Công ty TNHH",
                    "household": "Hộ gia đình"}
# The second half of the small dossiers (the first is council-reviewed and awarded).
STATES = [("draft", 10), ("submitted", 10), ("returned", 8), ("accepted", 8),
          ("committee_reviewed", 8), ("forwarded", 8), ("council_reviewed", 26),
          ("decided_by_unit", 14), ("withdrawn", 8)]
OUTCOMES = [("approved_local", 55), ("approved_upward", 30), ("not_approved", 15)]
RETURNS = [(0, 6), (1, 3), (2, 1)]  # how many times a sent dossier was returned
CITY_ISSUED = {2021: date(2021, 12, 20), 2022: date(2022, 6, 15), 2023: date(2023, 4, 20)}
HIGHER = [("bang-khen-chu-tich-ubnd-tinh", "QĐ-UBND", "Chủ tịch UBND tỉnh Bắc Kạn", 80),
          ("bang-khen-thu-tuong", "QĐ-TTg", "Thủ tướng Chính phủ", 20)]
DEFICIENCIES = ["Tờ trình của đơn vị", "Biên bản họp xét của đơn vị",
                "Báo cáo thành tích của cá nhân, tập thể"]
AFTER_SUBMISSION = {  # the moves after the last submission, in order
    "submitted": [], "returned": [], "withdrawn": ["dossier.withdraw"],
    "accepted": ["dossier.accept"],
    "committee_reviewed": ["dossier.accept", "dossier.conclude_committee"],
    "forwarded": ["dossier.accept", "dossier.conclude_committee", "dossier.forward_to_council"],
    "council_reviewed": ["dossier.accept", "dossier.conclude_committee",
                         "dossier.forward_to_council", "dossier.conclude_council"],
}


def _pick(rng, table):
    values, weights = zip(*((row[0], row[-1]) for row in table), strict=True)
    return rng.choices(values, weights)[0]


def _variety(rng, i, unit, areas) -> tuple[dict, dict]:
    """What subject ``i`` is (fields of the subject) and what its nominations say (fields of
    the nominee): one in ten a collective, individuals with a category and an ethnicity; the
    content area (one of ``areas``, the movement's, or none) and the participant kind."""
    area = rng.choice(areas) if areas and rng.random() < 0.85 else None
    if i % 10 == 5:
        kind = _pick(rng, COLLECTIVE_KINDS)
        return ({"kind": "collective", "name": f"{COLLECTIVE_NAMES[kind]} số {i} – {unit}",
                 "gender": "", "birth_year": None},
                {"collective_kind": kind, "content_area_id": area,
                 "participant_kind": PARTICIPANT_KINDS[kind] if rng.random() < 0.9 else ""})
    subject = {"gender": ""} if i % 25 == 1 else {}
    category = _pick(rng, CATEGORIES)
    return subject, {"category": category, "ethnicity": _pick(rng, ETHNICITIES),
                     "content_area_id": area,
                     "participant_kind": PARTICIPANT_KINDS[category] if rng.random() < 0.9 else ""}


def _story(rng, state, now) -> tuple[dict, list, list]:
    """A small dossier's history in ``state``: its fields, the log's moves [(verb, when)] and
    its returns [(round, when)]. From August 2021, concluded before the city's first decision."""
    created = timezone.make_aware(datetime(2021, 8, 1, 8)) + timedelta(
        days=rng.randint(0, 30), hours=rng.randint(0, 9))
    fields = {"state": state, "round": 0, "created_at": created, "updated_at": created}
    moves, returns = [], []
    t = created
    if state == "decided_by_unit":
        t += timedelta(days=rng.randint(5, 20))
        moves.append(("dossier.decide_by_unit", t))
    elif state != "draft":
        times = 0 if state == "submitted" and rng.random() < 0.5 else _pick(rng, RETURNS)
        if state == "returned":
            times = max(times, 1)
        if state == "submitted" and times == 0 and rng.random() < 0.5:
            # sent in the last days: waiting, not yet overdue
            created = now - timedelta(days=10)
            fields["created_at"] = created
            t = now - timedelta(days=rng.randint(6, 9))
        for turn in range(1, times + (state != "returned") + 1):
            t += timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
            moves.append(("dossier.submit", t))
            fields.update(round=turn, submitted_at=t, due_on=(t + timedelta(days=14)).date())
            if turn <= times:
                t += timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 8))
                moves.append(("dossier.return_for_supplement", t))
                returns.append((turn, t))
        for verb, (low, high) in zip(AFTER_SUBMISSION[state], [(1, 5), (3, 10), (1, 3), (3, 15)],
                                     strict=False):
            t += timedelta(days=rng.randint(low, high), hours=rng.randint(0, 8))
            moves.append((verb, t))
    fields["updated_at"] = t
    return fields, moves, returns


@contextmanager
def _given_times(*models):
    """Let ``bulk_create`` keep the times set on the objects (auto_now/auto_now_add would put
    "now" on every row); the rows must then carry them."""
    fields = [f for m in models for f in m._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@transaction.atomic
def generate(n: int, seed: int = 12, varied: bool = False) -> dict:
    """Write the data set (see the module's docstring); returns the objects the pages need.
    ``varied``: as varied as the statistics group it (``bench.reports``)."""
    from thidua.core.models import Activity
    from thidua.core.numbers import number_key
    from thidua.core.text import fold
    from thidua.decisions.models import Award, Decision, SerialCounter
    from thidua.movements.models import ContentArea, Movement
    from thidua.nominations.models import (
        Attachment,
        AttachmentVersion,
        AwardRecord,
        CouncilOutcome,
        Dossier,
        Nominee,
        Subject,
        person_key,
    )
    from thidua.orgs.models import Organisation, Role, User
    from thidua.reviews.models import Disclosure
    from thidua.rulesets.models import AwardForm

    rng = random.Random(seed)
    vr = random.Random(seed + 1)  # the variety's own draws: the plain set stays as it was
    movement = Movement.objects.get(slug__startswith="phong-chong-covid")
    form = AwardForm.objects.get(code="giay-khen-chu-tich-ubnd-huyen", rule_set=movement.rule_set)
    song_cau = Organisation.objects.get(code="phuong-song-cau")
    city = movement.issuer
    wards = list(Organisation.objects.filter(path__startswith=city.path, level="unit")
                 .exclude(pk=song_cau.pk)) or [song_cau]
    officer = User.objects.get(username="canbo.songcau")
    chairman = User.objects.get(memberships__role=Role.CHAIRMAN,
                                memberships__organisation=city)
    now = timezone.now()
    year = 2021

    # --- subjects and the register ----------------------------------------------------------
    subjects, traits = [], []  # traits: what subject i's nominations say (varied)
    areas = list(ContentArea.objects.filter(movement=movement).values_list("pk", flat=True))
    for i in range(n):
        name = _name(rng, i)
        unit = f"Phòng {i % 97} {wards[i % len(wards)].name}"
        fields = {"kind": "individual", "name": name, "birth_year": 1960 + i % 40,
                  "gender": "male" if i % 2 else "female"}
        extra = {}
        if varied:
            changed, extra = _variety(vr, i, unit, areas)
            fields.update(changed)
        traits.append(extra)
        subjects.append(Subject(**fields, name_folded=fold(fields["name"]), unit_name=unit,
                                unit_folded=fold(unit)))
    subjects = _bulk(Subject, subjects)
    _bulk(AwardRecord, [
        AwardRecord(subject=s, award_name="Giấy khen của Chủ tịch UBND thành phố",
                    decision_number=f"{1 + i // 200}/QĐ-UBND",
                    decision_date=date(2010 + i % 10, 1 + i % 12, 1 + i % 28),
                    issuer_name=city.name, unit_name=s.unit_name,
                    source=AwardRecord.Source.IMPORT)
        for i, s in enumerate(subjects)])

    def nominee(dossier, subject, order, **extra):
        return Nominee(dossier=dossier, subject=subject, kind=subject.kind,
                       full_name=subject.name, name_folded=subject.name_folded,
                       gender=subject.gender, birth_year=subject.birth_year,
                       unit_name=subject.unit_name, unit_folded=subject.unit_folded,
                       person_key=person_key(subject.name_folded, subject.birth_year),
                       position="Chuyên viên", order=order,
                       achievement_summary="Hoàn thành xuất sắc nhiệm vụ phòng, chống dịch.",
                       **extra)

    # --- the two large dossiers -------------------------------------------------------------
    sent = Dossier(movement=movement, organisation=song_cau, award_form=form,
                   unit_meeting_date=date(2021, 11, 1), state=Dossier.State.SUBMITTED, round=1,
                   submitted_at=now, due_on=date.today() + timedelta(days=10),
                   created_by=officer)
    draft = Dossier(movement=movement, organisation=song_cau, award_form=form,
                    unit_meeting_date=date(2021, 11, 1), created_by=officer)
    sent, draft = _bulk(Dossier, [sent, draft])
    big = {}
    for dossier, offset in ((sent, 0), (draft, BIG)):
        big[dossier.pk] = _bulk(Nominee, [nominee(dossier, subjects[(offset + i) % n], i + 1,
                                                  **traits[(offset + i) % n])
                                          for i in range(BIG)])
    # Documents: the dossier's own two, and one achievement report per nominee — but two of
    # the office's dossier's nominees have none yet ("4.998 / 5.000").
    attachments = []
    for dossier in (sent, draft):
        attachments += [Attachment(dossier=dossier, document_type=t, original=False)
                        for t in ("unit_submission", "unit_minutes")]
        attachments += [Attachment(dossier=dossier, nominee=m, document_type="achievement_report")
                        for m in big[dossier.pk][(2 if dossier is sent else 0):]]
    attachments = _bulk(Attachment, attachments)
    _bulk(AttachmentVersion, [
        AttachmentVersion(attachment=a, file=f"dossiers/bench-{a.pk}.pdf",
                          original_name="bao-cao.pdf", kind="pdf", content_type="application/pdf",
                          size=120_000, sha256=f"{a.pk:064d}", uploaded_by=officer)
        for a in attachments])

    # --- n nominees in small dossiers, reviewed by the council --------------------------------
    count = max(n // PER_DOSSIER, 1)
    last_awarded = max(n // 2 - 1, 0) // PER_DOSSIER  # dossiers up to it hold the awarded half
    stories = [None] * count
    proposers, own_form = wards, {}
    if varied:  # the city's units and wards propose; the second half is in every state
        proposers = list(Organisation.objects.filter(path__startswith=city.path,
                                                     level__in=["unit", "commune"]).order_by("pk"))
        own_form = {o.pk: f for o in proposers for f in AwardForm.objects.filter(
            rule_set=movement.rule_set, authority__in=["commune_chairman", "agency_head"])
            if f.decided_by(o)}
        stories = [_story(vr, "council_reviewed" if d <= last_awarded else _pick(vr, STATES), now)
                   for d in range(count)]

    def small(d):
        if stories[d] is None:
            return Dossier(movement=movement, organisation=wards[d % len(wards)], award_form=form,
                           unit_meeting_date=date(2021, 11, 1),
                           state=Dossier.State.COUNCIL_REVIEWED, round=1, submitted_at=now,
                           created_by=officer)
        fields = stories[d][0]
        org = proposers[d % len(proposers)]
        return Dossier(movement=movement, organisation=org, created_by=officer,
                       award_form=own_form[org.pk] if fields["state"] == "decided_by_unit" else form,
                       unit_meeting_date=(fields["created_at"] - timedelta(days=3)).date(),
                       **fields)

    with _given_times(Dossier) if varied else nullcontext():
        dossiers = _bulk(Dossier, [small(d) for d in range(count)])

    def conclusions(i, d):
        """The committee's and the council's word on nominee ``i`` of dossier ``d``."""
        state = dossiers[d].state
        if not varied or (d <= last_awarded and i < n // 2):
            return {"committee_conclusion": "propose",
                    "council_outcome": CouncilOutcome.APPROVED_LOCAL}
        if state not in ("committee_reviewed", "forwarded", "council_reviewed"):
            return {}
        if vr.random() < 0.1:
            return {"committee_conclusion": "not_propose",
                    "committee_reason": "Chưa đủ tiêu chuẩn."}
        if state != "council_reviewed":
            return {"committee_conclusion": "propose"}
        outcome = _pick(vr, OUTCOMES)
        return {"committee_conclusion": "propose", "council_outcome": outcome,
                "outcome_reason": "Chưa đủ số phiếu." if outcome == "not_approved" else ""}

    nominees = _bulk(Nominee, [
        nominee(dossiers[i // PER_DOSSIER % count], subjects[i], i % PER_DOSSIER + 1,
                **traits[i], **conclusions(i, i // PER_DOSSIER % count))
        for i in range(n)])

    # --- issued decisions awarding half of them, with their register lines --------------------
    awarded = nominees[: n // 2]
    issued = CITY_ISSUED if varied else {year: date(2021, 12, 1)}
    n_decisions = (len(awarded) + PER_DECISION - 1) // PER_DECISION
    years = [2021 + k % 3 if varied else year for k in range(n_decisions)]

    def cash_of(m):
        return 894_000 if m.kind == "collective" else 447_000

    def lines(k):
        return awarded[k * PER_DECISION:(k + 1) * PER_DECISION]

    decisions = _bulk(Decision, [
        Decision(movement=movement, issuer=city, award_form=form, number=1 + k,
                 series="QĐ-UBND", series_key=number_key("QĐ-UBND"), year=years[k],
                 issued_on=issued[years[k]], place="Bắc Kạn", signer=chairman,
                 legal_grounds="Căn cứ Luật Thi đua, Khen thưởng.", state=Decision.State.ISSUED,
                 issued_at=now, created_by=chairman,
                 # the totals issuing keeps (decisions.queries.totals_of)
                 awarded_individuals=sum(m.kind != "collective" for m in lines(k)),
                 awarded_collectives=sum(m.kind == "collective" for m in lines(k)),
                 awarded_cash=sum(cash_of(m) for m in lines(k)))
        for k in range(n_decisions)])
    serials = {}  # (issuer, year) -> the last serial given

    def serial(issuer_pk, on_year):
        serials[issuer_pk, on_year] = serials.get((issuer_pk, on_year), 0) + 1
        return f"{on_year}.{issuer_pk:03d}.{serials[issuer_pk, on_year]:07d}"

    _bulk(Award, [
        Award(decision=decisions[i // PER_DECISION], nominee=m, kind=m.kind,
              name=m.full_name, position=m.position, unit_name=m.unit_name,
              citation="Đã có thành tích xuất sắc.", cash=cash_of(m), order=i % PER_DECISION,
              serial=serial(city.pk, years[i // PER_DECISION]), verify_code=f"{i:08x}"[-8:])
        for i, m in enumerate(awarded)])
    _bulk(AwardRecord, [
        AwardRecord(subject_id=m.subject_id, nominee=m, award_name=form.name, award_form=form,
                    decision_number=f"{decisions[i // PER_DECISION].number}/QĐ-UBND",
                    decision_date=issued[years[i // PER_DECISION]], issuer_name=city.name,
                    unit_name=m.unit_name, movement=movement,
                    source=AwardRecord.Source.DECISION)
        for i, m in enumerate(awarded)])
    if varied:
        _units_and_higher(dossiers, nominees[n // 2:], own_form, serial, movement, officer,
                          len(awarded))
    for (issuer_pk, on_year), last in serials.items():
        SerialCounter.objects.update_or_create(issuer_id=issuer_pk, year=on_year,
                                               defaults={"last": last})

    # --- the activity log and a public disclosure ----------------------------------------------
    dossier_type = ContentType.objects.get_for_model(Dossier)
    _bulk(Activity, [
        Activity(actor=officer, verb="nominee.updated", target_type=dossier_type,
                 target_id=str(dossiers[i % count].pk), target_label=f"Hồ sơ số {i}",
                 organisation_id=dossiers[i % count].organisation_id)
        for i in range(n)])
    if varied:
        _histories(dossiers, stories, dossier_type, officer)
    disclosure = Disclosure.objects.create(
        movement=movement, title="Danh sách đề nghị Giấy khen (công khai)",
        starts_on=date.today(), ends_on=date.today() + timedelta(days=10))
    shown = (nominees[n // 2:] or nominees)
    if varied:  # only lists the office has accepted are disclosed
        state = {d.pk: d.state for d in dossiers}
        shown = [m for m in shown if state[m.dossier_id] in Dossier.COUNCIL_STATES] or nominees
    shown = shown[:DISCLOSED]
    Disclosure.nominees.through.objects.bulk_create(
        [Disclosure.nominees.through(disclosure=disclosure, nominee=m) for m in shown],
        batch_size=BATCH)
    return {"sent": sent, "draft": draft, "disclosure": disclosure, "form": form,
            "movement": movement, "song_cau": song_cau}


def _units_and_higher(dossiers, rest, own_form, serial, movement, officer, verify_from):
    """``varied``: the units' own decisions on the lists they decided (every nominee awarded,
    the unit's own counter, a register line each), and the register lines of the higher
    decisions on nominees the council proposed upward (two in three recorded)."""
    from thidua.core.numbers import number_key
    from thidua.decisions.models import Award, Decision
    from thidua.nominations.models import AwardRecord
    from thidua.orgs.models import Organisation
    from thidua.rulesets.models import AwardForm

    by_pk = {d.pk: d for d in dossiers}
    names = dict(Organisation.objects.values_list("pk", "name"))
    decided = [d for d in dossiers if d.state == "decided_by_unit"]
    numbers = {}  # (issuer, year) -> the last number

    def number(d):
        key = (d.organisation_id, d.updated_at.year)
        numbers[key] = numbers.get(key, 0) + 1
        return numbers[key]

    decisions = _bulk(Decision, [
        Decision(movement=movement, issuer_id=d.organisation_id, award_form=d.award_form,
                 number=number(d), series="QĐ", series_key=number_key("QĐ"),
                 year=d.updated_at.year, issued_on=d.updated_at.date(), place="Bắc Kạn",
                 signer=officer, legal_grounds="Căn cứ Luật Thi đua, Khen thưởng.",
                 state=Decision.State.ISSUED, issued_at=d.updated_at, created_by=officer)
        for d in decided])
    by_dossier = {d.pk: decision for d, decision in zip(decided, decisions, strict=True)}
    mine = [m for m in rest if m.dossier_id in by_dossier]
    awards = []
    for j, m in enumerate(mine):
        decision = by_dossier[m.dossier_id]
        cash = 894_000 if m.kind == "collective" else 447_000
        decision.awarded_collectives += m.kind == "collective"
        decision.awarded_individuals += m.kind != "collective"
        decision.awarded_cash += cash
        awards.append(Award(decision=decision, nominee=m, kind=m.kind, name=m.full_name,
                            position=m.position, unit_name=m.unit_name,
                            citation="Đã có thành tích xuất sắc.", cash=cash, order=m.order,
                            serial=serial(decision.issuer_id, decision.year),
                            verify_code=f"{verify_from + j:08x}"[-8:]))
    _bulk(Award, awards)
    Decision.objects.bulk_update(decisions, ["awarded_collectives", "awarded_individuals",
                                             "awarded_cash"], batch_size=BATCH)
    records = [AwardRecord(subject_id=m.subject_id, nominee=m,
                           award_name=by_pk[m.dossier_id].award_form.name,
                           award_form=by_pk[m.dossier_id].award_form,
                           decision_number=f"{by_dossier[m.dossier_id].number}/QĐ",
                           decision_date=by_dossier[m.dossier_id].issued_on,
                           issuer_name=names[by_dossier[m.dossier_id].issuer_id],
                           unit_name=m.unit_name, movement=movement,
                           source=AwardRecord.Source.DECISION) for m in mine]
    forms = {code: AwardForm.objects.get(rule_set=movement.rule_set, code=code)
             for code, *_rest in HIGHER}
    upward = [m for m in rest if m.council_outcome == "approved_upward"]
    for j, m in enumerate(upward):
        if j % 3 == 2:  # not yet decided above
            continue
        code, series, issuer, _weight = HIGHER[0] if j % 5 else HIGHER[1]
        batch = j // 60  # a higher decision names about forty of them
        records.append(AwardRecord(
            subject_id=m.subject_id, nominee=m, award_name=forms[code].name,
            award_form=forms[code], decision_number=f"{100 + batch}/{series}",
            decision_date=date(2022 + batch % 2, 3 + batch % 9, 1 + batch % 28),
            issuer_name=issuer, unit_name=m.unit_name, movement=movement,
            source=AwardRecord.Source.HIGHER))
    _bulk(AwardRecord, records)


def _histories(dossiers, stories, dossier_type, officer):
    """``varied``: each small dossier's moves in the log at their own times, and the
    deficiencies of each return (one to three items)."""
    from thidua.core.models import Activity
    from thidua.nominations.models import Deficiency

    rng = random.Random(len(dossiers))
    log, deficiencies = [], []
    for d, (_fields, moves, returns) in zip(dossiers, stories, strict=True):
        for verb, when in moves:
            log.append(Activity(actor=officer, verb=verb, target_type=dossier_type,
                                target_id=str(d.pk), target_label=f"Hồ sơ số {d.pk}",
                                organisation_id=d.organisation_id, created_at=when))
        for turn, when in returns:
            deficiencies += [Deficiency(dossier=d, round=turn, item_label=label,
                                        message="Thiếu chữ ký, đóng dấu.", created_at=when)
                             for label in rng.sample(DEFICIENCIES, rng.randint(1, 3))]
    with _given_times(Activity, Deficiency):
        _bulk(Activity, log)
        _bulk(Deficiency, deficiencies)
