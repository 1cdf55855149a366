"""Every change of who holds which role — and of who is an administrator — is in the log with
the person who made it, whichever way it is made: the actions, a merger, or the Django admin.
"""

import ast
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from thidua.core.models import Activity
from thidua.orgs import actions
from thidua.orgs.models import Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

THIDUA = Path(__file__).resolve().parents[2] / "thidua"


class _Form(HTMLParser):
    """The fields of the page's main form as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post" and "id" in attrs:
            self._in_form = True
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_of(response) -> dict:
    parser = _Form()
    parser.feed(response.content.decode())
    data: dict = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def change_user(client, user, **changes):
    url = f"/quan-tri/orgs/user/{user.pk}/change/"
    data = form_of(client.get(url))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def add_role_row(data_changes: dict, index: int, organisation, role, *, title="", valid_from=None):
    prefix = f"memberships-{index}-"
    data_changes.update({
        "memberships-TOTAL_FORMS": str(index + 1),
        prefix + "organisation": str(organisation.pk), prefix + "role": role,
        prefix + "title": title, prefix + "valid_from": (valid_from or timezone.localdate()).isoformat(),
        prefix + "valid_to": "",
    })
    return data_changes


def role_rows(user):
    """The role rows people wrote (the demo's own grants, by the system, are left out)."""
    return list(Activity.objects.filter(verb__startswith="role.", actor__isnull=False, target_id__in=[
        str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)])
        .order_by("pk").values_list("verb", "actor__username"))


# --- the admin ---------------------------------------------------------------------------------


def test_a_role_added_in_the_admin_is_logged_with_the_administrator(personas, client_for):
    admin = client_for(personas.admin)
    ward = Organisation.objects.get(code="phuong-duc-xuan")
    existing = Membership.objects.filter(user=personas.stranger).count()
    change_user(admin, personas.stranger,
                **add_role_row({}, existing, ward, Role.VIEWER, title="Thanh tra viên"))
    membership = Membership.objects.get(user=personas.stranger, organisation=ward)
    assert (membership.role, membership.title) == (Role.VIEWER, "Thanh tra viên")
    assert role_rows(personas.stranger) == [("role.granted", "quantri")]
    row = Activity.objects.get(verb="role.granted", target_id=str(membership.pk))
    assert row.organisation == ward
    assert row.after["user"] == "nguoila" and row.after["role"] == "viewer"


def test_ending_a_role_in_the_admin_is_a_logged_revocation(personas, client_for):
    membership = Membership.objects.get(user=personas.thu, role=Role.UNIT_OFFICER)
    index = list(Membership.objects.filter(user=personas.thu)).index(membership)
    end = timezone.localdate()
    change_user(client_for(personas.admin), personas.thu,
                **{f"memberships-{index}-valid_to": end.isoformat()})
    membership.refresh_from_db()
    assert membership.valid_to == end
    assert role_rows(personas.thu) == [("role.revoked", "quantri")]
    row = Activity.objects.get(verb="role.revoked", actor__isnull=False)
    assert row.before["valid_to"] is None and row.after["valid_to"] == end.isoformat()
    assert Role.UNIT_OFFICER not in User.objects.get(pk=personas.thu.pk).roles()


def test_a_corrected_title_is_logged_and_the_role_itself_cannot_be_swapped(personas, client_for):
    membership = Membership.objects.get(user=personas.thu, role=Role.UNIT_OFFICER)
    index = list(Membership.objects.filter(user=personas.thu)).index(membership)
    change_user(client_for(personas.admin), personas.thu, **{
        f"memberships-{index}-title": "Phó Chủ tịch phụ trách thi đua",
        # The role and the organisation of a saved row are disabled: a forged value is ignored.
        f"memberships-{index}-role": Role.CHAIRMAN,
        f"memberships-{index}-organisation": str(Organisation.objects.get(code="ubnd-tp-bac-kan").pk),
    })
    membership.refresh_from_db()
    assert (membership.role, membership.organisation.code) == (Role.UNIT_OFFICER, "phuong-duc-xuan")
    assert membership.title == "Phó Chủ tịch phụ trách thi đua"
    assert role_rows(personas.thu) == [("role.changed", "quantri")]


def test_saving_without_changes_logs_nothing(personas, client_for):
    before = Activity.objects.count()
    change_user(client_for(personas.admin), personas.thu)
    assert Activity.objects.count() == before


def test_an_end_before_the_start_is_refused_with_a_message(personas, client_for):
    membership = Membership.objects.get(user=personas.thu, role=Role.UNIT_OFFICER)
    index = list(Membership.objects.filter(user=personas.thu)).index(membership)
    url = f"/quan-tri/orgs/user/{personas.thu.pk}/change/"
    client = client_for(personas.admin)
    data = form_of(client.get(url))
    data[f"memberships-{index}-valid_to"] = [(membership.valid_from - timedelta(days=1)).isoformat()]
    page = client.post(url, data).content.decode()
    assert "Ngày kết thúc vai trò không được trước ngày bắt đầu." in page
    assert Membership.objects.get(pk=membership.pk).valid_to is None
    assert role_rows(personas.thu) == []


def test_administrator_flag_groups_and_activation_changes_are_logged(personas, client_for):
    client = client_for(personas.admin)
    group = Group.objects.create(name="Kiểm tra")
    change_user(client, personas.stranger, is_superuser="on", is_staff="on", groups=[str(group.pk)])
    row = Activity.objects.get(verb="user.access_changed")
    assert row.actor == personas.admin and row.target_id == str(personas.stranger.pk)
    assert row.before == {"groups": [], "is_staff": False, "is_superuser": False}
    assert row.after == {"groups": ["Kiểm tra"], "is_staff": True, "is_superuser": True}
    change_user(client, personas.stranger, is_active=None, is_superuser=None)
    latest = Activity.objects.filter(verb="user.access_changed").latest("pk")
    assert latest.before == {"is_active": True, "is_superuser": True}
    assert latest.after == {"is_active": False, "is_superuser": False}


def test_an_account_added_with_roles_in_the_admin_is_logged(personas, client_for):
    client = client_for(personas.admin)
    data = form_of(client.get("/quan-tri/orgs/user/add/"))
    data.update({"username": ["canbo.moi"], "password1": ["Mot-mat-khau-dai-2026"],
                 "password2": ["Mot-mat-khau-dai-2026"], "usable_password": ["true"]})
    ward = Organisation.objects.get(code="phuong-song-cau")
    for key, value in add_role_row({}, 0, ward, Role.UNIT_OFFICER).items():
        data[key] = [value]
    response = client.post("/quan-tri/orgs/user/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="canbo.moi")
    assert user.roles() == {Role.UNIT_OFFICER}
    assert role_rows(user) == [("role.granted", "quantri")]


def test_accounts_are_deactivated_not_deleted_in_the_admin(personas, client_for):
    client = client_for(personas.admin)
    assert client.get(f"/quan-tri/orgs/user/{personas.thu.pk}/delete/").status_code == 403
    client.post("/quan-tri/orgs/user/", {"action": "delete_selected",
                                         "_selected_action": [personas.thu.pk], "post": "yes"})
    assert User.objects.filter(pk=personas.thu.pk).exists()


def test_an_organisation_added_in_the_admin_is_founded_through_the_action(personas, client_for):
    client = client_for(personas.admin)
    city = Organisation.objects.get(code="ubnd-tp-bac-kan")
    response = client.post("/quan-tri/orgs/organisation/add/", {
        "code": "phuong-moi", "name": "Phường Mới", "short_name": "", "level": "commune",
        "kind": "peoples_committee", "parent": str(city.pk), "valid_from": "2026-01-01",
        "legal_reference": "Nghị quyết 1/NQ-HĐND"})
    assert response.status_code == 302, response.content.decode()[:2000]
    ward = Organisation.objects.get(code="phuong-moi")
    assert ward.path == f"{city.path}{ward.pk}/"
    assert ward.versions.count() == 1 and ward.events.get().legal_reference == "Nghị quyết 1/NQ-HĐND"
    row = Activity.objects.get(verb="org.created", target_id=str(ward.pk))
    assert row.actor == personas.admin
    # Shown, not edited: the tree's history is written by the recorded actions only.
    page = client.get(f"/quan-tri/orgs/organisation/{ward.pk}/change/").content.decode()
    assert 'name="name"' not in page


# --- the actions ---------------------------------------------------------------------------------


def test_a_merger_logs_every_role_it_moves(personas):
    ward_a = Organisation.objects.get(code="phuong-duc-xuan")
    ward_b = Organisation.objects.get(code="phuong-song-cau")
    moved = list(Membership.objects.filter(organisation=ward_a, valid_to__isnull=True))
    assert moved
    on = date(2026, 7, 1)
    actions.merge_organisations([ward_a], into=ward_b, on=on, by=personas.admin)
    revoked = Activity.objects.filter(verb="role.revoked", target_id__in=[str(m.pk) for m in moved])
    assert revoked.count() == len(moved)
    assert {row.actor for row in revoked} == {personas.admin}
    assert all("Sáp nhập" in row.reason for row in revoked)
    granted = Activity.objects.filter(verb="role.granted", organisation=ward_b, actor=personas.admin)
    assert {row.after["user"] for row in granted} == {m.user.username for m in moved}


def test_revoking_through_the_action(personas):
    membership = Membership.objects.get(user=personas.thu, role=Role.UNIT_OFFICER)
    actions.revoke_role(membership, by=personas.admin, reason="Nghỉ hưu")
    row = Activity.objects.get(verb="role.revoked", actor__isnull=False)
    assert (row.actor, row.reason) == (personas.admin, "Nghỉ hưu")
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        actions.revoke_role(Membership.objects.filter(valid_to__isnull=True).first(), by=personas.thu)


def test_no_code_writes_memberships_or_administrator_flags_but_the_orgs_actions():
    """The class, read from the source: memberships are created, changed and deleted only in
    thidua/orgs/actions.py, so every change passes its log."""
    writes = re.compile(r"(Membership\.objects|memberships)\.(create|get_or_create|update_or_create|"
                        r"bulk_create|update|delete)\b")
    offenders = []
    for path in THIDUA.rglob("*.py"):
        relative = path.relative_to(THIDUA).as_posix()
        if "migrations/" in relative or relative == "orgs/actions.py":
            continue
        source = path.read_text()
        if writes.search(source):
            offenders.append(relative)
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == "role" for t in node.targets)
                    and "membership" in ast.unparse(node).lower()):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
