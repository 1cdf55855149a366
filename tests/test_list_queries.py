"""Every list page runs the same number of queries for one item as for several (no N+1).

Each test builds one item through the actions, counts the page's queries, adds more items, counts
again and checks the page lists them all. Where the real pipeline is slow to repeat (decisions,
proposals, meetings), the extra rows are copies of the real one made with the ORM: they differ in
number and title only, which is all a list shows.
"""

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
