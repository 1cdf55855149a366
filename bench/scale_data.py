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
"""

import random
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
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
    return model.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def generate(n: int, seed: int = 12) -> dict:
    """Write the data set (see the module's docstring); returns the objects the pages need."""
    from thidua.core.models import Activity
    from thidua.core.numbers import number_key
    from thidua.core.text import fold
    from thidua.decisions.models import Award, Decision, SerialCounter
    from thidua.movements.models import Movement
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
    subjects = []
    for i in range(n):
        name = _name(rng, i)
        unit = f"Phòng {i % 97} {wards[i % len(wards)].name}"
        subjects.append(Subject(kind="individual", name=name, name_folded=fold(name),
                                birth_year=1960 + i % 40, gender="male" if i % 2 else "female",
                                unit_name=unit, unit_folded=fold(unit)))
    subjects = _bulk(Subject, subjects)
    _bulk(AwardRecord, [
        AwardRecord(subject=s, award_name="Giấy khen của Chủ tịch UBND thành phố",
                    decision_number=f"{1 + i // 200}/QĐ-UBND",
                    decision_date=date(2010 + i % 10, 1 + i % 12, 1 + i % 28),
                    issuer_name=city.name, unit_name=s.unit_name,
                    source=AwardRecord.Source.IMPORT)
        for i, s in enumerate(subjects)])

    def nominee(dossier, subject, order, **extra):
        return Nominee(dossier=dossier, subject=subject, kind="individual",
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
        big[dossier.pk] = _bulk(Nominee, [nominee(dossier, subjects[(offset + i) % n], i + 1)
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
    dossiers = _bulk(Dossier, [
        Dossier(movement=movement, organisation=wards[d % len(wards)], award_form=form,
                unit_meeting_date=date(2021, 11, 1), state=Dossier.State.COUNCIL_REVIEWED,
                round=1, submitted_at=now, created_by=officer) for d in range(count)])
    nominees = _bulk(Nominee, [
        nominee(dossiers[i // PER_DOSSIER % count], subjects[i], i % PER_DOSSIER + 1,
                committee_conclusion="propose", council_outcome=CouncilOutcome.APPROVED_LOCAL)
        for i in range(n)])

    # --- issued decisions awarding half of them, with their register lines --------------------
    awarded = nominees[: n // 2]
    decisions = _bulk(Decision, [
        Decision(movement=movement, issuer=city, award_form=form, number=1 + k,
                 series="QĐ-UBND", series_key=number_key("QĐ-UBND"), year=year,
                 issued_on=date(2021, 12, 1), place="Bắc Kạn", signer=chairman,
                 legal_grounds="Căn cứ Luật Thi đua, Khen thưởng.", state=Decision.State.ISSUED,
                 issued_at=now, created_by=chairman,
                 # the totals issuing keeps (decisions.queries.totals_of)
                 awarded_individuals=len(awarded[k * PER_DECISION:(k + 1) * PER_DECISION]),
                 awarded_cash=447_000 * len(awarded[k * PER_DECISION:(k + 1) * PER_DECISION]))
        for k in range((len(awarded) + PER_DECISION - 1) // PER_DECISION)])
    _bulk(Award, [
        Award(decision=decisions[i // PER_DECISION], nominee=m, kind="individual",
              name=m.full_name, position=m.position, unit_name=m.unit_name,
              citation="Đã có thành tích xuất sắc.", cash=447_000, order=i % PER_DECISION,
              serial=f"{year}.{city.pk:03d}.{i + 1:07d}", verify_code=f"{i:08x}"[-8:])
        for i, m in enumerate(awarded)])
    SerialCounter.objects.update_or_create(issuer=city, year=year,
                                           defaults={"last": len(awarded)})
    _bulk(AwardRecord, [
        AwardRecord(subject_id=m.subject_id, nominee=m, award_name=form.name, award_form=form,
                    decision_number=f"{decisions[i // PER_DECISION].number}/QĐ-UBND",
                    decision_date=date(2021, 12, 1), issuer_name=city.name,
                    unit_name=m.unit_name, movement=movement,
                    source=AwardRecord.Source.DECISION)
        for i, m in enumerate(awarded)])

    # --- the activity log and a public disclosure ----------------------------------------------
    dossier_type = ContentType.objects.get_for_model(Dossier)
    _bulk(Activity, [
        Activity(actor=officer, verb="nominee.updated", target_type=dossier_type,
                 target_id=str(dossiers[i % count].pk), target_label=f"Hồ sơ số {i}",
                 organisation_id=dossiers[i % count].organisation_id)
        for i in range(n)])
    disclosure = Disclosure.objects.create(
        movement=movement, title="Danh sách đề nghị Giấy khen (công khai)",
        starts_on=date.today(), ends_on=date.today() + timedelta(days=10))
    shown = (nominees[n // 2:] or nominees)[:DISCLOSED]
    Disclosure.nominees.through.objects.bulk_create(
        [Disclosure.nominees.through(disclosure=disclosure, nominee=m) for m in shown],
        batch_size=BATCH)
    return {"sent": sent, "draft": draft, "disclosure": disclosure, "form": form,
            "movement": movement, "song_cau": song_cau}
