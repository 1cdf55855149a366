"""Each role's home page costs the same number of queries for one item in each of its queues as
for several (home/queues.py: a count and one short list per queue, whatever lies behind it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import pipeline
from tests.pipeline import next_working_day
from thidua.decisions import proposals
from thidua.exemplars import actions as exemplar_actions
from thidua.exemplars.models import ExemplarKind
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Nominee
from thidua.reviews import actions as review_actions
from thidua.reviews import disclosures

pytestmark = pytest.mark.django_db

HOME = "/viec-cua-toi/"
ROLES = ["hanh", "tam", "dung", "mai", "khanh", "binh", "lan", "quy"]


def one_round(i, movement, city_certificate, province_form, ward_form, p):
    """One item in every queue of every role: Sông Cầu's drafts, a return and a ward decision
    to sign; the office's submitted, accepted and reviewed lists and a committee meeting still to
    hold; the council's open meeting with ballots due, lists waiting for it, approvals waiting
    for a decision or a proposal, a draft decision for the chairman, a proposal sent upward and
    a list on public display."""
    officer = {"officer": p.hanh, "head": p.tam, "office": p.dung}
    pipeline.new_draft(movement, city_certificate, p.hanh)                      # drafts
    returned = dossier_actions.submit_dossier(
        pipeline.complete(pipeline.new_draft(movement, city_certificate, p.hanh), p.hanh),
        by=p.tam)
    dossier_actions.return_dossier(returned, by=p.dung, other="Bổ sung báo cáo thành tích.")
    pipeline.draft_ward(pipeline.new_draft(movement, ward_form, p.hanh), p.hanh,  # head signs
                        number=100 + i)
    dossier_actions.submit_dossier(                                               # office checks
        pipeline.complete(pipeline.new_draft(movement, city_certificate, p.hanh), p.hanh),
        by=p.tam)
    pipeline.accept(pipeline.new_draft(movement, city_certificate, p.hanh), **officer)
    pipeline.run_committee(pipeline.accept(pipeline.new_draft(movement, city_certificate,
                                                              p.hanh), **officer), p.dung)
    to_review = pipeline.accept(pipeline.new_draft(movement, city_certificate, p.hanh), **officer)
    review_actions.create_meeting(                                                # not yet held
        kind="committee", movement=movement, title=f"Họp Ban Chỉ đạo {i}",
        scheduled_at=timezone.now(), place="Phòng họp số 1", chair=p.dung, secretary=p.dung,
        nominees=list(to_review.nominees.all()), by=p.dung)
    waiting = pipeline.forward(pipeline.accept(pipeline.new_draft(movement, city_certificate,
                                                                  p.hanh), **officer), p.dung)
    disclosures.publish_disclosure(                                               # on display
        movement=movement, nominees=list(waiting.nominees.all()), starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title=f"Công khai {i}", by=p.mai)
    pipeline.open_council(pipeline.forward(pipeline.accept(                       # ballots due
        pipeline.new_draft(movement, city_certificate, p.hanh), **officer), p.dung), p.mai,
        title=f"Phiên họp Hội đồng {i}")
    to_decide = pipeline.forward(pipeline.accept(
        pipeline.new_draft(movement, city_certificate, p.hanh), **officer), p.dung)
    to_sign = pipeline.forward(pipeline.accept(
        pipeline.new_draft(movement, city_certificate, p.hanh), **officer), p.dung)
    pipeline.approve_all(pipeline.open_council(to_decide, p.mai, dossiers=(to_sign,),
                                               title=f"Phiên họp đã xong {i}"))
    pipeline.draft_for(movement, city_certificate,                                # chairman signs
                       list(Nominee.objects.filter(dossier=to_sign)), p.mai, number=200 + i)
    upward = [pipeline.forward(pipeline.accept(pipeline.new_draft(
        movement, province_form, p.hanh), **officer), p.dung) for _ in range(2)]
    pipeline.approve_all(pipeline.open_council(upward[0], p.mai, dossiers=upward[1:],
                                               title=f"Phiên họp đề nghị cấp trên {i}"))
    proposal = proposals.draft_proposal(                                          # sent upward
        movement=movement, award_form=province_form,
        nominees=list(Nominee.objects.filter(dossier=upward[1])), number=300 + i,
        dated_on=timezone.localdate(), signer=p.binh,
        grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=p.mai)
    proposals.send_proposal(proposal, by=p.mai)
    exemplar_actions.submit_suggestion(                                           # the editor's
        movement=movement, contact="0912000111", about=f"Tổ dân phố số {i}",
        text="Tổ chức nấu cơm cho khu cách ly.", source=f"nguon-{i}")
    exemplar = exemplar_actions.record_exemplar(
        movement=movement, organisation=p.hanh.organisations_with_role("unit_officer")[0],
        by=p.hanh, kind=ExemplarKind.GOOD_DEED, title=f"Chị Lan nấu cơm cho khu cách ly {i}",
        summary="Ba tuần nấu cơm miễn phí.", story="", person_name="Nguyễn Thị Lan",
        shows_person=True)
    exemplar = exemplar_actions.record_consent(exemplar, note="Đồng ý bằng văn bản", by=p.hanh)
    exemplar_actions.submit_exemplar(exemplar, by=p.hanh)


def queries_per_home(client_for, personas) -> dict[str, int]:
    counts = {}
    for name in ROLES:
        client = client_for(getattr(personas, name))
        client.get(HOME)  # the session and the per-process caches settle on the first request
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(HOME)
        assert response.status_code == 200
        counts[name] = len(ctx)
    return counts


def queue_count(html, key) -> int:
    """The count badge of one queue on a home page."""
    start = html.index(f'data-testid="queue-{key}"')
    badge = html.index('data-testid="count">', start) + len('data-testid="count">')
    return int(html[badge:html.index("<", badge)])


def test_every_home_page_costs_the_same_queries_for_one_item_as_for_many(
        personas, client_for, movement, city_certificate, province_form):
    from thidua.rulesets.models import AwardForm

    ward_form = AwardForm.objects.get(rule_set=movement.rule_set, code=pipeline.WARD_FORM)
    one_round(1, movement, city_certificate, province_form, ward_form, personas)
    with_one = queries_per_home(client_for, personas)
    for i in (2, 3):
        one_round(i, movement, city_certificate, province_form, ward_form, personas)
    with_three = queries_per_home(client_for, personas)
    assert with_three == with_one
    # The queues really did grow: each shows three of everything now.
    shown = {name: client_for(getattr(personas, name)).get(HOME).content.decode()
             for name in ("hanh", "tam", "dung", "mai", "khanh", "binh", "lan")}
    for name, key in [("hanh", "returned"), ("hanh", "drafts"), ("hanh", "unit_drafts"),
                      ("tam", "to_submit"), ("dung", "to_check"), ("dung", "to_review"),
                      ("dung", "to_forward"), ("dung", "committee_meetings"),
                      ("mai", "council_meetings"), ("mai", "to_schedule"), ("mai", "to_decide"),
                      ("mai", "to_propose"), ("mai", "drafts_to_sign"),
                      ("mai", "proposals_sent"), ("mai", "disclosures"),
                      ("khanh", "my_meetings"), ("binh", "my_meetings"),
                      ("lan", "suggestions"), ("lan", "to_publish")]:
        assert queue_count(shown[name], key) >= 3, (name, key)
