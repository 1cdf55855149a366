"""The one way a stateful object moves (core.workflow), checked on the dossier's workflow: what it
refuses, what it leaves untouched when it refuses, and what it logs when it moves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests import pipeline
from thidua.core.models import Activity
from thidua.nominations.actions import DOSSIER_FLOW
from thidua.nominations.models import Dossier

pytestmark = pytest.mark.django_db


def log_rows(dossier, verb):
    return list(Activity.objects.for_object(dossier).filter(verb=verb))


@pytest.fixture
def ready(draft, personas):
    """A complete draft, ready for its head to submit."""
    return pipeline.complete(draft, personas.hanh)


def test_a_move_saves_the_new_state_and_logs_who_from_and_to(ready, personas):
    moved = DOSSIER_FLOW.move(ready, "submit", by=personas.tam, reason="đủ hồ sơ")
    assert Dossier.objects.get(pk=ready.pk).state == moved.state == Dossier.State.SUBMITTED
    [row] = log_rows(ready, "dossier.submit")
    assert row.actor == personas.tam and row.reason == "đủ hồ sơ"
    assert row.before == {"state": "draft"} and row.after == {"state": "submitted"}
    assert row.organisation == ready.organisation


def test_a_page_that_shows_an_older_state_is_refused(ready, personas):
    seen_by_clerk = Dossier.objects.get(pk=ready.pk)
    DOSSIER_FLOW.move(ready, "submit", by=personas.tam)
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        DOSSIER_FLOW.move(seen_by_clerk, "withdraw", by=personas.tam)
    assert Dossier.objects.get(pk=ready.pk).state == Dossier.State.SUBMITTED
    assert log_rows(ready, "dossier.withdraw") == []


def test_someone_without_the_permission_is_refused_and_nothing_moves(ready, personas):
    for user in [personas.hanh, personas.dung, personas.stranger]:
        with pytest.raises(PermissionDenied):
            DOSSIER_FLOW.move(ready, "submit", by=user)
    assert Dossier.objects.get(pk=ready.pk).state == Dossier.State.DRAFT
    assert log_rows(ready, "dossier.submit") == []


def test_a_move_the_state_does_not_allow_gets_its_own_message(ready, personas):
    with pytest.raises(ValidationError, match="Chỉ tiếp nhận được hồ sơ đang chờ tiếp nhận"):
        DOSSIER_FLOW.move(ready, "accept", by=personas.dung)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        DOSSIER_FLOW.move(ready, "accept", by=personas.dung)
    assert "Chỉ" not in refused.value.messages[0]


def test_a_refusal_in_prepare_leaves_the_row_and_the_log_as_they_were(ready, personas):
    def prepare(locked):
        locked.round = 99
        raise ValidationError("không đủ điều kiện")

    with pytest.raises(ValidationError, match="không đủ điều kiện"):
        DOSSIER_FLOW.move(ready, "submit", by=personas.tam, prepare=prepare)
    fresh = Dossier.objects.get(pk=ready.pk)
    assert (fresh.state, fresh.round) == (Dossier.State.DRAFT, 0)
    assert log_rows(ready, "dossier.submit") == []


def test_a_change_that_lands_between_the_lock_and_the_save_is_caught(ready, personas):
    """SQLite has no row locks: another writer can move the row after it was read. The save is
    an UPDATE filtered on the old state, so it finds nothing and the mover is told."""

    def another_writer(locked):
        Dossier.objects.filter(pk=locked.pk).update(state=Dossier.State.WITHDRAWN)

    with pytest.raises(ValidationError, match="Đã rút"):
        DOSSIER_FLOW.move(ready, "submit", by=personas.tam, prepare=another_writer)
    assert log_rows(ready, "dossier.submit") == []


def test_a_caused_move_names_the_person_and_the_cause_and_asks_no_permission(accepted,
                                                                            personas):
    for nominee in accepted.nominees.all():
        nominee.committee_conclusion = "propose"
        nominee.save(update_fields=["committee_conclusion"])
    # The stranger holds no permission on the dossier: the causing act was checked elsewhere.
    DOSSIER_FLOW.follow(accepted, "conclude_committee", by=personas.stranger,
                        cause="Họp xét Ban Chỉ đạo")
    [row] = log_rows(accepted, "dossier.conclude_committee")
    assert row.actor == personas.stranger
    assert row.after == {"state": "committee_reviewed", "cause": "Họp xét Ban Chỉ đạo"}


def test_a_caused_move_still_obeys_the_state_machine(draft, personas):
    with pytest.raises(ValidationError):
        DOSSIER_FLOW.follow(draft, "conclude_council", by=personas.mai, cause="phiên họp")
    assert Dossier.objects.get(pk=draft.pk).state == Dossier.State.DRAFT
