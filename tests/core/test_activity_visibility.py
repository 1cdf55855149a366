"""Who reads which rows of the activity log.

The organisation scope alone let everyone above a ward (the council, its members, the chairman,
the inspectors) read the ward's unsent drafts in the log. An app now declares who may see the
log rows of its objects (core.activity.register_visibility); nominations declares its dossiers.
"""

import pytest

from thidua.core import activity
from thidua.core.models import Activity, ActivityQuerySet
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Dossier
from thidua.orgs.actions import grant_role
from thidua.orgs.models import Organisation, Role

pytestmark = pytest.mark.django_db


def log_rows(user, dossier):
    return list(Activity.objects.visible_to(user).for_object(dossier).values_list("verb", flat=True))


def test_dossiers_are_registered_by_their_app():
    assert Dossier in ActivityQuerySet.visibility


def test_a_draft_is_in_the_log_of_its_own_unit_only(draft, personas, client_for):
    assert "dossier.created" in log_rows(personas.hanh, draft)
    assert "nominee.added" in log_rows(personas.tam, draft)
    # Above the ward: the chairman, the inspector, a council member; beside it: Đức Xuân.
    for who in [personas.binh, personas.quy, personas.khanh, personas.thu, personas.dung,
                personas.mai, personas.stranger]:
        assert log_rows(who, draft) == [], who


def test_the_log_page_does_not_name_another_units_draft(draft, personas, client_for):
    label = str(draft)
    for who in [personas.binh, personas.quy, personas.khanh]:
        page = client_for(who).get("/nhat-ky/").content.decode()
        assert label not in page and "Nguyễn Thị Lan" not in page, who
    assert label in client_for(personas.hanh).get("/nhat-ky/").content.decode()


def test_once_sent_the_units_above_read_its_rows_again(submitted, personas):
    rows = log_rows(personas.binh, submitted)
    assert "dossier.created" in rows and "dossier.submit" in rows
    assert "dossier.submit" in log_rows(personas.quy, submitted)


@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_the_log_follows_the_dossiers_own_rule_for_everyone(stage, draft, personas):
    """For every persona, at each stage: the dossier's rows are in their log exactly when the
    dossier is in their list (a viewer placed in the ward itself included)."""
    grant_role(personas.lan, draft.organisation, Role.VIEWER, by=personas.admin)
    if stage == "submitted":
        from tests import pipeline

        pipeline.complete(draft, personas.hanh)
        dossier_actions.submit_dossier(draft, by=personas.tam)
    for name, user in vars(personas).items():
        user = type(user).objects.get(pk=user.pk)  # roles read afresh
        sees_dossier = Dossier.objects.visible_to(user).filter(pk=draft.pk).exists()
        assert bool(log_rows(user, draft)) == sees_dossier, name


def test_a_withdrawn_draft_stays_private(draft, personas):
    dossier_actions.withdraw_dossier(draft, reason="Nhầm hình thức", by=personas.tam)
    assert log_rows(personas.binh, draft) == []
    assert "dossier.withdraw" in log_rows(personas.hanh, draft)


def test_rows_without_a_registered_target_follow_the_scope_alone(draft, personas):
    ward = draft.organisation
    row = activity.record("org.renamed", actor=personas.admin, target=ward, organisation=ward)
    assert row in Activity.objects.visible_to(personas.binh)
    assert row not in Activity.objects.visible_to(personas.thu)
    bare = activity.record("rulesets.loaded", organisation=ward)
    assert bare in Activity.objects.visible_to(personas.binh)


def test_any_app_may_register_a_rule(draft, personas, monkeypatch):
    """The registry is generic: here organisations are said to be seen only by administrators."""
    monkeypatch.setitem(ActivityQuerySet.visibility, Organisation,
                        lambda user: Organisation.objects.none())
    ward = draft.organisation
    row = activity.record("org.renamed", actor=personas.admin, target=ward, organisation=ward)
    assert row not in Activity.objects.visible_to(personas.binh)
    assert row in Activity.objects.visible_to(personas.admin)
    assert "dossier.created" in log_rows(personas.hanh, draft)  # other rules still apply
