"""The living demo city (``seed-demo`` without ``--empty``): built through the actions, every
state present, every role with work waiting, and a second run that changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from thidua.core.models import Activity
from thidua.decisions.models import Award, CertificateBatch, Decision, Proposal
from thidua.home.demo import CITY_DECISION_NUMBER, seed_living_city
from thidua.nominations.models import AttachmentVersion, AwardRecord, Deficiency, Dossier, Nominee
from thidua.orgs.models import Membership, Role, User
from thidua.reviews.models import BallotReceipt, Disclosure, Meeting, Objection, Recusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(demo):
    assert seed_living_city() is True
    return demo


def page(client_for, username, url="/viec-cua-toi/"):
    response = client_for(User.objects.get(username=username)).get(url)
    assert response.status_code == 200, (username, url, response.status_code)
    return response.content.decode()


def test_every_state_from_four_units_with_imported_lists(city):
    states = set(Dossier.objects.values_list("state", flat=True))
    assert states == {s.value for s in Dossier.State}
    units = set(Dossier.objects.values_list("organisation__code", flat=True))
    assert len(units) >= 4
    # Every unit that sends dossiers has a head who can submit them.
    for code in units:
        assert Membership.objects.active_on().filter(organisation__code=code,
                                                     role=Role.UNIT_HEAD).exists(), code
    assert Activity.objects.filter(verb="nominees.imported").count() == Dossier.objects.count()
    # Returned with itemised deficiencies, then supplemented: the minutes have a second version.
    first = Dossier.objects.filter(deficiencies__isnull=False, state="council_reviewed").distinct().get()
    assert first.round == 2
    assert AttachmentVersion.objects.filter(attachment__dossier=first,
                                            attachment__document_type="unit_minutes").count() == 2
    assert Deficiency.objects.filter(dossier__state="returned").exists()
    withdrawn = Dossier.objects.get(state="withdrawn")
    assert Activity.objects.for_object(withdrawn).filter(verb="dossier.withdraw").exclude(
        reason="").exists()


def test_meetings_closed_with_tallies_and_a_recusal_and_one_open_for_hoidong(city):
    closed = Meeting.objects.filter(state=Meeting.State.CLOSED)
    assert closed.filter(kind="committee").exists()
    council = closed.filter(kind="council").order_by("scheduled_at").first()
    assert council.scheduled_at.year == 2021
    assert all(i.agree is not None and i.result for i in council.items.all())
    assert council.items.filter(result="failed").exists()
    assert Recusal.objects.filter(item__meeting=council).count() == 1
    open_meeting = Meeting.objects.get(kind="council", state=Meeting.State.OPEN)
    khanh = User.objects.get(username="hoidong")
    items = open_meeting.items.count()
    assert not BallotReceipt.objects.filter(item__meeting=open_meeting, member__user=khanh).exists()
    assert BallotReceipt.objects.filter(item__meeting=open_meeting).count() == 3 * items


def test_the_ballot_due_for_hoidong_is_on_his_home_page_and_he_can_read_the_papers(
        city, client_for):
    html = page(client_for, "hoidong")
    assert 'data-testid="queue-my_meetings"' in html
    assert "phiếu anh/chị chưa bỏ" in html
    meeting = Meeting.objects.get(kind="council", state=Meeting.State.OPEN)
    agenda = page(client_for, "hoidong", f"/hop/{meeting.pk}/")
    assert 'data-testid="item-papers"' in agenda and "Báo cáo thành tích" in agenda
    item = meeting.items.first()
    version = AttachmentVersion.objects.filter(attachment__nominee=item.nominee).first()
    client = client_for(User.objects.get(username="hoidong"))
    url = f"/hop/{meeting.pk}/muc/{item.pk}/bao-cao/{version.pk}/"
    assert url in agenda and client.get(url).status_code == 200
    assert client_for(User.objects.get(username="canbo.ducxuan")).get(url).status_code == 404


def test_decisions_certificates_qr_and_the_province_answer(city, client_for):
    decision = Decision.objects.get(number=CITY_DECISION_NUMBER, state="issued")
    batch = CertificateBatch.objects.get(decision=decision)
    assert batch.state == "done" and batch.file and batch.pages_done == decision.awards.count()
    award = decision.awards.first()
    verified = client_for(None).get(f"/xac-minh/{award.serial}/?ma={award.verify_code}")
    assert verified.status_code == 200 and award.name in verified.content.decode()
    ward = Decision.objects.get(issuer__code="phuong-song-cau", state="issued")
    assert ward.certificate_batches.get().state == "done"
    proposal = Proposal.objects.get(state="decided")
    assert proposal.higher_decision_number == "156/QĐ-UBND"
    assert AwardRecord.objects.filter(source="higher").count() == 1
    # The unit reads the outcome on its dossier instead of "Hội đồng TĐKT đã xét".
    dossier = award.nominee.dossier
    html = page(client_for, "canbo.songcau" if dossier.organisation.code == "phuong-song-cau"
                else "canbo.ttyt", f"/ho-so/{dossier.pk}/")
    assert 'data-testid="dossier-outcome"' in html
    assert decision.number_label in html and award.serial in html
    assert "Đã có quyết định khen thưởng" in html
    upward = Nominee.objects.filter(proposal_item__proposal=proposal).first().dossier
    html = page(client_for, "canbo.minhkhai", f"/ho-so/{upward.pk}/")
    assert "156/QĐ-UBND" in html and 'data-testid="outcome-higher"' in html


def test_a_running_disclosure_takes_objections(city, client_for):
    today = timezone.localdate()
    disclosure = Disclosure.objects.get()
    assert disclosure.starts_on <= today <= disclosure.ends_on
    assert Objection.objects.filter(disclosure=disclosure).count() == 1
    assert disclosure.title in page(client_for, "noivu")


def test_the_register_holds_past_awards_under_their_old_names(city, client_for):
    imported = AwardRecord.objects.filter(source="import")
    assert 45 <= imported.count() <= 60
    assert imported.filter(unit_name__contains="thị xã").exists()
    html = page(client_for, "noivu", "/so-khen-thuong/?q=dang van hung")
    assert "Trung tâm Y tế thị xã Bắc Kạn" in html


@pytest.mark.parametrize("username, queue", [
    ("canbo.songcau", "returned"),
    ("chutich.songcau", "to_submit"),
    ("vanphong", "to_check"),
    ("noivu", "to_decide"),
    ("noivu", "council_meetings"),
    ("hoidong", "my_meetings"),
])
def test_every_role_finds_its_work_on_its_home_page(city, client_for, username, queue):
    assert f'data-testid="queue-{queue}"' in page(client_for, username)


def test_signers_find_their_drafts_and_the_chairman_reads_the_tallies(city, client_for):
    html = page(client_for, "chutich")
    assert 'data-testid="to-sign"' in html and "Quyết định số 57/QĐ-UBND" in html
    draft = Decision.objects.get(number=57, state="draft")
    detail = page(client_for, "chutich", f"/quyet-dinh/{draft.pk}/")
    assert "Hội đồng: đồng ý 4, không đồng ý 0" in detail
    assert "Quyết định số 41/QĐ-UBND" in page(client_for, "chutich.songcau")


def test_the_office_sees_what_is_late(city, client_for):
    html = page(client_for, "vanphong")
    start = html.index('data-testid="queue-to_check"')
    assert "1 quá hạn" in html[start:start + 2000]


def test_a_second_run_changes_nothing(city):
    models = [Dossier, Nominee, Meeting, Decision, Award, Proposal, AwardRecord, Activity,
              CertificateBatch, User, Membership]
    before = {m.__name__: m.objects.count() for m in models}
    assert seed_living_city() is False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "không thay đổi" in out.getvalue()
    assert {m.__name__: m.objects.count() for m in models} == before


def test_empty_gives_the_bare_system(demo):
    out = StringIO()
    call_command("seed_demo", "--empty", stdout=out)
    assert not Dossier.objects.exists() and not Decision.objects.exists()
    assert "chutich.ducxuan" in out.getvalue()


def test_the_movement_is_at_work_and_the_portal_has_exemplars(city, client_for):
    from thidua.exemplars.models import Exemplar
    from thidua.movements.models import Registration, Supervision, UnitPlan

    assert Registration.objects.count() >= 3 and UnitPlan.objects.count() >= 2
    assert Supervision.objects.filter(member__username="hoidong").exists()
    # Khánh's home page lists the units he follows, the late ones first.
    html = page(client_for, "hoidong")
    assert 'data-testid="supervision"' in html and "table-danger" in html
    published = Exemplar.objects.public()
    assert published.count() >= 3
    assert Exemplar.objects.exclude(pk__in=published).exists()  # unpublished ones exist too
    portal = client_for(None).get("/guong-dien-hinh/").content.decode()
    for exemplar in published:
        assert exemplar.title in portal
    for hidden in Exemplar.objects.exclude(pk__in=published):
        assert hidden.title not in portal
    before = (Registration.objects.count(), Exemplar.objects.count())
    assert seed_living_city() is False
    assert (Registration.objects.count(), Exemplar.objects.count()) == before
