"""`thidua remind`: only late or nearly-late units, once per deadline per unit, a row per
reminder; run twice or stopped half-way, nobody gets the same reminder twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from tests.movements.conftest import org
from thidua.core.models import Notice
from thidua.movements import actions, reminders
from thidua.movements.models import Movement, Reminder
from thidua.movements.tasks import remind
from thidua.orgs.models import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration_due(wards, personas):
    """Registration closes tomorrow; Sông Cầu has sent theirs, the two others have not."""
    Movement.objects.filter(pk=wards.pk).update(registration_deadline=today() + timedelta(days=1))
    registration = actions.save_registration(
        wards, org("phuong-song-cau"), by=personas.hanh,
        commitments={c.pk: {"pledged": True} for c in wards.criteria.all()})
    actions.submit_registration(registration, by=personas.tam)
    Notice.objects.all().delete()
    return Movement.objects.get(pk=wards.pk)


def reminded():
    return sorted(Reminder.objects.filter(deadline="registration").values_list(
        "organisation__code", "kind"))


def test_only_units_close_to_a_deadline_are_reminded_once(registration_due, personas,
                                                         django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_reminders()
    # The plan (10 days) and the report (20 days) are not close yet; Sông Cầu has registered.
    assert sent == 2
    assert reminded() == [("phuong-duc-xuan", "soon"), ("phuong-phung-chi-kien", "soon")]
    assert Notice.objects.filter(user=personas.thu, text__startswith="Sắp đến hạn").exists()
    assert not Notice.objects.filter(user=personas.hanh).exists()
    mailed = {address for m in mail.outbox for address in m.to}
    assert "canbo.ducxuan@example.invalid" in mailed
    assert not {"canbo.songcau@example.invalid", "chutich.songcau@example.invalid"} & mailed
    first_mails = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reminders() == 0  # the same day again
        # and later, once it is late: still once per deadline per unit
        assert reminders.send_reminders(day=today() + timedelta(days=3)) == 0
    assert len(mail.outbox) == first_mails
    assert Reminder.objects.count() == 2


def test_late_units_are_reminded_as_late(wards, personas):
    Movement.objects.filter(pk=wards.pk).update(plan_deadline=today() - timedelta(days=2))
    actions.file_unit_plan(wards, org("phuong-duc-xuan"), by=personas.thu, text="Kế hoạch")
    assert reminders.send_reminders() == 2
    assert sorted(Reminder.objects.values_list("organisation__code", "deadline", "kind")) == [
        ("phuong-phung-chi-kien", "plan", "late"), ("phuong-song-cau", "plan", "late")]
    assert Notice.objects.filter(user=personas.hanh, text__startswith="Quá hạn").exists()


def test_a_run_stopped_half_way_is_finished_by_the_next_without_duplicates(registration_due):
    real = reminders.notify
    calls = []

    def dies_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is killed while reminding the second unit
        return real(*args, **kwargs)

    with mock.patch.object(reminders, "notify", dies_on_the_second), \
            pytest.raises(KeyboardInterrupt):
        reminders.send_reminders()
    assert reminded() == [("phuong-duc-xuan", "soon")]  # the second unit's row rolled back
    assert reminders.send_reminders() == 1
    assert reminded() == [("phuong-duc-xuan", "soon"), ("phuong-phung-chi-kien", "soon")]
    per_person = list(Notice.objects.values_list("user_id", flat=True))
    assert per_person and len(per_person) == len(set(per_person))  # nobody told twice


def test_two_runs_racing_for_one_unit_send_once(registration_due):
    due = [d for d in reminders.pending(registration_due, today(), 3)
           if d.organisation.code == "phuong-duc-xuan"][0]
    assert reminders._remind(due) is True
    # The other run read before this one wrote, and tries the same unit: the row stops it.
    assert reminders._remind(due) is False
    assert Reminder.objects.count() == 1
    assert Notice.objects.filter(text__startswith="Sắp đến hạn").count() == len(
        reminders.unit_people([due.organisation]))


def test_the_command_and_the_task(registration_due, capsys):
    call_command("remind")
    assert "Đã gửi 2 lời nhắc" in capsys.readouterr().out
    assert remind.call() == 0


def test_closed_movements_are_not_reminded(registration_due, personas):
    actions.close_movement(registration_due, by=personas.mai)
    assert reminders.send_reminders() == 0
