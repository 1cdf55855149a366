"""Every list page runs the same number of queries for one item as for several (no N+1).

Each test builds one item through the actions, counts the page's queries, adds more items, counts
again and checks the page lists them all. Where the real pipeline is slow to repeat (decisions,
proposals, meetings), the extra rows are copies of the real one made with the ORM: they differ in
number and title only, which is all a list shows.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import pipeline
from thidua.core import activity
from thidua.core.models import Activity
from thidua.decisions import proposals
from thidua.decisions.models import Award, Decision, Proposal, ProposalItem
from thidua.nominations import actions as dossier_actions
from thidua.nominations.excel import PastAwardRow
from thidua.reviews.models import Meeting, MeetingMember

pytestmark = pytest.mark.django_db

MORE = 4  # items added after the first count


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def copy(obj, **changes):
    """A new row with ``obj``'s field values, but for ``changes`` (state fields included)."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
              if not f.primary_key}
    return type(obj).objects.create(**{**values, **changes})


def assert_flat(client, url, grow, expect_in_page):
    """Count ``url`` at one item, call ``grow()``, count again; the page shows every item."""
    one, _page = queries(client, url)
    grow()
    many, page = queries(client, url)
    assert many == one, f"{url}: {one} queries for one item, {many} for {1 + MORE}"
    for text in expect_in_page():
        assert text in page, text


# --- dossiers -----------------------------------------------------------------------------------

def test_the_units_dossier_list(draft, personas, client_for, movement, city_certificate):
    names = ["Nguyễn Thị Lan"]

    def grow():
        for i in range(MORE):
            names.append(f"Người thứ {i}")
            pipeline.new_draft(movement, city_certificate, personas.hanh,
                               pipeline.person(name=names[-1]))

    assert_flat(client_for(personas.hanh), "/ho-so/", grow,
                lambda: [f"/ho-so/{pk}/" for pk in draft.movement.dossiers.values_list(
                    "pk", flat=True)])


def test_the_offices_queue_and_dossier_list(submitted, personas, client_for, movement,
                                            city_certificate):
    def grow():
        for i in range(MORE):
            dossier = pipeline.new_draft(movement, city_certificate, personas.hanh,
                                         pipeline.person(name=f"Người thứ {i}"))
            pipeline.complete(dossier, personas.hanh)
            dossier_actions.submit_dossier(dossier, by=personas.tam)

    def shown():
        return [f"/ho-so/{pk}/" for pk in movement.dossiers.values_list("pk", flat=True)]

    office = client_for(personas.dung)
    one_list, _ = queries(office, "/ho-so/")
    assert_flat(office, "/ho-so/tiep-nhan/", grow, shown)
    many_list, page = queries(office, "/ho-so/")
    assert many_list == one_list
    assert all(url in page for url in shown())


def test_the_award_register_search(personas, client_for):
    def register(count, start=0):
        dossier_actions.import_award_register([
            PastAwardRow(full_name="Nguyễn Văn An", birth_year=1970 + i,
                         unit_name=f"Tổ dân phố {i}", award_name="Giấy khen",
                         decision_number=f"{100 + i}/QĐ-UBND", decision_date=date(2019, 5, 1),
                         issuer_name="UBND thị xã Bắc Kạn")
            for i in range(start, start + count)], by=personas.admin)

    register(1)
    assert_flat(client_for(personas.hanh), "/so-khen-thuong/?q=nguyen+van+an",
                lambda: register(MORE, start=1),
                lambda: [f"{100 + i}/QĐ-UBND" for i in range(1 + MORE)])


# --- meetings ------------------------------------------------------------------------------------

def test_the_meeting_list(council, personas, client_for):
    members = list(council.members.all())

    def grow():
        for i in range(MORE):
            other = copy(council, title=f"Phiên họp thứ {i}", state=Meeting.State.PLANNED,
                         scheduled_at=timezone.now() + timedelta(days=i + 1))
            MeetingMember.objects.bulk_create([MeetingMember(meeting=other, user_id=m.user_id,
                                                             role=m.role) for m in members])

    for persona in [personas.mai, personas.khanh]:
        Meeting.objects.exclude(pk=council.pk).filter(kind=Meeting.Kind.COUNCIL).delete()
        assert_flat(client_for(persona), "/hop/", grow,
                    lambda: [f"/hop/{pk}/" for pk in Meeting.objects.filter(
                        kind=Meeting.Kind.COUNCIL).values_list("pk", flat=True)])


# --- decisions and proposals ----------------------------------------------------------------------

def _copies_of(decision):
    awards = list(decision.awards.all())

    def grow():
        for i in range(MORE):
            other = copy(decision, number=decision.number + 1 + i)
            Award.objects.bulk_create([copy_award(a, other) for a in awards])

    return grow


def copy_award(award, decision):
    values = {f.attname: getattr(award, f.attname) for f in award._meta.concrete_fields
              if not f.primary_key and f.attname not in {"decision_id", "serial"}}
    return Award(**{**values, "decision_id": decision.pk})


def test_the_decision_list(approved, movement, city_certificate, personas, client_for):
    decision = pipeline.draft_for(movement, city_certificate, approved, personas.mai)
    grow = _copies_of(decision)
    numbers = lambda: [f"{d.number_label}" for d in Decision.objects.all()]  # noqa: E731
    assert_flat(client_for(personas.mai), "/quyet-dinh/", grow, numbers)
    # The chairman sees the same drafts (his to sign) with the same flat cost.
    Decision.objects.exclude(pk=decision.pk).delete()
    assert_flat(client_for(personas.binh), "/quyet-dinh/", grow, numbers)


def test_the_proposal_list(upward, movement, province_form, personas, client_for):
    proposal = proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=upward, number=45,
        dated_on=date(2021, 12, 22), signer=pipeline.council_people()["chair"],
        grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.mai)
    items = list(proposal.items.all())

    def grow():
        for i in range(MORE):
            other = copy(proposal, number=proposal.number + 1 + i)
            # A nominee is on one proposal only: the copies list copies of the people.
            ProposalItem.objects.bulk_create([
                ProposalItem(proposal=other, nominee=copy(item.nominee,
                                                          order=item.nominee.order + 10 * (i + 1)),
                             kind=item.kind, name=item.name,
                             position=item.position, unit_name=item.unit_name,
                             achievements=item.achievements, order=item.order)
                for item in items])

    assert_flat(client_for(personas.mai), "/to-trinh/", grow,
                lambda: [p.number_label for p in Proposal.objects.all()])


def test_the_print_runs_of_a_decision(approved, movement, city_certificate, personas,
                                      client_for):
    from thidua.decisions.actions import issue_decision
    from thidua.decisions.certificate_batches import request_certificate_batch
    from thidua.decisions.models import CertificateBatch

    decision = issue_decision(pipeline.draft_for(movement, city_certificate, approved,
                                                 personas.mai), by=personas.binh)
    first = request_certificate_batch(decision, layout=None, full_design=False,
                                      base_url="http://testserver/", by=personas.mai)

    def grow():
        for _i in range(MORE):
            copy(first, full_design=True)

    url = f"/quyet-dinh/{decision.pk}/in-giay-khen/gan-day/"
    assert_flat(client_for(personas.mai), url, grow,
                lambda: [f"/quyet-dinh/{decision.pk}/in-giay-khen/{pk}/"
                         for pk in CertificateBatch.objects.values_list("pk", flat=True)])


# --- the activity log and the home pages -----------------------------------------------------------

def test_the_activity_log(personas, client_for, demo):
    office = demo.org("ubnd-tp-bac-kan")

    def log(count):
        for i in range(count):
            activity.record("meeting.open", actor=personas.mai, organisation=office,
                            reason=f"lần {i}")

    # From an empty log, so that one page holds every row counted (a page has 50).
    Activity.objects.all().delete()
    log(1)
    assert_flat(client_for(personas.admin), "/nhat-ky/", lambda: log(MORE),
                lambda: [f"lần {i}" for i in range(MORE)])


@pytest.mark.parametrize("persona, build", [
    ("hanh", "drafts"), ("tam", "drafts"), ("dung", "submitted"), ("binh", "decisions"),
])
def test_the_home_pages(persona, build, personas, client_for, movement, city_certificate,
                        request):
    def drafts(count):
        return [pipeline.new_draft(movement, city_certificate, personas.hanh,
                                   pipeline.person(name=f"Người {i}")) for i in range(count)]

    def submitted(count):
        made = []
        for dossier in drafts(count):
            pipeline.complete(dossier, personas.hanh)
            made.append(dossier_actions.submit_dossier(dossier, by=personas.tam))
        return made

    made = []
    if build == "decisions":
        approved = request.getfixturevalue("approved")
        made.append(pipeline.draft_for(movement, city_certificate, approved, personas.mai))
        grow = _copies_of(made[0])
        shown = lambda: [d.get_absolute_url() for d in Decision.objects.all()]  # noqa: E731
    else:
        make = drafts if build == "drafts" else submitted
        made.extend(make(1))
        grow = lambda: made.extend(make(MORE))  # noqa: E731
        shown = lambda: [f"/ho-so/{d.pk}/" for d in made]  # noqa: E731
    assert_flat(client_for(getattr(personas, persona)), "/viec-cua-toi/", grow, shown)


# --- pages that grow with one list (issue 12) --------------------------------------------------

def _bulk_people(dossier, count, start=0):
    from tests.nominations.test_scale import add_people

    return add_people(dossier, count, start=start)


@pytest.mark.parametrize("persona", ["hanh", "dung"])
def test_the_dossier_page_at_one_and_many_nominees(submitted, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    url = f"/ho-so/{submitted.pk}/"
    assert_flat(client, url, lambda: _bulk_people(submitted, 60),
                lambda: ["Danh sách đề nghị (61)", "Người thứ 48"])
    assert_flat(client, f"{url}?trang=2", lambda: _bulk_people(submitted, 60, start=60),
                lambda: ["Người thứ 49", "Người thứ 98"])


def test_the_missing_list_and_a_nominee_panel(draft, personas, client_for):
    nominee = draft.nominees.get()
    client = client_for(personas.hanh)
    url = f"/ho-so/{draft.pk}/?phan=thieu&loai=achievement_report"
    from tests.nominations.test_scale import add_people

    assert_flat(client, url, lambda: add_people(draft, 30, documents=False),
                lambda: ["Nguyễn Thị Lan", "Người thứ 29"])
    assert_flat(client, f"/ho-so/{draft.pk}/nguoi/{nominee.pk}/",
                lambda: _bulk_people(draft, 30, start=30), lambda: ["Nguyễn Thị Lan"])


def test_the_public_disclosure_and_its_list(council, personas, client_for, movement):
    from thidua.reviews.models import Disclosure

    disclosure = Disclosure.objects.create(
        movement=movement, title="Danh sách công khai thử", starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=5))
    disclosure.nominees.set(council.items.values_list("nominee", flat=True))

    def grow():
        dossier = council.items.first().nominee.dossier
        disclosure.nominees.add(*_bulk_people(dossier, 150))
        copy(disclosure, title="Danh sách công khai thứ hai")

    anonymous = client_for(None)
    assert_flat(anonymous, f"/cong-khai/{disclosure.pk}/", grow,
                lambda: ["Người thứ 0", "?trang=2"])
    one, _page = queries(anonymous, "/cong-khai/")
    _two, page = queries(anonymous, f"/cong-khai/{disclosure.pk}/?trang=2")
    assert "Người thứ 149" in page and "Người thứ 0<" not in page
    many, listing = queries(anonymous, "/cong-khai/")
    assert many == one and "Danh sách công khai thứ hai" in listing


# --- paging: page 2 shows the next rows, a page past the end leads back ----------------------------

def test_the_activity_log_pages_by_older_and_newer(personas, client_for, demo):
    office = demo.org("ubnd-tp-bac-kan")
    Activity.objects.all().delete()
    for i in range(120):
        activity.record("meeting.open", actor=personas.mai, organisation=office,
                        reason=f"dòng {i:03d}")
    client = client_for(personas.admin)
    _n, first = queries(client, "/nhat-ky/")
    shown = lambda page: re.findall(r"dòng (\d{3})", page)  # noqa: E731
    assert shown(first) == [f"{i:03d}" for i in range(119, 69, -1)]
    older = re.search(r'href="(\?sau=\d+)"', first).group(1)
    _n, second = queries(client, f"/nhat-ky/{older}")
    assert shown(second) == [f"{i:03d}" for i in range(69, 19, -1)]
    newer = re.search(r'href="(\?truoc=\d+)"', second).group(1)
    _n, back = queries(client, f"/nhat-ky/{newer}")
    assert shown(back) == shown(first)
    last = Activity.objects.order_by("pk").first().pk
    _n, past = queries(client, f"/nhat-ky/?sau={last}")
    assert shown(past) == [] and "Về trang đầu" in past
    _n, junk = queries(client, "/nhat-ky/?sau=abc&truoc=-4")
    assert shown(junk) == shown(first)


def test_no_list_page_counts_a_table(personas, client_for, council):
    """The lists page by "older/newer" or by number without COUNT(*) over their table."""
    for persona, url in [("dung", "/ho-so/"), ("binh", "/quyet-dinh/"), ("admin", "/nhat-ky/"),
                         ("mai", "/hop/"), (None, "/cong-khai/"),
                         ("mai", "/so-khen-thuong/?q=lan")]:
        client = client_for(getattr(personas, persona) if persona else None)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"].upper()
                  and "WHERE" not in q["sql"].upper()]
        assert counts == [], (url, counts)


# --- visibility as EXISTS: the same rows as the joins it replaced -------------------------------

def _joined_decisions(user):
    """``Decision.visible_to`` as it was written before (joins made DISTINCT): the reference."""
    from django.db.models import F, Q

    from thidua.orgs.models import Organisation, Role

    if user.is_superuser:
        return set(Decision.objects.values_list("pk", flat=True))
    scope = Organisation.objects.scope_of(user)
    secretariat = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
    units = user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    return set(Decision.objects.filter(
        (Q(state=Decision.State.ISSUED) & (Q(issuer__in=scope)
                                           | Q(awards__nominee__dossier__organisation__in=scope)
                                           | Q(movement__council_secretariat__in=secretariat)))
        | (Q(movement__council_secretariat__in=secretariat) & Q(issuer=F("movement__issuer")))
        | Q(issuer__in=units) | Q(signer=user)).distinct().values_list("pk", flat=True))


def _joined_proposals(user):
    from django.db.models import Q

    from thidua.orgs.models import Organisation, Role

    if user.is_superuser:
        return set(Proposal.objects.values_list("pk", flat=True))
    scope = Organisation.objects.scope_of(user)
    secretariat = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
    return set(Proposal.objects.filter(
        (~Q(state=Proposal.State.DRAFT) & (Q(proposer__in=scope)
                                           | Q(items__nominee__dossier__organisation__in=scope)))
        | Q(movement__council_secretariat__in=secretariat) | Q(signer=user)
    ).distinct().values_list("pk", flat=True))


def _joined_meetings(user):
    from django.db.models import Q

    if user.is_superuser:
        return set(Meeting.objects.values_list("pk", flat=True))
    own = [m.organisation_id for m in user.active_memberships()]
    return set(Meeting.objects.filter(
        Q(organisation_id__in=own) | Q(members__user=user) | Q(secretary=user) | Q(chair=user)
    ).distinct().values_list("pk", flat=True))


def _joined_subjects(user):
    from django.db.models import Q

    from thidua.nominations.models import Dossier, Subject

    return set(Subject.objects.filter(
        Q(awards__isnull=False) | Q(nominations__dossier__in=Dossier.objects.visible_to(user))
    ).distinct().values_list("pk", flat=True))


def test_exists_visibility_gives_the_rows_the_joins_gave_for_every_persona(
        approved, upward, ward_list, personas, movement, city_certificate, province_form):
    from thidua.decisions.actions import issue_decision
    from thidua.nominations.models import Subject

    issued = issue_decision(pipeline.draft_for(movement, city_certificate, approved,
                                               personas.mai), by=personas.binh)
    proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=upward, number=46,
        dated_on=date(2021, 12, 22), signer=pipeline.council_people()["chair"],
        grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.mai)
    dossier_actions.import_award_register([PastAwardRow(
        full_name="Đỗ Đức Đạt", birth_year=1979, unit_name="Công an thành phố",
        award_name="Giấy khen", decision_number="5/QĐ-UBND", decision_date=date(2019, 5, 1),
        issuer_name="UBND thị xã")], by=personas.admin)
    seen = {}
    for name, user in vars(personas).items():
        decisions = set(Decision.objects.visible_to(user).values_list("pk", flat=True))
        assert decisions == _joined_decisions(user), name
        assert set(Proposal.objects.visible_to(user).values_list("pk", flat=True)) \
            == _joined_proposals(user), name
        assert set(Meeting.objects.visible_to(user).values_list("pk", flat=True)) \
            == _joined_meetings(user), name
        assert set(Subject.objects.visible_to(user).values_list("pk", flat=True)) \
            == _joined_subjects(user), name
        seen[name] = decisions
    # Not vacuous: the issued decision is seen by the ward and the chairman, not by a stranger.
    assert issued.pk in seen["hanh"] and issued.pk in seen["binh"]
    assert not seen["stranger"]
    # And no DISTINCT left in the queries.
    for user in vars(personas).values():
        sql = str(Decision.objects.visible_to(user).query).upper()
        assert "DISTINCT" not in sql


def test_the_decision_drafts_candidates_page_and_all_can_be_taken(approved, movement,
                                                                 city_certificate, personas,
                                                                 client_for):
    from thidua.nominations.models import CouncilOutcome, Nominee

    dossier = approved[0].dossier

    def grow(count, start):
        made = _bulk_people(dossier, count, start=start)
        Nominee.objects.filter(pk__in=[n.pk for n in made]).update(
            council_outcome=CouncilOutcome.APPROVED_LOCAL, committee_conclusion="propose")

    url = f"/quyet-dinh/phong-trao/{movement.slug}/moi/"
    client = client_for(personas.mai)
    assert_flat(client, url, lambda: grow(250, 0), lambda: ["Nguyễn Thị Lan", "?trang=2"])
    _n, second = queries(client, f"{url}?trang=2")
    boxes = re.findall(r'name="nominees" value="(\d+)"', second)
    assert len(boxes) == 52 and 'name="tat_ca"' in second  # 252 candidates, 200 a page
    _n, found = queries(client, f"{url}?q=nguoi+thu+24")
    assert len(re.findall(r'name="nominees"', found)) == 11  # 24, 240–249
    response = client.post(f"{url}?q=nguoi+thu+24", {
        "award_form": city_certificate.pk, "number": 77, "series": "QĐ-UBND",
        "issued_on": "2021-12-20",
        "signer": pipeline.council_people()["chair"].pk, "signer_capacity": Decision.Capacity.ON_BEHALF,
        "legal_grounds": "Căn cứ Luật Thi đua, Khen thưởng;", "tat_ca": "1"})
    assert response.status_code == 302
    decision = Decision.objects.get(number=77)
    assert sorted(decision.awards.values_list("name", flat=True)) == sorted(
        [f"Người thứ {i}" for i in [24, *range(240, 250)]])
