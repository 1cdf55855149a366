"""Writes to the organisation tree and to memberships. Each is atomic, checked and logged."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import activity
from thidua.core.permissions import require
from thidua.orgs import limits
from thidua.orgs.models import (
    Membership,
    Organisation,
    OrganisationEvent,
    OrganisationVersion,
    Role,
    User,
    today,
)

MANAGE = "orgs.manage_organisations"


def _snapshot(org: Organisation) -> dict:
    return {
        "name": org.name, "short_name": org.short_name, "level": org.level, "kind": org.kind,
        "parent": org.parent_id, "valid_from": org.valid_from, "valid_to": org.valid_to,
    }


def _name(name) -> str:
    name = limits.clean(name, limits.ORGANISATION_NAME, _("Tên tổ chức"), naming=True)
    if not name:
        raise ValidationError(_("Tên tổ chức không được để trống."))
    return name


def _short_name(short_name) -> str:
    return limits.clean(short_name, limits.SHORT_NAME, _("Tên viết tắt"), naming=True)


def _grounds(legal_reference, note) -> tuple[str, str]:
    """An event's legal reference (one line) and note (lines kept), cleaned."""
    return (limits.clean(legal_reference, limits.LEGAL_REFERENCE, _("Căn cứ")),
            limits.clean(note, limits.NOTE, _("Ghi chú"), lines=True))


def _reason(reason) -> str:
    return limits.clean(reason, limits.REASON, _("Lý do"), lines=True)


def _title(title) -> str:
    return limits.clean(title, limits.TITLE, _("Chức vụ"), naming=True)


def _path_for(org: Organisation) -> str:
    return f"{org.parent.path if org.parent else '/'}{org.pk}/"


def _open_version(org: Organisation, day: date) -> OrganisationVersion:
    return OrganisationVersion.objects.create(
        organisation=org, name=org.name, short_name=org.short_name, level=org.level,
        kind=org.kind, parent=org.parent, valid_from=day,
    )


def _close_current_version(org: Organisation, day: date) -> None:
    current = org.versions.select_for_update().filter(valid_to__isnull=True).first()
    if current is None:
        return
    if day <= current.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực phải sau ngày %(day)s, ngày bắt đầu của thông tin hiện tại.")
            % {"day": current.valid_from.strftime("%d/%m/%Y")}
        )
    current.valid_to = day
    current.save(update_fields=["valid_to"])


def _refresh_subtree_paths(org: Organisation) -> None:
    old_path = org.path
    org.path = _path_for(org)
    org.save(update_fields=["path", "parent"])
    if old_path and old_path != org.path:
        for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path):]
            child.save(update_fields=["path"])


@transaction.atomic
def create_organisation(*, code, name, level, kind, valid_from, parent=None, short_name="",
                        legal_reference="", by=None) -> Organisation:
    """Thành lập: a new organisation, its first version and its founding event."""
    require(by, MANAGE)
    name, short_name = _name(name), _short_name(short_name)
    legal_reference, _note = _grounds(legal_reference, "")
    if parent is not None and not parent.is_active_on(valid_from):
        raise ValidationError(_("Tổ chức cấp trên không còn hiệu lực vào ngày thành lập."))
    org = Organisation.objects.create(
        code=code, name=name, short_name=short_name, level=level, kind=kind,
        parent=parent, valid_from=valid_from, path="",
    )
    org.path = _path_for(org)
    org.save(update_fields=["path"])
    _open_version(org, valid_from)
    OrganisationEvent.objects.create(
        organisation=org, kind=OrganisationEvent.Kind.ESTABLISHED, occurred_on=valid_from,
        other=parent, legal_reference=legal_reference,
    )
    activity.record("org.created", actor=by, target=org, organisation=org, after=_snapshot(org))
    return org


@transaction.atomic
def rename_organisation(org, *, name, on: date, short_name=None, legal_reference="", note="",
                        by=None) -> Organisation:
    """Đổi tên: from ``on`` the organisation bears ``name``; earlier days keep the old name."""
    require(by, MANAGE)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = _snapshot(org)
    name = _name(name)
    legal_reference, note = _grounds(legal_reference, note)
    if short_name is not None:
        short_name = _short_name(short_name)
    _close_current_version(org, on)
    org.name = name
    if short_name is not None:
        org.short_name = short_name
    org.save(update_fields=["name", "short_name"])
    _open_version(org, on)
    OrganisationEvent.objects.create(
        organisation=org, kind=OrganisationEvent.Kind.RENAMED, occurred_on=on,
        legal_reference=legal_reference, note=note or f"{before['name']} → {name}",
    )
    activity.record("org.renamed", actor=by, target=org, organisation=org, before=before,
                    after=_snapshot(org), reason=note)
    return org


@transaction.atomic
def move_organisation(org, *, parent, on: date, level=None, legal_reference="", note="",
                      by=None) -> Organisation:
    """Thay đổi trực thuộc: from ``on`` the organisation sits under ``parent``."""
    require(by, MANAGE)
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if parent is not None and (parent.pk == org.pk or parent.path.startswith(org.path)):
        raise ValidationError(_("Không thể đặt một tổ chức trực thuộc chính nó hoặc đơn vị cấp dưới của nó."))
    legal_reference, note = _grounds(legal_reference, note)
    before = _snapshot(org)
    _close_current_version(org, on)
    org.parent = parent
    if level is not None:
        org.level = level
        org.save(update_fields=["level"])
    _refresh_subtree_paths(org)
    _open_version(org, on)
    OrganisationEvent.objects.create(
        organisation=org, kind=OrganisationEvent.Kind.MOVED, occurred_on=on, other=parent,
        legal_reference=legal_reference, note=note,
    )
    activity.record("org.moved", actor=by, target=org, organisation=org, before=before,
                    after=_snapshot(org), reason=note)
    return org


@transaction.atomic
def merge_organisations(sources, *, into: Organisation, on: date, legal_reference="", note="",
                        by=None) -> Organisation:
    """Sáp nhập: ``sources`` cease on ``on``; their sub-units and open roles pass to ``into``.

    Records made before ``on`` keep pointing at the source organisations, whose versions still
    answer for those days, so old awards keep the names they were given under.
    """
    require(by, MANAGE)
    legal_reference, note = _grounds(legal_reference, note)
    into = Organisation.objects.select_for_update().get(pk=into.pk)
    if not into.is_active_on(on):
        raise ValidationError(_("Tổ chức tiếp nhận không còn hiệu lực vào ngày sáp nhập."))
    for source in sources:
        source = Organisation.objects.select_for_update().get(pk=source.pk)
        if source.pk == into.pk or into.path.startswith(source.path):
            raise ValidationError(
                _("Không thể sáp nhập một tổ chức vào chính nó hoặc đơn vị cấp dưới của nó.")
            )
        if not source.is_active_on(on):
            raise ValidationError(
                _("%(name)s không còn hiệu lực vào ngày sáp nhập.") % {"name": source.name}
            )
        before = _snapshot(source)
        for child in source.children.active_on(on):
            move_organisation(child, parent=into, on=on, legal_reference=legal_reference,
                              note=_("Chuyển về %(name)s do sáp nhập") % {"name": into.name},
                              by=by)
        _close_current_version(source, on)
        source.valid_to = on
        source.merged_into = into
        source.save(update_fields=["valid_to", "merged_into"])
        moved = _("Sáp nhập %(source)s vào %(into)s") % {"source": source.name, "into": into.name}
        for membership in source.memberships.filter(valid_to__isnull=True):
            revoke_role(membership, on=on, by=by, reason=moved)
            grant_role(membership.user, into, membership.role, title=membership.title,
                       valid_from=on, by=by, reason=moved)
        OrganisationEvent.objects.create(
            organisation=source, kind=OrganisationEvent.Kind.MERGED, occurred_on=on, other=into,
            legal_reference=legal_reference, note=note,
        )
        OrganisationEvent.objects.create(
            organisation=into, kind=OrganisationEvent.Kind.ABSORBED, occurred_on=on, other=source,
            legal_reference=legal_reference, note=note,
        )
        activity.record("org.merged", actor=by, target=source, organisation=into, before=before,
                        after=_snapshot(source), reason=note)
    return into


def _membership_snapshot(membership: Membership) -> dict:
    return {"user": membership.user.username, "organisation": membership.organisation.name,
            "role": membership.role, "title": membership.title,
            "valid_from": membership.valid_from, "valid_to": membership.valid_to}


def _check_dates(valid_from, valid_to) -> None:
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        raise ValidationError(_("Ngày kết thúc vai trò không được trước ngày bắt đầu."))


@transaction.atomic
def grant_role(user: User, organisation: Organisation, role: str, *, title="", by=None,
               valid_from=None, valid_to=None, reason="") -> Membership:
    """Give ``user`` a role in ``organisation``; granting a role already held changes nothing.

    With ``valid_to`` the row records a role held for a past span (it ends on that day)."""
    require(by, MANAGE)
    if role not in Role.values:
        raise ValidationError(_("Vai trò không hợp lệ."))
    _check_dates(valid_from or today(), valid_to)
    reason = _reason(reason)
    kwargs = {"title": _title(title)}
    if valid_from is not None:
        kwargs["valid_from"] = valid_from
    if valid_to is not None:
        membership, created = Membership.objects.create(
            user=user, organisation=organisation, role=role, valid_to=valid_to, **kwargs), True
    else:
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, valid_to=None, defaults=kwargs,
        )
    if created:
        activity.record("role.granted", actor=by, target=membership, organisation=organisation,
                        after=_membership_snapshot(membership), reason=reason)
    return membership


@transaction.atomic
def revoke_role(membership: Membership, *, on: date | None = None, by=None,
                reason="") -> Membership:
    """End a role: from ``on`` (default today) the user no longer holds it; the row stays as
    the record of who held what, when. An end on or before the row's start means the role was
    never held (a merger recorded after the fact, a grant made by mistake)."""
    require(by, MANAGE)
    locked = Membership.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(
        pk=membership.pk)
    on = on or today()
    reason = _reason(reason)
    if locked.valid_to is not None and locked.valid_to <= on:
        return locked  # already ended by then
    before = _membership_snapshot(locked)
    locked.valid_to = on
    locked.save(update_fields=["valid_to"])
    activity.record("role.revoked", actor=by, target=locked, organisation=locked.organisation,
                    before=before, after=_membership_snapshot(locked), reason=reason)
    return locked


@transaction.atomic
def change_membership(membership: Membership, *, title: str, valid_from: date,
                      valid_to: date | None, by=None) -> Membership:
    """Correct a role's title or dates (who holds which role where never changes: end the row
    and grant the new role). Ending it is logged as a revocation, any other change as such."""
    require(by, MANAGE)
    locked = Membership.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(
        pk=membership.pk)
    _check_dates(valid_from, valid_to)
    if valid_to is None and locked.valid_to is not None and Membership.objects.filter(
            user=locked.user, organisation=locked.organisation, role=locked.role,
            valid_to__isnull=True).exclude(pk=locked.pk).exists():
        raise ValidationError(_("Người dùng đang giữ vai trò này tại tổ chức này."))
    before = _membership_snapshot(locked)
    locked.title, locked.valid_from, locked.valid_to = _title(title), valid_from, valid_to
    after = _membership_snapshot(locked)
    if after == before:
        return locked
    locked.save(update_fields=["title", "valid_from", "valid_to"])
    logged = {"actor": by, "target": locked, "organisation": locked.organisation,
              "before": before, "after": after}
    if before["valid_to"] is None and valid_to is not None:
        activity.record("role.revoked", **logged)
    else:
        activity.record("role.changed", **logged)
    return locked


ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


def account_access(user: User) -> dict:
    """What a user may do beyond their roles: the account's flags, groups and permissions."""
    if user.pk is None:
        return {"is_active": True, "is_staff": False, "is_superuser": False, "groups": [],
                "user_permissions": []}
    return {
        "is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(f"{app}.{code}" for app, code in user.user_permissions
                                   .values_list("content_type__app_label", "codename")),
    }


@transaction.atomic
def record_access_change(user: User, *, before: dict, by) -> None:
    """Log a change of an account's administrator flag, activation, groups or permissions made
    through a form that saves the account itself (the admin); nothing when nothing changed."""
    require(by, MANAGE)
    after = account_access(user)
    changed = {key for key in ACCESS_FIELDS if before.get(key) != after[key]}
    if changed:
        activity.record("user.access_changed", actor=by, target=user,
                        before={key: before.get(key) for key in sorted(changed)},
                        after={key: after[key] for key in sorted(changed)})
