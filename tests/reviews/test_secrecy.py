"""Ballots stay secret: no page a member, a secretary or an administrator can open tells how
anyone voted.

The proof runs the same meeting twice, swapping two members' choices, and compares every
reachable response. If any page revealed who chose what, the two runs would differ.
"""

import re

import pytest
from django.db import transaction
from django.test import Client

from tests.pipeline import council_people, open_council
from tests.signin import verified_login
from thidua.nominations.models import Dossier
from thidua.orgs.models import User
from thidua.reviews import actions
from thidua.reviews.models import Meeting

pytestmark = pytest.mark.django_db

NOISE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "CSRF"),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), "CSRF"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID"),
    (re.compile(r"\d+"), "#"),  # ids, times; the tallies are equal in both runs anyway
]


def normalise(html: str) -> str:
    for pattern, replacement in NOISE:
        html = pattern.sub(replacement, html)
    return html


def pages(meeting, dossier):
    people = council_people()
    admin = User.objects.get(username="quantri")
    viewers = [people["chair"], people["vice"], people["member"], people["health"],
               people["secretary"], admin, User.objects.get(username="canbo.songcau")]
    urls = [f"/hop/{meeting.pk}/", f"/hop/{meeting.pk}/bien-ban/", "/hop/", "/nhat-ky/",
            f"/ho-so/{dossier.pk}/", "/viec-cua-toi/", "/quan-tri/reviews/ballotreceipt/",
            "/quan-tri/reviews/agendaitem/", f"/quan-tri/reviews/meeting/{meeting.pk}/change/",
            "/quan-tri/reviews/minutesrevision/", "/quan-tri/core/activity/"]
    seen = {}
    for user in viewers:
        client = Client()
        verified_login(client, user)
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                # ids may differ between the two runs (sequences are not rolled back)
                seen[(user.username, re.sub(r"\d+", "#", url))] = normalise(
                    response.content.decode())
    return seen


def run(forwarded, secretary, dissenter):
    """Everyone agrees except ``dissenter``; the same members vote in the same order."""
    people = council_people()
    with transaction.atomic():
        meeting = open_council(Dossier.objects.get(pk=forwarded.pk), secretary)
        for key in ["chair", "vice", "member", "health"]:
            for item in meeting.items.order_by("order"):
                choice = "disagree" if key == dissenter else "agree"
                actions.cast_vote(item, choice=choice, by=people[key])
        during = pages(meeting, forwarded)
        actions.close_meeting(Meeting.objects.get(pk=meeting.pk), by=secretary)
        after = pages(meeting, forwarded)
        transaction.set_rollback(True)
    return during, after


def test_no_reachable_page_tells_how_a_member_voted(forwarded, personas):
    during_a, after_a = run(forwarded, personas.mai, dissenter="vice")
    during_b, after_b = run(forwarded, personas.mai, dissenter="member")
    assert len(after_a) >= 30  # the pages were really reached, as every kind of viewer
    assert ("quantri", "/quan-tri/reviews/ballotreceipt/") in after_a
    assert during_a.keys() == during_b.keys() and after_a.keys() == after_b.keys()
    for key in during_a:
        assert during_a[key] == during_b[key], f"{key} differs while voting"
    for key in after_a:
        assert after_a[key] == after_b[key], f"{key} differs after closing"
    # The counts themselves are shown: secrecy hides who, not how many.
    meeting_page = next(html for (user, url), html in after_a.items()
                        if user == "quantri" and url == "/hop/#/")
    assert "Đồng ý # · Không đồng ý # · Không biểu quyết #" in meeting_page
