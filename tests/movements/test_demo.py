"""The seed movement in progress, for the living demo."""

import pytest

from thidua.core.models import Activity
from thidua.movements.demo import seed_progress
from thidua.movements.models import Registration, Reminder, Supervision
from thidua.movements.queries import overview, supervision_for
from thidua.movements.reminders import send_reminders
from thidua.orgs.models import User

pytestmark = pytest.mark.django_db


def test_the_seed_movement_is_put_in_progress_once(movement, personas):
    seeded = seed_progress()
    states = dict(seeded.registrations.values_list("organisation__code", "state"))
    assert states == {"phuong-song-cau": "accepted", "phuong-duc-xuan": "submitted",
                      "hoi-lhpn-tp": "accepted"}
    counts = overview(seeded)
    assert counts.plans_filed == 2
    monthly = seeded.report_periods.get(kind="monthly")
    assert monthly.reports.get().organisation.code == "phuong-song-cau"
    # Through the actions: each step is in the log under the person who did it.
    assert Activity.objects.filter(verb="registration.submitted", actor=personas.tam).exists()
    assert Activity.objects.filter(verb="registration.accepted", actor=personas.dung).exists()
    rows = Activity.objects.count()
    again = seed_progress()
    assert Activity.objects.count() == rows
    assert Registration.objects.count() == 3 and again.report_periods.count() == 2
    assert Supervision.objects.count() == 4


def test_the_demo_shows_late_units_to_the_council_and_the_reminder_job(movement, personas):
    seed_progress()
    [followed] = supervision_for(personas.khanh)
    late = {r.organisation.code: r.late_keys for r in followed.late_rows}
    monthly = f"report-{movement.report_periods.get(kind='monthly').pk}"
    # Phùng Chí Kiên registered nothing and sent no report; Đức Xuân registered but has not
    # reported; Sông Cầu is up to date, not the health station under it (an area covers the
    # units below the organisation).
    assert late == {"phuong-phung-chi-kien": {"registration", monthly},
                    "phuong-duc-xuan": {monthly},
                    "tram-y-te-song-cau": {"registration", monthly}}
    [health] = supervision_for(User.objects.get(username="hoidong.yte"))
    assert {r.organisation.code for r in health.rows} == {"ttyt-tp", "tram-y-te-song-cau"}
    assert send_reminders() > 0
    assert Reminder.objects.filter(organisation__code="phuong-phung-chi-kien",
                                   deadline="registration", kind="late").exists()
    assert not Reminder.objects.filter(organisation__code="phuong-song-cau",
                                       deadline="registration").exists()
