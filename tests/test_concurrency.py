"""Two (or more) people acting on one object at the same instant, on SQLite and PostgreSQL.

Each race releases real requests together (threads behind one barrier, each with its own
signed-in client and database connection, see tests/concurrency.py) and asserts, every time:
no request ends in an exception (a 500), exactly one of the people wins where only one can, the
other reads the product's own "someone changed this" or refusal message on the page they end
on, and the database shows one change of state and one log row. Each collision runs several
times on fresh objects, because a race lost once may be won the next time.

On SQLite the module runs on a file with the product's options (WAL, ``BEGIN IMMEDIATE``, the
busy timeout), not on the shared in-memory test database, whose table locks refuse a second
writer at once whatever the settings say. On PostgreSQL, pairs whose fault needs one exact
order are driven into it (see POSTGRES below).
"""

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests import concurrency, pipeline
from tests.concurrency import Act, Person, Rendezvous, act, no_escape, race
from tests.conftest import FAST_HASHERS
from tests.factories import member
from thidua.core.models import Activity
from thidua.core.workflow import REFUSED as FLOW_REFUSED
from thidua.core.workflow import Workflow
from thidua.decisions import actions as decision_actions
from thidua.decisions import certificate_batches as batches
from thidua.decisions import proposals
from thidua.decisions.flows import ISSUED_ALREADY, PROPOSAL_FLOW
from thidua.decisions.models import Award, CertificateBatch, Decision, Proposal, SerialCounter
from thidua.home.demo import seed_demo
from thidua.nominations import actions as dossier_actions
from thidua.nominations.actions import REFUSALS as DOSSIER_REFUSALS
from thidua.nominations.actions import snapshot
from thidua.nominations.completeness import checklist
from thidua.nominations.models import (
    REJECTED_SHEET_FOLDER,
    AttachmentVersion,
    AwardRecord,
    Dossier,
    DossierSnapshot,
    Nominee,
    RejectedSheet,
)
from thidua.orgs.models import Organisation, Role
from thidua.reviews import actions as review_actions
from thidua.reviews.models import AgendaItem, BallotBox, BallotReceipt, Meeting, MinutesRevision
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db(transaction=True)

REPEAT = 4  # each collision, on fresh objects
FORCED = 2  # a collision driven into one exact order (PostgreSQL, below) needs no more

# Sixty-four different people, so that no two nominees of a test are taken for one person.
NAMES = [f"{family} {given}" for given in ["Thị Lan", "Văn Nam", "Thị Hoa", "Văn Dũng",
                                           "Thị Hằng", "Văn Bảo", "Thị Hương", "Văn Khoa"]
         for family in ["Nguyễn", "Hoàng", "Lục", "Nông", "Ma", "Triệu", "Hà", "Lý"]]


@pytest.fixture(scope="module", autouse=True)
def _database(django_db_setup, django_db_blocker, tmp_path_factory):
    """SQLite: a file of the module's own. PostgreSQL: the test database, seeded again at the
    end (a transactional test empties it) for the modules that run after this one."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with django_db_blocker.unblock():
            on_file = concurrency.SqliteOnAFile(tmp_path_factory.mktemp("race") / "db.sqlite3")
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                on_file.stop()
        return
    yield
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        if not Organisation.objects.filter(code="ubnd-tp-bac-kan").exists():
            seed_demo()


# SQLite takes its write lock at BEGIN (IMMEDIATE): two writers never overlap, the second waits.
# On PostgreSQL each statement reads what was committed when it began and row locks are taken
# one by one, so two acts that check rows before writing can both pass their checks, and two
# that lock the same rows in different orders deadlock. A free race finds those only sometimes:
# on PostgreSQL the tests of such pairs force the worst order instead (hooks below), so that
# they fail every time the fault is there.
POSTGRES = connection.vendor == "postgresql"


def read_before_anyone_writes(monkeypatch, parties=2) -> Rendezvous:
    """From now on every workflow move (issuing, withdrawing, sending...) waits, once its checks
    are done and before it saves, until the other racers have done their checks too."""
    meeting = Rendezvous(parties)
    apply = Workflow._apply

    def held(self, locked, transition, *, prepare, **kwargs):
        def checked(obj):
            if prepare is not None:
                prepare(obj)
            meeting.wait()

        return apply(self, locked, transition, prepare=checked, **kwargs)

    monkeypatch.setattr(Workflow, "_apply", held)
    return meeting


# --- people and data --------------------------------------------------------------------------

@pytest.fixture
def clerks(personas, demo):
    """Two clerks of the city office (the demo has one; the second joins it here)."""
    hoa = member(demo.org("vp-hdnd-ubnd-tp"), Role.RECEIVING_OFFICE, username="vanphong2",
                 full_name="Lê Thị Hoa")
    return Person(personas.dung), Person(hoa)


@pytest.fixture
def secretaries(personas, demo):
    """Two officers of the council's secretariat."""
    second = member(demo.org("phong-noi-vu-tp"), Role.COUNCIL_SECRETARIAT, username="noivu2",
                    full_name="Vi Thị Hậu")
    return Person(personas.mai), Person(second)


def people(count, start=0):
    return [pipeline.person(name=NAMES[i], year=1960 + i % 40)
            for i in range(start, start + count)]


def submitted_dossiers(count, personas, movement, form):
    """``count`` dossiers of Sông Cầu ward, each with one nominee, complete and submitted."""
    dossiers = []
    for i in range(count):
        draft = pipeline.new_draft(movement, form, personas.hanh, *people(1, i))
        pipeline.complete(draft, personas.hanh)
        dossiers.append(dossier_actions.submit_dossier(draft, by=personas.tam))
    return dossiers


def forwarded_dossier(count, personas, movement, form):
    """One dossier with ``count`` nominees, all proposed by the committee and forwarded."""
    draft = pipeline.new_draft(movement, form, personas.hanh, *people(count))
    accepted = pipeline.accept(draft, officer=personas.hanh, head=personas.tam,
                               office=personas.dung)
    return pipeline.forward(accepted, personas.dung)


def council_members():
    council = pipeline.council_people()
    return [(council["chair"], "chair"), (council["vice"], "vice_chair"),
            (council["member"], "member"), (council["health"], "member")]


def forwarded_apart(count, personas, movement, form):
    """``count`` dossiers of one nominee each, accepted, proposed by the committee (one meeting
    for all of them) and forwarded to the council."""
    office = personas.dung
    dossiers = [pipeline.accept(pipeline.new_draft(movement, form, personas.hanh, *people(1, i)),
                                officer=personas.hanh, head=personas.tam, office=office)
                for i in range(count)]
    nominees = [d.nominees.get() for d in dossiers]
    committee = review_actions.open_meeting(review_actions.create_meeting(
        kind="committee", movement=movement, title="Họp xét Ban Chỉ đạo",
        scheduled_at=timezone.now(), place="Phòng họp số 1", chair=office, secretary=office,
        nominees=nominees, by=office), by=office)
    for item in committee.items.all():
        review_actions.set_conclusion(item, conclusion="propose", by=office)
    review_actions.close_meeting(committee, by=office)
    return [dossier_actions.forward_to_council(Dossier.objects.get(pk=d.pk), by=office)
            for d in dossiers]


def council_reviewed_apart(count, personas, movement, form):
    """``count`` dossiers of one nominee each, through the committee and the council (one
    meeting for all of them), every nominee approved."""
    dossiers = forwarded_apart(count, personas, movement, form)
    nominees = [d.nominees.get() for d in dossiers]
    council, members = pipeline.council_people(), council_members()
    meeting = review_actions.create_meeting(
        kind="council", movement=movement, title="Phiên họp Hội đồng TĐKT",
        scheduled_at=timezone.now(), place="Hội trường UBND thành phố", chair=council["chair"],
        secretary=personas.mai, nominees=Nominee.objects.filter(pk__in=[n.pk for n in nominees]),
        members=members, by=personas.mai)
    review_actions.set_attendance(meeting, present_user_ids={u.pk for u, _r in members},
                                  by=personas.mai)
    pipeline.approve_all(review_actions.open_meeting(meeting, by=personas.mai))
    return [Dossier.objects.get(pk=d.pk) for d in dossiers]


def open_council_meetings(dossier, secretary):
    """One open council meeting per nominee of ``dossier``, the four members present."""
    council, members = pipeline.council_people(), council_members()
    meetings = []
    for nominee in dossier.nominees.order_by("order"):
        meeting = review_actions.create_meeting(
            kind="council", movement=dossier.movement, title=f"Phiên họp xét {nominee.full_name}",
            scheduled_at=timezone.now(), place="Hội trường UBND thành phố",
            chair=council["chair"], secretary=secretary, nominees=[nominee], members=members,
            by=secretary)
        review_actions.set_attendance(meeting, present_user_ids={u.pk for u, _r in members},
                                      by=secretary)
        meetings.append(review_actions.open_meeting(Meeting.objects.get(pk=meeting.pk),
                                                    by=secretary))
    return meetings


def city_draft(movement, form, nominees, by, number):
    """A draft of the city chairman's decision, dated today (after the council met)."""
    return decision_actions.draft_decision(
        movement=movement, award_form=form, nominees=nominees, number=number,
        issued_on=timezone.localdate(), signer=pipeline.council_people()["chair"],
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=by)


def log(obj, *verbs):
    return Activity.objects.for_object(obj).filter(verb__in=verbs)


def one_wins(seen, refusals):
    """Exactly one person got through; everyone else reads one of ``refusals`` (exact
    messages) on their page. Returns the winner."""
    no_escape(seen)
    winners = [s for s in seen if not s.errors]
    assert len(winners) == 1, "\n".join(map(str, seen))
    for loser in seen:
        if loser is not winners[0]:
            assert set(loser.errors) & set(refusals), f"{loser}\nexpected one of {refusals}"
    return winners[0]


def messages(template, *states):
    """``template`` (a lazy message with ``%(state)s``) for each of ``states``."""
    return {str(template) % {"state": label} for label in states}


def media_files(*folders) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for folder in folders
            for p in (root / folder).rglob("*") if p.is_file()}


# --- dossiers: the office's two clerks ---------------------------------------------------------

ACCEPTED = "Đã tiếp nhận hồ sơ."
RETURNED = "Đã trả lại hồ sơ để bổ sung."


def review_act(kind, person, dossier):
    if kind == "withdraw":
        return person.post(f"/ho-so/{dossier.pk}/rut/", {"reason": "Cá nhân xin rút"})
    base = f"/ho-so/{dossier.pk}/kiem-tra/"
    if kind == "accept":
        return person.post(f"{base}tiep-nhan/", {"round": dossier.round})
    if kind == "return":
        return person.post(f"{base}tra-lai/", {"round": dossier.round,
                                                "other": "Bổ sung bản chính biên bản họp."})
    key = checklist(dossier, list(dossier.nominees.all()),
                    list(dossier.attachments.prefetch_related("versions")))[0].key
    return person.post(f"{base}danh-dau/", {"round": dossier.round, "item_key": key, "ok": "0",
                                             "note": "Biên bản chưa có chữ ký."})


WITHDRAWN = "Đã rút hồ sơ."
STILL_FAILED = "Còn mục được đánh dấu chưa đạt: hãy trả lại để bổ sung, hoặc sửa lại đánh dấu."


def _one_review_move(dossier, after, seen):
    """Accept or return, twice: one move, one log row, one list of deficiencies."""
    label = after.get_state_display()
    winner = one_wins(seen, messages(dossier_actions.STALE, label)
                      | messages(DOSSIER_REFUSALS["accept"], label)
                      | messages(DOSSIER_REFUSALS["return_for_supplement"], label))
    [move] = log(dossier, "dossier.accept", "dossier.return_for_supplement")
    if after.state == Dossier.State.ACCEPTED:
        assert winner.notes == [ACCEPTED] and move.verb == "dossier.accept"
        assert not after.deficiencies.exists()
    else:
        assert after.state == Dossier.State.RETURNED and winner.notes == [RETURNED]
        assert after.deficiencies.count() == 1  # one return's list, not two


def _mark_or_accept(dossier, after, seen):
    """A "Chưa đạt" mark and the acceptance: never an accepted dossier with a failed item."""
    no_escape(seen)
    mark, accept = seen
    failed = after.marks.filter(round=after.round, ok=False).exists()
    label = after.get_state_display()
    if after.state == Dossier.State.ACCEPTED:
        assert not failed and accept.notes == [ACCEPTED]
        assert set(mark.errors) & (messages(dossier_actions.STALE, label)
                                   | messages(DOSSIER_REFUSALS["accept"], label)), mark
    else:
        assert after.state == Dossier.State.SUBMITTED and failed and not mark.errors
        assert accept.errors == [STILL_FAILED] and not log(dossier, "dossier.accept").exists()


def _withdraw_or_accept(dossier, after, seen):
    """Withdrawing stays possible after acceptance, so both may go through one after the
    other; the pages, the dossier and its log always agree."""
    no_escape(seen)
    withdrawing, accepting = seen
    label = after.get_state_display()
    assert log(dossier, "dossier.withdraw").count() == (not withdrawing.errors)
    assert log(dossier, "dossier.accept").count() == (not accepting.errors)
    if withdrawing.errors:
        assert after.state == Dossier.State.ACCEPTED and accepting.notes == [ACCEPTED]
        assert set(withdrawing.errors) & messages(dossier_actions.STALE, label), withdrawing
    else:
        assert after.state == Dossier.State.WITHDRAWN and withdrawing.notes == [WITHDRAWN]
        assert not accepting.errors or set(accepting.errors) & (
            messages(dossier_actions.STALE, label) | messages(DOSSIER_REFUSALS["accept"], label))


def test_two_people_act_on_one_submitted_dossier(clerks, personas, movement, city_certificate):
    dung, hoa = clerks
    head = Person(personas.tam)
    pairs = [(("accept", dung), ("accept", hoa), _one_review_move),
             (("accept", dung), ("return", hoa), _one_review_move),
             (("return", dung), ("return", hoa), _one_review_move),
             (("mark", dung), ("accept", hoa), _mark_or_accept),
             (("withdraw", head), ("accept", dung), _withdraw_or_accept)]
    dossiers = submitted_dossiers(len(pairs) * REPEAT, personas, movement, city_certificate)
    for (first, second, check), dossier in zip(pairs * REPEAT, dossiers, strict=True):
        seen = race(review_act(*first, dossier), review_act(*second, dossier))
        check(dossier, Dossier.objects.get(pk=dossier.pk), seen)


# --- dossiers: the unit head submits while the officer is still editing -------------------------

def edit_act(officer, kind, dossier, i):
    nominee = dossier.nominees.get()
    if kind == "upload":
        upload = pipeline.pdf("minh-chung.pdf", text=f"minh chung {dossier.pk} {i}")
        return officer.post(f"/ho-so/{dossier.pk}/tai-lieu/", {
            "document_type": "evidence", "original": "1", "nominee": "", "file": upload})
    if kind == "nominee":
        data = {k: ("" if v is None else v) for k, v in {
            "kind": nominee.kind, "full_name": nominee.full_name, "gender": nominee.gender,
            "birth_year": nominee.birth_year, "ethnicity": nominee.ethnicity,
            "position": "Trưởng trạm", "unit_name": nominee.unit_name,
            "category": nominee.category, "achievement_summary": nominee.achievement_summary,
            "citation": nominee.citation}.items()}
        return officer.post(f"/ho-so/{dossier.pk}/nguoi/{nominee.pk}/sua/", data)
    if kind == "dossier":
        return officer.post(f"/ho-so/{dossier.pk}/sua/", {
            "award_form": dossier.award_form_id, "procedure": dossier.procedure,
            "unit_meeting_date": "2021-11-16", "unit_meeting_result": "9/10 thành viên nhất trí"})
    return officer.post(f"/ho-so/{dossier.pk}/them-nguoi/", {
        "kind": "individual", "full_name": "Sầm Thị Nhung", "gender": "female",
        "birth_year": 1992, "position": "Điều dưỡng", "unit_name": "Trạm Y tế phường Sông Cầu",
        "category": "frontline_health"})


CHANGED = {
    "upload": lambda d: d.attachments.filter(document_type="evidence").exists(),
    "nominee": lambda d: d.nominees.get().position == "Trưởng trạm",
    "dossier": lambda d: d.unit_meeting_result == "9/10 thành viên nhất trí",
    "add": lambda d: d.nominees.count() == 2,
}
EDITED = {"upload": "Đã tải lên tài liệu.", "nominee": "Đã lưu.",
          "dossier": "Đã lưu thông tin hồ sơ.", "add": "Đã thêm Sầm Thị Nhung."}


def test_the_head_submits_while_the_officer_edits(personas, movement, city_certificate):
    """Either the edit lands first and is part of what was submitted, or it is refused and
    leaves nothing behind: what the office receives is what the dossier holds."""
    officer, head = Person(personas.hanh), Person(personas.tam)
    for i, edit in enumerate(list(EDITED) * REPEAT):
        dossier = pipeline.complete(
            pipeline.new_draft(movement, city_certificate, personas.hanh, *people(1, i)),
            personas.hanh)
        seen = race(edit_act(officer, edit, dossier, i), head.post(f"/ho-so/{dossier.pk}/trinh/"))
        no_escape(seen)
        editing, submitting = seen
        after = Dossier.objects.get(pk=dossier.pk)
        label = after.get_state_display()
        assert not (editing.errors and submitting.errors), seen
        if editing.errors:
            assert set(editing.errors) & (messages(dossier_actions.STALE, label) | {
                f"Hồ sơ đang ở trạng thái “{label}”, không thể sửa."}), editing
        else:
            assert editing.notes[:1] == [EDITED[edit]], editing
        if after.state == Dossier.State.SUBMITTED:
            assert log(dossier, "dossier.submit").count() == 1
            submitted = DossierSnapshot.objects.get(dossier=dossier, round=1)
            assert submitted.data == snapshot(after), "the office would not see what is there"
        else:  # only a new nominee without its report stops the submission
            assert edit == "add" and not editing.errors and submitting.errors, seen
            assert not log(dossier, "dossier.submit").exists()
        assert CHANGED[edit](after) == (not editing.errors), "the data and the page disagree"
    stored = set(AttachmentVersion.objects.values_list("file", flat=True))
    assert media_files("dossiers") == stored, "a refused upload left its file behind"


# --- meetings ----------------------------------------------------------------------------------

CLOSED = "Phiên họp đã kết thúc; kết quả đã được tính và biên bản đã được khóa."
ADJOURNED = ("Đã hoãn phiên họp; những người, tập thể trong chương trình có thể được đưa vào "
             "phiên họp khác.")


ENDING_PAIRS = [("close", "close"), ("close", "adjourn"), ("adjourn", "adjourn")]


def test_two_people_close_or_adjourn_the_same_meeting_once(personas, secretaries, movement,
                                                           city_certificate):
    mai, hau = secretaries
    chairman = Person(personas.binh)
    dossier = forwarded_dossier(len(ENDING_PAIRS) * REPEAT, personas, movement, city_certificate)

    def ending(kind, person, meeting):
        if kind == "close":
            return person.post(f"/hop/{meeting.pk}/ket-thuc/")
        return person.post(f"/hop/{meeting.pk}/hoan/", {"reason": "Chủ tịch Hội đồng bận đột xuất"})

    meetings = open_council_meetings(dossier, personas.mai)
    for (first, second), meeting in zip(ENDING_PAIRS * REPEAT, meetings, strict=True):
        # The chairman may close but not adjourn; the second secretary may do both.
        seen = race(ending(first, chairman if first == "close" else mai, meeting),
                    ending(second, hau, meeting))
        after = Meeting.objects.get(pk=meeting.pk)
        label = after.get_state_display()
        winner = one_wins(seen, messages(review_actions.STALE, label)
                          | messages(review_actions.REFUSED, label))
        [ended] = log(meeting, "meeting.close", "meeting.adjourn")
        assert after.state == Meeting.State.CLOSED
        assert MinutesRevision.objects.filter(meeting=meeting).count() == 1
        item = after.items.select_related("nominee").get()
        if ended.verb == "meeting.close":
            assert winner.notes == [CLOSED]
            assert item.result in {AgendaItem.Result.PASSED, AgendaItem.Result.FAILED}
            assert item.nominee.council_outcome
        else:
            assert winner.notes == [ADJOURNED]
            assert item.result == AgendaItem.Result.NO_QUORUM and not item.nominee.council_outcome
    assert log(dossier, "dossier.conclude_council").count() <= 1


def test_two_meetings_scheduled_at_once_cannot_take_the_same_people(clerks, personas,
                                                                  movement, city_certificate,
                                                                  monkeypatch):
    dung, hoa = clerks
    meeting = Rendezvous(2, timeout=2.0)
    if POSTGRES:  # both read who is eligible before either takes the lock
        candidates = review_actions.committee_candidates

        def read_then_wait(movement):
            pks = list(candidates(movement).values_list("pk", flat=True))
            meeting.wait()
            return Nominee.objects.filter(pk__in=pks)

        monkeypatch.setattr(review_actions, "committee_candidates", read_then_wait)
    path = f"/hop/phong-trao/{movement.slug}/committee/moi/"
    for i in range(FORCED if POSTGRES else REPEAT):
        dossier = pipeline.accept(
            pipeline.new_draft(movement, city_certificate, personas.hanh, *people(1, i)),
            officer=personas.hanh, head=personas.tam, office=personas.dung)
        nominee = dossier.nominees.get()
        meeting.reset()
        seen = race(*(clerk.post(path, {
            "title": f"Họp xét Ban Chỉ đạo {k}", "place": "Phòng họp số 1",
            "scheduled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "chair": personas.dung.pk, "secretary": clerk.user.pk, "nominees": [nominee.pk]})
            for k, clerk in enumerate((dung, hoa))))
        no_escape(seen)
        winners = [s for s in seen if not s.errors]
        assert len(winners) == 1 and winners[0].notes == ["Đã lên lịch phiên họp."], seen
        [loser] = [s for s in seen if s.errors]
        assert any(e.startswith("Không đưa được vào chương trình họp") or "lựa chọn" in e
                   for e in loser.errors), loser
        assert AgendaItem.objects.filter(nominee=nominee).count() == 1
        assert Activity.objects.filter(verb="meeting.created").count() == i + 1


def test_members_vote_while_the_secretary_closes_the_meeting(personas, movement,
                                                             city_certificate):
    """A ballot lands before the closing and is counted, or is refused: the counts frozen at
    closing, the ballot box and the receipts always agree."""
    council = pipeline.council_people()
    secretary = Person(personas.mai)
    voters = [Person(council["member"]), Person(council["health"])]
    dossier = forwarded_dossier(REPEAT, personas, movement, city_certificate)
    for meeting in open_council_meetings(dossier, personas.mai):
        item = meeting.items.get()
        for early in [council["chair"], council["vice"]]:
            review_actions.cast_vote(item, choice="agree", by=early)
        vote = f"/hop/{meeting.pk}/muc/{item.pk}/bo-phieu/"
        seen = race(*(v.post(vote, {"choice": "agree"}) for v in voters),
                    secretary.post(f"/hop/{meeting.pk}/ket-thuc/"))
        no_escape(seen)
        *ballots, closing = seen
        assert closing.notes == [CLOSED] and not closing.errors
        item.refresh_from_db()
        receipts = BallotReceipt.objects.filter(item=item)
        box = BallotBox.objects.get(item=item)
        assert item.agree + item.disagree + item.abstain == receipts.count() == (
            box.agree + box.disagree + box.abstain), "a ballot landed after the closing"
        label = Meeting.State.CLOSED.label
        late = messages(review_actions.STALE, label) | {
            f"Chỉ bỏ phiếu khi phiên họp đang diễn ra (hiện: {label})."}
        for person, ballot in zip(voters, ballots, strict=True):
            counted = receipts.filter(member__user=person.user).exists()
            assert counted == (not ballot.errors), ballot
            assert counted or set(ballot.errors) & late, ballot
        passed = item.result == AgendaItem.Result.PASSED
        assert (item.nominee.council_outcome == "approved_local") == passed
        assert log(meeting, "meeting.voted").count() == receipts.count()


def until_another_waits_for_a_lock(timeout=2.0):
    """PostgreSQL: return once some other transaction waits for a lock (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = "
                           "current_database() AND wait_event_type = 'Lock')")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.005)


def holding_its_locks(monkeypatch, owner, name) -> threading.Event:
    """PostgreSQL: when ``owner.name`` is called (its caller's transaction holding its locks),
    it sets the event it returns, waits until another transaction queues for a lock, then goes
    on: the other act is made to arrive exactly then (:func:`once`)."""
    held = threading.Event()
    if POSTGRES:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            held.set()
            until_another_waits_for_a_lock()
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)
    return held


def once(held: threading.Event, act: Act) -> Act:
    """``act``, started once the other side holds its locks (PostgreSQL; at once on SQLite)."""
    return Act(act.label, lambda: (POSTGRES and held.wait(2), act())[1])

def test_the_unit_withdraws_while_the_secretary_closes_the_council_meeting(
        personas, movement, city_certificate, monkeypatch):
    """Closing moves the meeting's dossiers while their unit may be withdrawing one: whichever
    comes first, nothing breaks and the dossier's state and log agree with the pages."""
    head, secretary = Person(personas.tam), Person(personas.mai)
    dossiers = forwarded_apart(FORCED if POSTGRES else REPEAT, personas, movement,
                               city_certificate)
    meetings = [open_council_meetings(dossier, personas.mai)[0] for dossier in dossiers]
    # PostgreSQL: the withdrawal queues for the closing's locks while it computes the results.
    locked = holding_its_locks(monkeypatch, review_actions, "_close_council")
    for dossier, meeting in zip(dossiers, meetings, strict=True):
        locked.clear()
        seen = race(once(locked, head.post(f"/ho-so/{dossier.pk}/rut/",
                                           {"reason": "Cá nhân xin rút"})),
                    secretary.post(f"/hop/{meeting.pk}/ket-thuc/"))
        no_escape(seen)
        withdrawing, closing = seen
        after = Dossier.objects.get(pk=dossier.pk)
        assert log(dossier, "dossier.withdraw").count() == (not withdrawing.errors)
        assert log(meeting, "meeting.close").count() == (not closing.errors)
        assert log(dossier, "dossier.conclude_council").count() <= 1
        if not withdrawing.errors:
            assert after.state == Dossier.State.WITHDRAWN
        else:
            assert after.state == Dossier.State.COUNCIL_REVIEWED and not closing.errors


# --- drafts taking the same people ------------------------------------------------------------

@dataclass
class Drafting:
    """Two people drafting one kind of paper from the same people, through its page."""

    kind: str
    nominees: list
    drafters: tuple
    path: str
    fields: dict
    drafted: str  # the page's message when the draft is made
    verb: str

    def post(self, person, number):
        return person.post(self.path, {**self.fields, "number": number,
                                       "nominees": [n.pk for n in self.nominees]})

    def taken(self):
        if self.kind == "proposal":
            return Proposal.objects.filter(items__nominee__in=self.nominees).distinct()
        return Decision.objects.filter(awards__nominee__in=self.nominees).distinct()

    def free(self, draft, personas):
        """Delete the draft, as the secretariat (or the unit) would, so the people are free."""
        if self.kind == "proposal":
            proposals.delete_proposal_draft(draft, by=personas.mai)
        else:
            decision_actions.delete_draft(draft, by=self.drafters[0].user)


def drafting_for(kind, request, personas, secretaries, movement, city_certificate,
                 province_form) -> Drafting:
    today = timezone.localdate().isoformat()
    grounds = "Căn cứ Luật Thi đua, Khen thưởng;"
    if kind == "decision":
        return Drafting(
            kind, request.getfixturevalue("approved"), secretaries,
            f"/quyet-dinh/phong-trao/{movement.slug}/moi/",
            {"award_form": city_certificate.pk, "series": "QĐ-UBND", "signer": personas.binh.pk,
             "signer_capacity": Decision.Capacity.ON_BEHALF, "issued_on": today,
             "legal_grounds": grounds},
            "Đã lập dự thảo quyết định.", "decision.drafted")
    if kind == "unit decision":
        ward_list = request.getfixturevalue("ward_list")
        return Drafting(
            kind, list(ward_list.nominees.all()), (Person(personas.hanh), Person(personas.tam)),
            f"/quyet-dinh/don-vi/ho-so/{ward_list.pk}/moi/",
            {"series": "QĐ-UBND", "signer": personas.tam.pk,
             "signer_capacity": Decision.Capacity.ON_BEHALF, "signer_position": "",
             "issued_on": today, "legal_grounds": grounds},
            "Đã lập dự thảo quyết định; người ký ban hành trên hệ thống.", "decision.drafted")
    return Drafting(
        kind, request.getfixturevalue("upward"), secretaries,
        f"/to-trinh/phong-trao/{movement.slug}/moi/",
        {"award_form": province_form.pk, "series": "TTr-UBND",
         "recipient": "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn", "signer": personas.binh.pk,
         "signer_capacity": Decision.Capacity.ON_BEHALF, "dated_on": today, "grounds": grounds},
        "Đã lập dự thảo tờ trình.", "proposal.drafted")


DRAFT_KINDS = ["decision", "unit decision", "proposal"]


@pytest.fixture
def draftings(request, personas, secretaries, movement, city_certificate, province_form):
    """The decision, the unit's decision and the proposal upward, each ready to be drafted."""
    return [drafting_for(kind, request, personas, secretaries, movement, city_certificate,
                         province_form) for kind in DRAFT_KINDS]


def test_two_drafts_cannot_take_the_same_people(draftings, personas):
    for drafting, i in [(d, i) for d in draftings for i in range(REPEAT)]:
        before = Activity.objects.filter(verb=drafting.verb).count()
        seen = race(*(drafting.post(person, 100 + 10 * i + k)
                      for k, person in enumerate(drafting.drafters)))
        no_escape(seen)
        winners = [s for s in seen if s.notes == [drafting.drafted]]
        assert len(winners) == 1, "\n".join(map(str, seen))
        [loser] = [s for s in seen if s is not winners[0]]
        # The loser is refused by the action, or, when their page is read after the winner's
        # draft, by the form whose choices no longer hold the people. The form says nothing
        # today (test_a_draft_from_a_page_opened_before_another_took_the_people_says_so): until
        # then, being left on the form without a message is the form's refusal.
        assert loser.url == drafting.path and not loser.notes, loser
        [draft] = drafting.taken()
        assert Activity.objects.filter(verb=drafting.verb).count() == before + 1
        taken = draft.items if drafting.kind == "proposal" else draft.awards
        assert sorted(taken.values_list("nominee", flat=True)) == sorted(
            n.pk for n in drafting.nominees)
        drafting.free(draft, personas)


def test_a_draft_from_a_page_opened_before_another_took_the_people_says_so(draftings):
    for drafting in draftings:
        first, second = drafting.drafters
        assert drafting.post(first, 100)().notes == [drafting.drafted]
        late = drafting.post(second, 101)()
        assert late.status == 200 and not late.notes
        assert late.errors, f"{drafting.kind}: the page says nothing about the people taken"
        assert len(drafting.taken()) == 1


# --- issuing ---------------------------------------------------------------------------------

ISSUED = "Đã ban hành quyết định; sổ khen thưởng đã được cập nhật."


def _serials_consistent(issuer, year):
    serials = list(Award.objects.filter(decision__issuer=issuer, decision__year=year,
                                        decision__state=Decision.State.ISSUED)
                   .values_list("serial", flat=True))
    assert all(serials) and len(set(serials)) == len(serials)
    counter = SerialCounter.objects.get(issuer=issuer, year=year)
    assert counter.last == len(serials), "a serial was skipped or given twice"


def _issued_once(decision, seen):
    after = Decision.objects.get(pk=decision.pk)
    winner = one_wins(seen, {str(ISSUED_ALREADY)})
    assert winner.notes == [ISSUED] and after.state == Decision.State.ISSUED
    assert log(decision, "decision.issued").count() == 1
    for award in after.awards.all():
        assert AwardRecord.objects.filter(nominee=award.nominee_id,
                                          source=AwardRecord.Source.DECISION).count() == 1
    _serials_consistent(after.issuer, after.year)
    return after


def test_issuing_at_once_gives_every_award_one_serial(personas, movement, city_certificate):
    """The signer's second click (another tab) finds the decision issued; two decisions of one
    issuer issued at the same instant share the serial counter without a gap or a repeat; with
    the same number, only one of them is issued."""
    dossier = forwarded_dossier(3 * REPEAT, personas, movement, city_certificate)
    approved = pipeline.approve_all(pipeline.open_council(dossier, personas.mai))
    singles, pairs = approved[:REPEAT], approved[REPEAT:]
    binh = [Person(personas.binh, "binh-1"), Person(personas.binh, "binh-2")]
    for i, nominee in enumerate(singles):
        decision = city_draft(movement, city_certificate, [nominee], personas.mai, 500 + i)
        path = f"/quyet-dinh/{decision.pk}/ban-hanh/"
        _issued_once(decision, race(*(tab.post(path) for tab in binh)))
    for i in range(REPEAT):
        same_number = i % 2 == 1
        pair = [city_draft(movement, city_certificate, [nominee], personas.mai,
                           800 + i if same_number else 700 + 10 * i + k)
                for k, nominee in enumerate(pairs[2 * i:2 * i + 2])]
        seen = race(*(tab.post(f"/quyet-dinh/{d.pk}/ban-hanh/")
                      for tab, d in zip(binh, pair, strict=True)))
        no_escape(seen)
        issued = Decision.objects.filter(pk__in=[d.pk for d in pair], state="issued").count()
        if same_number:  # refused with the product's message about the number
            assert issued == 1 and len([s for s in seen if s.errors]) == 1, seen
        else:
            assert issued == 2 and all(s.notes == [ISSUED] for s in seen), seen
        _serials_consistent(pair[0].issuer, pair[0].year)
    # A unit's own decision: the same, and its list follows once.
    form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    tam = [Person(personas.tam, "tam-1"), Person(personas.tam, "tam-2")]
    for i in range(REPEAT):
        ward_list = pipeline.new_draft(movement, form, personas.hanh, *people(1, 3 * REPEAT + i))
        decision = pipeline.draft_ward(ward_list, personas.hanh, number=40 + i)
        path = f"/quyet-dinh/{decision.pk}/ban-hanh/"
        _issued_once(decision, race(*(tab.post(path) for tab in tam)))
        assert Dossier.objects.get(pk=ward_list.pk).state == Dossier.State.DECIDED_BY_UNIT
        assert log(ward_list, "dossier.decide_by_unit").count() == 1


def test_the_unit_withdraws_its_list_while_its_head_issues_the_decision(personas, movement,
                                                                        monkeypatch):
    form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    withdrawing_tab, signing_tab = Person(personas.tam, "tam-1"), Person(personas.tam, "tam-2")
    lists = [pipeline.new_draft(movement, form, personas.hanh, *people(1, i))
             for i in range(FORCED if POSTGRES else REPEAT)]
    decisions = [pipeline.draft_ward(ward_list, personas.hanh, number=60 + i)
                 for i, ward_list in enumerate(lists)]
    # PostgreSQL: the withdrawal queues for the issuing's locks before the list follows it.
    locked = holding_its_locks(monkeypatch, dossier_actions, "mark_decided_by_unit")
    for ward_list, decision in zip(lists, decisions, strict=True):
        locked.clear()
        seen = race(once(locked, withdrawing_tab.post(f"/ho-so/{ward_list.pk}/rut/",
                                                      {"reason": "Đơn vị lập lại danh sách"})),
                    signing_tab.post(f"/quyet-dinh/{decision.pk}/ban-hanh/"))
        no_escape(seen)
        withdrawing, issuing = seen
        state = Dossier.objects.get(pk=ward_list.pk).state
        issued = Decision.objects.get(pk=decision.pk).state == Decision.State.ISSUED
        assert (state == Dossier.State.WITHDRAWN) != issued, seen
        assert bool(withdrawing.errors) == issued and bool(issuing.errors) != issued, seen
        if issued:
            assert state == Dossier.State.DECIDED_BY_UNIT
            assert log(ward_list, "dossier.decide_by_unit").count() == 1


def test_a_withdrawal_and_the_paper_that_carries_the_dossier_never_both_go_through(
        personas, secretaries, movement, city_certificate, province_form, monkeypatch):
    """A decision is never issued, nor a proposal sent to the province, for a dossier withdrawn
    at that instant: one of the two is refused. On PostgreSQL both have done their checks before
    either saves; what keeps them apart there today is that both locks also lock the movement's
    row: a lock narrowed to its own row must lock the dossiers it checks."""
    head, chairman, (mai, _hau) = Person(personas.tam), Person(personas.binh), secretaries
    for_decisions = council_reviewed_apart(REPEAT, personas, movement, city_certificate)
    decisions = [city_draft(movement, city_certificate, list(dossier.nominees.all()),
                            personas.mai, 900 + i) for i, dossier in enumerate(for_decisions)]
    for_proposals = council_reviewed_apart(REPEAT, personas, movement, province_form)
    papers = [proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=list(dossier.nominees.all()),
        number=90 + i, dated_on=timezone.localdate(), signer=personas.binh,
        grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.mai)
        for i, dossier in enumerate(for_proposals)]
    meeting = read_before_anyone_writes(monkeypatch) if POSTGRES else Rendezvous(2)
    rounds = [(d, chairman.post(f"/quyet-dinh/{x.pk}/ban-hanh/"),
               lambda x=x: Decision.objects.get(pk=x.pk).state == Decision.State.ISSUED)
              for d, x in zip(for_decisions, decisions, strict=True)]
    rounds += [(d, mai.post(f"/to-trinh/{x.pk}/gui/", {"state": "draft"}),
                lambda x=x: Proposal.objects.get(pk=x.pk).state == Proposal.State.SENT)
               for d, x in zip(for_proposals, papers, strict=True)]
    for dossier, carrying, carried in rounds:
        meeting.reset()
        seen = race(head.post(f"/ho-so/{dossier.pk}/rut/", {"reason": "Cá nhân xin rút"}),
                    carrying)
        no_escape(seen)
        withdrawing, carrier = seen
        withdrawn = Dossier.objects.get(pk=dossier.pk).state == Dossier.State.WITHDRAWN
        assert withdrawn != carried(), f"both went through\n{withdrawing}\n{carrier}"
        assert bool(withdrawing.errors) != withdrawn and bool(carrier.errors) == withdrawn, seen
        if withdrawn:
            assert not AwardRecord.objects.filter(nominee__dossier=dossier).exists()


# --- proposals upward --------------------------------------------------------------------------

def test_a_proposal_is_sent_returned_and_recorded_once_each(upward, personas, secretaries,
                                                            movement, province_form):
    proposal = proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=upward, number=88,
        dated_on=timezone.localdate(), signer=personas.binh,
        grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.mai)
    base = f"/to-trinh/{proposal.pk}/"

    def twice(path, data):
        state = Proposal.objects.get(pk=proposal.pk).state
        seen = race(*(p.post(f"{base}{path}", {"state": state, **data}) for p in secretaries))
        after = Proposal.objects.get(pk=proposal.pk)
        label = after.get_state_display()
        refusals = messages(PROPOSAL_FLOW.stale, label) | {
            str(m) for m in PROPOSAL_FLOW.refusals.values()} | messages(FLOW_REFUSED, label)
        one_wins(seen, refusals)
        return after

    for sent in range(1, REPEAT + 1):
        after = twice("gui/", {"note": "Đã bổ sung bản sao quyết định"})
        assert after.state == Proposal.State.SENT and after.times_sent == sent
        assert log(proposal, "proposal.sent").count() == sent
        after = twice("tra-lai/", {"reason": "Bổ sung xác nhận của cơ quan thuế"})
        assert after.state == Proposal.State.RETURNED
        assert log(proposal, "proposal.returned").count() == sent
    twice("gui/", {})
    items = [str(pk) for pk in proposal.items.values_list("pk", flat=True)]
    after = twice("quyet-dinh-cap-tren/", {
        "number": "2345/QĐ-UBND", "decided_on": timezone.localdate().isoformat(),
        "issuer_name": "Chủ tịch UBND tỉnh Bắc Kạn", "awarded": items, "awarded_form": ""})
    assert after.state == Proposal.State.DECIDED
    assert log(proposal, "proposal.decided").count() == 1
    assert AwardRecord.objects.filter(source=AwardRecord.Source.HIGHER).count() == len(items)


# --- certificates -------------------------------------------------------------------------------

def run_worker():
    """`thidua db_worker --batch` as the command runs it, less its signal handlers (a thread
    cannot install them)."""
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="worker-under-test",
           excluded_queue_names=[]).run()


@pytest.fixture
def issued(approved, movement, city_certificate, personas):
    return decision_actions.issue_decision(
        city_draft(movement, city_certificate, approved, personas.mai, 1234), by=personas.binh)


def _batches_consistent(decision):
    found = list(CertificateBatch.objects.filter(decision=decision))
    assert log(decision, "certificates.requested").count() == len(found)
    assert DBTaskResult.objects.count() == len(found) + sum(
        log(b, "certificates.retried").count() for b in found)
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    for batch in found:
        assert batch.state in {"queued", "done"}, batch.error
        printed = log(batch, "certificates.printed").count()
        assert printed == (batch.state == "done") == log(batch, "certificates.started").count()
        if batch.state == "done":
            assert batch.file and batch.pages_done == batch.pages_total
    return found


def test_certificates_asked_for_twice_or_while_printing(issued, personas, secretaries):
    """Two clicks at once make one print run, and both pages follow it; a request while the
    worker prints follows that run, or (once it is done) starts the next; nothing breaks."""
    mai, hau = secretaries
    path = f"/quyet-dinh/{issued.pk}/in-giay-khen/"
    for i in range(REPEAT):
        seen = race(*(p.post(path, {"kieu": "phoi", "mau": "0"}) for p in secretaries))
        no_escape(seen)
        assert not any(s.errors for s in seen), seen
        found = _batches_consistent(issued)
        assert len(found) == i + 1, "two clicks at once printed twice"
        assert {s.url for s in seen} == {f"{path}{found[0].pk}/"}, seen
        run_worker()
        _batches_consistent(issued)
    for _ in range(REPEAT):
        printing = batches.request_certificate_batch(issued, layout=None, full_design=False,
                                                     base_url="http://testserver/",
                                                     by=personas.mai)
        seen = race(act("worker", run_worker), hau.post(path, {"kieu": "phoi", "mau": "0"}))
        no_escape(seen)
        asking = seen[1]
        assert not asking.errors and asking.status == 200, asking
        printing.refresh_from_db()
        assert printing.state == "done" and printing.file
        found = _batches_consistent(issued)
        if asking.url == f"{path}{printing.pk}/":  # still printing when asked: that run
            assert printing.pk == max(b.pk for b in found)
        else:  # already done: the next run
            assert found[0].pk != printing.pk and asking.url == f"{path}{found[0].pk}/"
        run_worker()
        _batches_consistent(issued)


# --- Excel lists --------------------------------------------------------------------------------

def test_excel_lists_sent_twice_at_once(draft, personas, movement, city_certificate):
    """Two rejected lists of one person at once leave one sheet (and one file) to send back;
    the same good list imported from two tabs at once is imported once."""
    tabs = [Person(personas.hanh, "hanh-1"), Person(personas.hanh, "hanh-2")]
    path = f"/ho-so/{draft.pk}/nhap-excel/"
    for i in range(REPEAT):
        sheets = [pipeline.sheet_with([(NAMES[i], 1890 + k, "male")]) for k in range(2)]
        seen = race(*(tab.post(path, {"file": sheet})
                      for tab, sheet in zip(tabs, sheets, strict=True)))
        no_escape(seen)
        assert all(s.status == 200 and "Danh sách có 1 lỗi; chưa nhập dòng nào." in s.page
                   for s in seen), seen
        [sheet] = RejectedSheet.objects.filter(dossier=draft, uploaded_by=personas.hanh)
        assert media_files(REJECTED_SHEET_FOLDER) == {sheet.file.name}
        back = tabs[0].client.get(f"{path}loi.xlsx")
        assert back.status_code == 200 and back.content[:2] == b"PK"
    assert list(draft.nominees.values_list("full_name", flat=True)) == ["Nguyễn Thị Lan"]

    other = pipeline.new_draft(movement, city_certificate, personas.hanh, *people(1, 40))
    path = f"/ho-so/{other.pk}/nhap-excel/"
    for i in range(REPEAT):
        rows = [(NAMES[2 * i], 1980, "male"), (NAMES[2 * i + 1], 1981, "female")]
        content = pipeline.sheet_with(rows).read()
        seen = race(*(tab.post(path, {"file": SimpleUploadedFile("ds.xlsx", content)})
                      for tab in tabs))
        winner = one_wins(seen, {"Tệp danh sách này đã được nhập vào hồ sơ; không nhập lại để "
                                 "tránh trùng. Nếu cần, hãy sửa tệp rồi nhập phần bổ sung."})
        assert winner.notes[:1] == ["Đã nhập 2 dòng vào danh sách."]
        assert log(other, "nominees.imported").count() == i + 1
    orders = sorted(other.nominees.values_list("order", flat=True))
    assert orders == list(range(1, 2 + 2 * REPEAT)), "imported twice, or numbered alike"


# Numbers written alike are one number, also when two chairmen issue them at the same moment.
@pytest.mark.django_db(transaction=True)
def test_two_chairmen_issuing_alike_numbers_at_once_one_wins(approved, movement, city_certificate,
                                                             personas):
    one = pipeline.draft_for(movement, city_certificate, approved[:1], personas.mai, number=9)
    two = pipeline.draft_for(movement, city_certificate, approved[1:], personas.mai, number=9,
                             series="qđ-ubnd")
    barrier = threading.Barrier(2)
    results = {}

    def issue(decision):
        try:
            barrier.wait()
            decision_actions.issue_decision(Decision.objects.get(pk=decision.pk), by=personas.binh)
            results[decision.pk] = "issued"
        except ValidationError as error:
            results[decision.pk] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=[d]) for d in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values(), key=len)[0] == "issued"
    assert "đã được dùng" in sorted(results.values(), key=len)[1]
    assert Decision.objects.filter(state=Decision.State.ISSUED).count() == 1
