"""Every write to a movement and to what its units send: the movement's own setup and
lifecycle, registrations, unit plans, progress reports, review rounds and supervision.

Each action is atomic, permission-checked (``core.permissions.require``) and logged; the
movement, registrations and reports change state only through their workflows
(:mod:`thidua.movements.flows`). ``by=None`` is the system (the YAML loader, the demo).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import activity
from thidua.core.notify import notify
from thidua.core.permissions import require
from thidua.core.text import fold, nfc, nfc_lines
from thidua.core.uploads import check_upload, kept_only_if_saved, server_file_name
from thidua.movements import limits
from thidua.movements.flows import MOVEMENT_FLOW, REGISTRATION_FLOW, REPORT_FLOW
from thidua.movements.limits import bounded
from thidua.movements.models import (
    Commitment,
    ContentArea,
    Criterion,
    Evidence,
    Movement,
    ParentDocument,
    Participant,
    ParticipantKind,
    ProgressEntry,
    ProgressReport,
    Registration,
    ReportPeriod,
    Supervision,
    UnitPlan,
)
from thidua.movements.queries import (
    criteria_for,
    office_people,
    registration_is_late,
    unit_people,
)
from thidua.orgs.models import Organisation, Role, today

# The fields of a movement an official sets on its form (the structure is edited part by part).
MOVEMENT_FIELDS = (
    "title", "short_title", "number", "document_kind", "issuer", "issued_on", "launched_on",
    "ends_on", "place", "signer_name", "signer_title", "signer_capacity", "scope", "stream",
    "rule_set", "receiving_office", "council_secretariat", "registration_deadline",
    "plan_deadline", "dossier_deadline", "criteria_intro", "budget",
)
TEXT_FIELDS = {"title": limits.TITLE, "short_title": limits.SHORT_TITLE,
               "number": limits.NUMBER, "document_kind": limits.NUMBER, "place": 100,
               "signer_name": 150, "signer_title": 150, "signer_capacity": 150}
NOT_EDITABLE = gettext_lazy("Phong trào đã kết thúc; không sửa được nữa.")


def _lock(movement) -> Movement:
    return (Movement.objects.select_for_update(of=("self",))
            .select_related("issuer", "council_secretariat", "receiving_office")
            .get(pk=movement.pk))


def _editable(movement, by) -> Movement:
    locked = _lock(movement)
    require(by, "movements.manage", locked)
    if locked.status not in (Movement.Status.DRAFT, Movement.Status.PUBLISHED):
        raise ValidationError(NOT_EDITABLE)
    return locked


def _clean_fields(fields: dict) -> dict:
    cleaned = {}
    for name, value in fields.items():
        if name not in MOVEMENT_FIELDS:
            raise ValueError(f"Not a movement field: {name}")
        if name in TEXT_FIELDS:
            value = bounded(nfc(value), TEXT_FIELDS[name], Movement._meta.get_field(name).verbose_name)
        elif name == "criteria_intro":
            value = bounded(nfc_lines(value), limits.TEXT, _("Yêu cầu chung về tiêu chí"))
        elif name == "budget" and value is not None and value < 0:
            raise ValidationError(_("Dự toán kinh phí khen thưởng không được là số âm."))
        cleaned[name] = value
    for required in ("title", "short_title", "number"):
        if required in cleaned and not cleaned[required]:
            raise ValidationError(_("Hãy nhập “%(field)s”.") % {
                "field": Movement._meta.get_field(required).verbose_name})
    return cleaned


def _check_offices(movement, by) -> None:
    """The issuing body's officials set up its movements: the council secretariat must be the
    issuer itself or one of its offices, and the person (unless an administrator) must work in
    that secretariat."""
    secretariat = movement.council_secretariat
    if secretariat.pk != movement.issuer_id and secretariat.parent_id != movement.issuer_id:
        raise ValidationError(_("Thường trực Hội đồng TĐKT phải là cơ quan ban hành hoặc một cơ "
                                "quan trực thuộc cơ quan ban hành."))
    if movement.ends_on and movement.ends_on < movement.launched_on:
        raise ValidationError(_("Ngày kết thúc không được trước ngày phát động."))
    if by is not None and not by.has_perm("movements.manage", movement):
        raise PermissionDenied(_("Anh/chị chỉ lập, sửa phong trào của cơ quan mình làm thường "
                                 "trực Hội đồng TĐKT."))


# Paths of the movements app that a slug must not take.
RESERVED_SLUGS = {"tao-moi", "phan-cong-theo-doi"}


def _unique_slug(short_title: str) -> str:
    base = slugify(fold(short_title))[:80].strip("-") or "phong-trao"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Movement.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_movement(*, by, communications_editors=(), **fields) -> Movement:
    """A new movement, as a draft of the issuing body (dự thảo phong trào)."""
    require(by, "movements.create")
    cleaned = _clean_fields(fields)
    movement = Movement(slug=_unique_slug(cleaned.get("short_title", "")), **cleaned)
    _check_offices(movement, by)
    try:
        with transaction.atomic():
            movement.save()
    except IntegrityError:
        raise ValidationError(_("Cơ quan này đã có kế hoạch số %(number)s cùng ngày ban hành.")
                              % {"number": movement.number}) from None
    movement.communications_editors.set(communications_editors)
    activity.record("movement.created", actor=by, target=movement, organisation=movement.issuer,
                    after={"number": movement.number, "title": movement.title})
    return movement


@transaction.atomic
def update_movement(movement, *, by, communications_editors=None, **fields) -> Movement:
    locked = _editable(movement, by)
    cleaned = _clean_fields(fields)
    if locked.status != Movement.Status.DRAFT and {"issuer", "council_secretariat"} & {
            k for k, v in cleaned.items() if getattr(locked, k) != v}:
        raise ValidationError(_("Phong trào đã phát động: không đổi cơ quan ban hành hay thường "
                                "trực Hội đồng."))
    before = {k: str(getattr(locked, k)) for k in cleaned}
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _check_offices(locked, by)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError(_("Cơ quan này đã có kế hoạch số %(number)s cùng ngày ban hành.")
                              % {"number": locked.number}) from None
    if communications_editors is not None:
        locked.communications_editors.set(communications_editors)
    changed = {k: str(getattr(locked, k)) for k in cleaned if str(getattr(locked, k)) != before[k]}
    activity.record("movement.updated", actor=by, target=locked, organisation=locked.issuer,
                    before={k: before[k] for k in changed}, after=changed)
    return locked


def set_plan_file(movement, *, uploaded_file, by) -> Movement:
    """Attach the signed plan document (PDF or DOCX, checked by content)."""
    checked = check_upload(uploaded_file, allowed={"pdf", "docx"})
    require(by, "movements.manage", movement)
    field = movement.plan_file
    field.save(server_file_name(checked, prefix="movements/"), uploaded_file, save=False)
    with kept_only_if_saved(field):
        locked = _editable(movement, by)
        locked.plan_file = field.name
        locked.plan_file_name = checked.original_name
        locked.plan_file_sha256 = checked.sha256
        locked.save(update_fields=["plan_file", "plan_file_name", "plan_file_sha256"])
        activity.record("movement.plan_uploaded", actor=by, target=locked,
                        organisation=locked.issuer,
                        after={"name": checked.original_name, "sha256": checked.sha256})
    return locked


# --- the plan's structure ----------------------------------------------------------------------


@transaction.atomic
def add_parent(movement, *, by, parent_movement=None, number="", issued_on=None,
               issuer_name="", title="") -> ParentDocument:
    """A higher plan this movement implements: a movement in the product, or an external
    document recorded by its number, date and issuer."""
    locked = _editable(movement, by)
    if parent_movement is not None:
        if parent_movement.pk == locked.pk:
            raise ValidationError(_("Một phong trào không thể là văn bản cấp trên của chính nó."))
        number, issued_on = parent_movement.number, parent_movement.issued_on
        issuer_name, title = parent_movement.issuer.name, parent_movement.title
    number = bounded(nfc(number), limits.NUMBER, _("Số hiệu"))
    issuer_name = bounded(nfc(issuer_name), limits.NAME, _("Cơ quan ban hành"))
    title = bounded(nfc(title), limits.TITLE, _("Trích yếu"))
    if not (number and issued_on and issuer_name):
        raise ValidationError(_("Hãy ghi số hiệu, ngày ban hành và cơ quan ban hành của văn bản "
                                "cấp trên, hoặc chọn một phong trào cấp trên."))
    if locked.parents.filter(number=number, issued_on=issued_on).exists():
        raise ValidationError(_("Văn bản %(number)s đã có trong danh sách.") % {"number": number})
    order = locked.parents.count() + 1
    parent = ParentDocument.objects.create(
        movement=locked, parent_movement=parent_movement, number=number, issued_on=issued_on,
        issuer_name=issuer_name, title=title or number, order=order)
    activity.record("movement.parent_added", actor=by, target=locked, organisation=locked.issuer,
                    after={"number": number, "issued_on": issued_on, "issuer": issuer_name})
    return parent


@transaction.atomic
def remove_parent(parent, *, by) -> None:
    locked = _editable(parent.movement, by)
    activity.record("movement.parent_removed", actor=by, target=locked, organisation=locked.issuer,
                    before={"number": parent.number})
    parent.delete()


def _code_text(code, title, text):
    code = bounded(nfc(code), limits.CODE, _("Mục"))
    title = bounded(nfc(title), limits.NAME, _("Tiêu đề"))
    text = bounded(nfc_lines(text), limits.TEXT, _("Nội dung"))
    if not (code and title):
        raise ValidationError(_("Hãy ghi số mục và tiêu đề."))
    return code, title, text


@transaction.atomic
def add_content_area(movement, *, by, code, title, text="", organisations=()) -> ContentArea:
    locked = _editable(movement, by)
    code, title, text = _code_text(code, title, text)
    if locked.content_areas.filter(code=code).exists():
        raise ValidationError(_("Mục %(code)s đã có.") % {"code": code})
    area = ContentArea.objects.create(movement=locked, code=code, title=title, text=text,
                                      order=locked.content_areas.count() + 1)
    area.organisations.set(organisations)
    activity.record("movement.content_area_added", actor=by, target=locked,
                    organisation=locked.issuer, after={"code": code, "title": title})
    return area


@transaction.atomic
def set_area_organisations(area, *, by, organisations) -> ContentArea:
    """The units that carry a field (a council member supervising the field follows them)."""
    locked = _editable(area.movement, by)
    wanted = {o.pk for o in organisations}
    if set(area.organisations.values_list("pk", flat=True)) != wanted:
        area.organisations.set(organisations)
        activity.record("movement.content_area_units_set", actor=by, target=locked,
                        organisation=locked.issuer,
                        after={"code": area.code, "organisations": [o.name for o in organisations]})
    return area


@transaction.atomic
def add_criterion(movement, *, by, code, participant_kind, title, text="") -> Criterion:
    locked = _editable(movement, by)
    code, title, text = _code_text(code, title, text)
    if locked.criteria.filter(code=code).exists():
        raise ValidationError(_("Mục %(code)s đã có.") % {"code": code})
    criterion = Criterion.objects.create(movement=locked, code=code, title=title, text=text,
                                         participant_kind=participant_kind,
                                         order=locked.criteria.count() + 1)
    activity.record("movement.criterion_added", actor=by, target=locked,
                    organisation=locked.issuer, after={"code": code, "title": title})
    return criterion


def _update_item(item, locked, *, by, code, title, text, **more) -> None:
    """Write the new wording of a content area or criterion and log what changed."""
    code, title, text = _code_text(code, title, text)
    siblings = type(item).objects.filter(movement=locked).exclude(pk=item.pk)
    if siblings.filter(code=code).exists():
        raise ValidationError(_("Mục %(code)s đã có.") % {"code": code})
    values = {"code": code, "title": title, "text": text, **more}
    before = {k: getattr(item, k) for k in values}
    changed = {k: v for k, v in values.items() if before[k] != v}
    if not changed:
        return
    for name, value in changed.items():
        setattr(item, name, value)
    item.save(update_fields=list(changed))
    activity.record("movement.item_updated", actor=by, target=locked, organisation=locked.issuer,
                    before={"code": before["code"], **{k: before[k] for k in changed}},
                    after={"code": code, **changed})


@transaction.atomic
def update_content_area(area, *, by, code, title, text="", organisations=None) -> ContentArea:
    """Correct a content area in place (sửa nội dung thi đua), until the movement is closed."""
    locked = _editable(area.movement, by)
    area = ContentArea.objects.select_for_update(of=("self",)).get(pk=area.pk, movement=locked)
    _update_item(area, locked, by=by, code=code, title=title, text=text)
    if organisations is not None:
        set_area_organisations(area, by=by, organisations=organisations)
    return area


@transaction.atomic
def update_criterion(criterion, *, by, code, participant_kind, title, text="") -> Criterion:
    """Correct a criterion in place (sửa tiêu chí), until the movement is closed. Once launched
    its participant kind stays: the units it is aimed at have registered against it."""
    locked = _editable(criterion.movement, by)
    criterion = Criterion.objects.select_for_update(of=("self",)).get(pk=criterion.pk,
                                                                      movement=locked)
    if participant_kind not in ParticipantKind.values:
        raise ValidationError(_("Đối tượng thi đua không hợp lệ."))
    if locked.status != Movement.Status.DRAFT and participant_kind != criterion.participant_kind:
        raise ValidationError(_("Phong trào đã phát động: không đổi đối tượng thi đua của tiêu "
                                "chí (các đơn vị đã đăng ký theo tiêu chí này)."))
    _update_item(criterion, locked, by=by, code=code, title=title, text=text,
                 participant_kind=participant_kind)
    return criterion


@transaction.atomic
def remove_structure_item(item, *, by) -> None:
    """Remove a content area or a criterion of a draft (a launched movement's criteria carry
    the units' commitments)."""
    locked = _editable(item.movement, by)
    if locked.status != Movement.Status.DRAFT:
        raise ValidationError(_("Phong trào đã phát động: không xóa nội dung, tiêu chí."))
    activity.record("movement.item_removed", actor=by, target=locked, organisation=locked.issuer,
                    before={"code": item.code, "title": item.title})
    item.delete()


# --- participants ------------------------------------------------------------------------------


@transaction.atomic
def add_participants(movement, *, by, organisations) -> int:
    """Add organisations (picked by kind and level, or one by one); one removed earlier comes
    back. Returns how many were added."""
    locked = _editable(movement, by)
    added = 0
    existing = {p.organisation_id: p for p in locked.participants.all()}
    names = []
    for org in organisations:
        found = existing.get(org.pk)
        if found is None:
            Participant.objects.create(movement=locked, organisation=org)
        elif found.removed_on is not None:
            found.removed_on = None
            found.save(update_fields=["removed_on"])
        else:
            continue
        added += 1
        names.append(org.name)
    if added:
        activity.record("movement.participants_added", actor=by, target=locked,
                        organisation=locked.issuer, after={"count": added, "names": names[:50]})
        if locked.status == Movement.Status.PUBLISHED:
            _notify_launch(locked, [o for o in organisations if o.name in names])
    return added


@transaction.atomic
def remove_participant(participant, *, by) -> str:
    """Take a unit off the movement. A unit that already sent something (a dossier, a
    registration, a plan or a report) is kept, marked as removed, so what it sent still shows
    where it came from; otherwise the row goes. Returns "kept" or "deleted"."""
    locked = _editable(participant.movement, by)
    org = participant.organisation
    sent = (locked.dossiers.filter(organisation=org).exists()
            or locked.registrations.filter(organisation=org).exists()
            or locked.unit_plans.filter(organisation=org).exists()
            or ProgressReport.objects.filter(period__movement=locked, organisation=org).exists())
    if sent:
        participant.removed_on = today()
        participant.save(update_fields=["removed_on"])
        outcome = "kept"
    else:
        participant.delete()
        outcome = "deleted"
    activity.record("movement.participant_removed", actor=by, target=locked,
                    organisation=locked.issuer, before={"organisation": org.name},
                    after={"outcome": outcome})
    return outcome


def _notify_launch(movement, organisations) -> None:
    url = reverse("movements:detail", args=[movement.slug])
    deadline = (_(" Hạn đăng ký thi đua: %(day)s.") % {"day": f"{movement.registration_deadline:%d/%m/%Y}"}
                if movement.registration_deadline else "")
    notify(unit_people(organisations),
           _("Phát động phong trào “%(title)s”: đơn vị anh/chị tham gia.") % {
               "title": movement.short_title} + deadline, url)


# --- lifecycle ---------------------------------------------------------------------------------


def launch_movement(movement, *, by, seen=None) -> Movement:
    """Phát động: needs participants and criteria; every participant is notified."""

    def prepare(locked):
        if not locked.participants.current().exists():
            raise ValidationError(_("Hãy chọn các đơn vị tham gia trước khi phát động."))
        if not locked.criteria.exists():
            raise ValidationError(_("Hãy nêu ít nhất một tiêu chí thi đua trước khi phát động."))
        locked.launched_at = timezone.now()

    with transaction.atomic():
        locked = MOVEMENT_FLOW.move(movement, "launch", by=by, seen=seen, prepare=prepare)
        units = [p.organisation for p in locked.participants.current().select_related("organisation")]
        _notify_launch(locked, units)
    return locked


def close_movement(movement, *, by, seen=None) -> Movement:
    return MOVEMENT_FLOW.move(movement, "close", by=by, seen=seen)


def summarise_movement(movement, *, by, seen=None) -> Movement:
    return MOVEMENT_FLOW.move(movement, "summarise", by=by, seen=seen)


# --- registration (đăng ký thi đua) ------------------------------------------------------------


def _participating(movement, organisation) -> None:
    if movement.status != Movement.Status.PUBLISHED:
        raise ValidationError(_("Phong trào chưa phát động hoặc đã kết thúc."))
    if not movement.participants.current().filter(organisation=organisation).exists():
        raise ValidationError(_("%(unit)s không tham gia phong trào này.") % {"unit": organisation})


def _lock_registration(movement, organisation):
    registration, _created = Registration.objects.get_or_create(movement=movement,
                                                                organisation=organisation)
    return Registration.objects.select_for_update(of=("self",)).select_related(
        "movement", "organisation").get(pk=registration.pk)


@transaction.atomic
def save_registration(movement, organisation, *, by, commitments: dict, note="") -> Registration:
    """Write the unit's commitments. ``commitments`` maps a criterion's id to a dict with
    ``kind`` ("target" | "pledge"), ``target``, ``pledged`` and ``note``; a criterion left
    without a target or a pledge is no commitment."""
    require(by, "movements.prepare", organisation)
    _participating(movement, organisation)
    registration = _lock_registration(movement, organisation)
    if not registration.is_editable:
        raise ValidationError(_("Bản đăng ký đã gửi; chỉ sửa được khi bị trả lại."))
    allowed = {c.pk: c for c in criteria_for(movement, organisation)}
    wanted = {}
    for criterion_id, row in commitments.items():
        criterion = allowed.get(int(criterion_id))
        if criterion is None:
            raise ValidationError(_("Tiêu chí không thuộc phong trào này."))
        kind = row.get("kind") or Commitment.Kind.PLEDGE
        if kind not in Commitment.Kind.values:
            raise ValidationError(_("Hình thức cam kết không hợp lệ."))
        target = bounded(nfc(row.get("target", "")), limits.TARGET, _("Chỉ tiêu"))
        pledged = bool(row.get("pledged"))
        note_text = bounded(nfc(row.get("note", "")), limits.NOTE, _("Ghi chú"))
        if kind == Commitment.Kind.TARGET and not target:
            if note_text:
                raise ValidationError(_("Tiêu chí “%(c)s”: hãy ghi chỉ tiêu.") % {"c": criterion.title})
            continue
        if kind == Commitment.Kind.PLEDGE and not pledged:
            continue
        wanted[criterion.pk] = {"kind": kind, "target": target if kind == "target" else "",
                                "pledged": kind == "pledge", "note": note_text}
    registration.commitments.exclude(criterion_id__in=wanted).delete()
    for criterion_id, values in wanted.items():
        Commitment.objects.update_or_create(registration=registration, criterion_id=criterion_id,
                                            defaults=values)
    registration.note = bounded(nfc_lines(note), limits.REASON, _("Ghi chú chung"))
    registration.save(update_fields=["note"])
    activity.record("registration.saved", actor=by, target=registration, organisation=organisation,
                    after={"commitments": len(wanted)})
    return registration


def submit_registration(registration, *, by, seen=None) -> Registration:
    """The unit head approves and sends, by the deadline."""

    def prepare(locked):
        if registration_is_late(locked.movement):
            raise ValidationError(_(
                "Đã quá hạn đăng ký thi đua (%(day)s). Chỉ cơ quan thường trực tiếp nhận bản đăng ký "
                "sau hạn, kèm lý do; hãy liên hệ %(office)s.") % {
                    "day": f"{locked.movement.registration_deadline:%d/%m/%Y}",
                    "office": locked.movement.council_secretariat})
        if not locked.commitments.exists():
            raise ValidationError(_("Bản đăng ký chưa có cam kết nào."))
        _participating(locked.movement, locked.organisation)
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.return_reason = ""

    with transaction.atomic():
        done = REGISTRATION_FLOW.move(registration, "submit", by=by, seen=seen, prepare=prepare)
        notify(office_people(done.movement),
               _("%(unit)s gửi đăng ký thi đua “%(title)s”.") % {
                   "unit": done.organisation, "title": done.movement.short_title},
               reverse("movements:registrations", args=[done.movement.slug]))
    return done


def accept_registration(registration, *, by, seen=None) -> Registration:
    def prepare(locked):
        locked.decided_at, locked.decided_by = timezone.now(), by

    return REGISTRATION_FLOW.move(registration, "accept", by=by, seen=seen, prepare=prepare)


def _reason(reason, message) -> str:
    reason = bounded(nfc_lines(reason), limits.REASON, _("Lý do"))
    if not reason:
        raise ValidationError(message)
    return reason


def return_registration(registration, *, by, reason, seen=None) -> Registration:
    reason = _reason(reason, _("Hãy ghi lý do trả lại để đơn vị sửa."))

    def prepare(locked):
        locked.return_reason = reason
        locked.decided_at, locked.decided_by = timezone.now(), by

    with transaction.atomic():
        done = REGISTRATION_FLOW.move(registration, "return_registration", by=by, seen=seen,
                                      prepare=prepare, reason=reason)
        notify(unit_people([done.organisation]),
               _("Đăng ký thi đua bị trả lại: %(reason)s") % {"reason": reason},
               reverse("movements:register", args=[done.movement.slug]))
    return done


def accept_late_registration(movement, organisation, *, by, reason) -> Registration:
    """After the deadline the unit can no longer send; the office may still take in what it
    prepared (or an empty registration it will complete), with the reason logged."""
    reason = _reason(reason, _("Tiếp nhận sau hạn cần ghi rõ lý do."))
    with transaction.atomic():
        require(by, "movements.monitor", movement)
        if not registration_is_late(movement):
            raise ValidationError(_("Chưa hết hạn đăng ký: đơn vị tự gửi bản đăng ký của mình."))
        _participating(movement, organisation)
        registration, _created = Registration.objects.get_or_create(movement=movement,
                                                                    organisation=organisation)

        def prepare(locked):
            locked.late_reason = reason
            locked.decided_at, locked.decided_by = timezone.now(), by

        return REGISTRATION_FLOW.move(registration, "accept_late", by=by, prepare=prepare,
                                      reason=reason)


# --- unit plans --------------------------------------------------------------------------------


def file_unit_plan(movement, organisation, *, by, number="", issued_on=None, text="",
                   uploaded_file=None) -> UnitPlan:
    """The unit's implementation plan: an uploaded document, a text composed from the template,
    or both. Filing again replaces it (the log keeps each filing)."""
    number = bounded(nfc(number), limits.NUMBER, _("Số kế hoạch"))
    text = bounded(nfc_lines(text), limits.PLAN_TEXT, _("Nội dung kế hoạch"))
    checked = check_upload(uploaded_file, allowed={"pdf", "docx"}) if uploaded_file else None
    require(by, "movements.prepare", organisation)
    plan = UnitPlan.objects.filter(movement=movement, organisation=organisation).first() \
        or UnitPlan(movement=movement, organisation=organisation)
    if checked is None and not text and not plan.file:
        raise ValidationError(_("Hãy tải lên văn bản kế hoạch hoặc soạn nội dung kế hoạch."))
    if checked is not None:
        plan.file.save(server_file_name(checked, prefix="movements/plans/"), uploaded_file,
                       save=False)
    with kept_only_if_saved(plan.file) if checked is not None else transaction.atomic():
        _participating(Movement.objects.select_for_update(of=("self",)).get(pk=movement.pk),
                       organisation)
        plan.number, plan.issued_on, plan.text, plan.filed_by = number, issued_on, text, by
        if checked is not None:
            plan.file_name, plan.file_sha256 = checked.original_name, checked.sha256
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise ValidationError(_("Kế hoạch của đơn vị vừa được người khác gửi; hãy tải lại "
                                    "trang.")) from None
        activity.record("unit_plan.filed", actor=by, target=movement, organisation=organisation,
                        after={"number": number, "file": checked.original_name if checked else "",
                               "sha256": checked.sha256 if checked else ""})
    return plan


# --- progress reports and review rounds --------------------------------------------------------


@transaction.atomic
def add_period(movement, *, by, kind, title, starts_on, ends_on, due_on) -> ReportPeriod:
    locked = _editable(movement, by)
    title = bounded(nfc(title), limits.NAME, _("Tên kỳ báo cáo"))
    if not title:
        raise ValidationError(_("Hãy đặt tên kỳ báo cáo."))
    if kind not in ReportPeriod.Kind.values:
        raise ValidationError(_("Loại kỳ báo cáo không hợp lệ."))
    if not (starts_on <= ends_on <= due_on):
        raise ValidationError(_("Kỳ báo cáo phải bắt đầu trước khi kết thúc, và hạn gửi không "
                                "trước ngày kết thúc kỳ."))
    if locked.report_periods.filter(title=title).exists():
        raise ValidationError(_("Đã có kỳ báo cáo “%(title)s”.") % {"title": title})
    period = ReportPeriod.objects.create(movement=locked, kind=kind, title=title,
                                         starts_on=starts_on, ends_on=ends_on, due_on=due_on)
    activity.record("movement.period_added", actor=by, target=locked, organisation=locked.issuer,
                    after={"title": title, "due_on": due_on})
    return period


@transaction.atomic
def conclude_period(period, *, by, conclusion, concluded_on: date | None = None) -> ReportPeriod:
    """Record a review round's conclusion (kết luận sơ kết, tổng kết)."""
    locked_movement = _lock(period.movement)
    require(by, "movements.manage", locked_movement)
    if not period.is_review_round:
        raise ValidationError(_("Chỉ kỳ sơ kết, tổng kết mới ghi kết luận."))
    conclusion = bounded(nfc_lines(conclusion), limits.CONCLUSION, _("Kết luận"))
    if not conclusion:
        raise ValidationError(_("Hãy ghi nội dung kết luận."))
    period = ReportPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)
    before = period.conclusion
    period.conclusion = conclusion
    period.concluded_on = concluded_on or today()
    period.concluded_by = by
    period.save(update_fields=["conclusion", "concluded_on", "concluded_by"])
    activity.record("review_round.concluded", actor=by, target=locked_movement,
                    organisation=locked_movement.issuer, before={"conclusion": before[:300]},
                    after={"period": period.title, "conclusion": conclusion[:300]})
    return period


def _figure(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Số liệu “%(value)s” không phải là số.") % {"value": value}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationError(_("Số liệu “%(value)s” không hợp lệ.") % {"value": value})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def save_report(period, organisation, *, by, entries: dict, summary="") -> ProgressReport:
    """Write the unit's report for the period: per criterion (id) ``done``, ``figure``, ``note``."""
    require(by, "movements.prepare", organisation)
    movement = period.movement
    _participating(movement, organisation)
    report, _created = ProgressReport.objects.get_or_create(period=period, organisation=organisation)
    report = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError(_("Báo cáo đã gửi; chỉ sửa được khi bị trả lại."))
    allowed = {c.pk: c for c in criteria_for(movement, organisation)}
    kept = []
    for criterion_id, row in entries.items():
        criterion = allowed.get(int(criterion_id))
        if criterion is None:
            raise ValidationError(_("Tiêu chí không thuộc phong trào này."))
        done = bounded(nfc_lines(row.get("done", "")), limits.REASON, _("Kết quả thực hiện"))
        note = bounded(nfc(row.get("note", "")), limits.NOTE, _("Ghi chú"))
        figure = _figure(row.get("figure"))
        if not (done or figure is not None or note):
            continue
        ProgressEntry.objects.update_or_create(report=report, criterion=criterion, defaults={
            "done": done, "figure": figure, "note": note})
        kept.append(criterion.pk)
    report.entries.exclude(criterion_id__in=kept).delete()
    report.summary = bounded(nfc_lines(summary), limits.CONCLUSION, _("Đánh giá chung"))
    report.save(update_fields=["summary"])
    activity.record("progress_report.saved", actor=by, target=report, organisation=organisation,
                    after={"period": period.title, "entries": len(kept)})
    return report


def add_evidence(report, *, by, uploaded_file) -> Evidence:
    checked = check_upload(uploaded_file)
    require(by, "movements.prepare", report.organisation)
    evidence = Evidence(report=report, file_name=checked.original_name, sha256=checked.sha256,
                        uploaded_by=by)
    evidence.file.save(server_file_name(checked, prefix="movements/evidence/"), uploaded_file,
                       save=False)
    with kept_only_if_saved(evidence.file):
        locked = ProgressReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if not locked.is_editable:
            raise ValidationError(_("Báo cáo đã gửi; chỉ bổ sung minh chứng khi bị trả lại."))
        evidence.save()
        activity.record("progress_report.evidence_added", actor=by, target=locked,
                        organisation=locked.organisation,
                        after={"name": checked.original_name, "sha256": checked.sha256})
    return evidence


def submit_report(report, *, by, seen=None) -> ProgressReport:
    def prepare(locked):
        if not (locked.entries.exists() or locked.summary):
            raise ValidationError(_("Báo cáo chưa có nội dung."))
        _participating(locked.period.movement, locked.organisation)
        locked.submitted_at, locked.submitted_by = timezone.now(), by
        locked.return_reason = ""

    with transaction.atomic():
        done = REPORT_FLOW.move(report, "submit", by=by, seen=seen, prepare=prepare)
        movement = done.period.movement
        notify(office_people(movement),
               _("%(unit)s gửi báo cáo “%(period)s”.") % {"unit": done.organisation,
                                                          "period": done.period.title},
               reverse("movements:period", args=[movement.slug, done.period.pk]))
    return done


def accept_report(report, *, by, seen=None) -> ProgressReport:
    return REPORT_FLOW.move(report, "accept", by=by, seen=seen)


def return_report(report, *, by, reason, seen=None) -> ProgressReport:
    reason = _reason(reason, _("Hãy ghi lý do trả lại để đơn vị sửa."))

    def prepare(locked):
        locked.return_reason = reason

    with transaction.atomic():
        done = REPORT_FLOW.move(report, "return_report", by=by, seen=seen, prepare=prepare,
                                reason=reason)
        notify(unit_people([done.organisation]),
               _("Báo cáo “%(period)s” bị trả lại: %(reason)s") % {
                   "period": done.period.title, "reason": reason},
               reverse("movements:report", args=[done.period.movement.slug, done.period.pk]))
    return done


# --- supervision -------------------------------------------------------------------------------


@transaction.atomic
def assign_supervision(movement, *, by, member, content_area=None, organisation=None) -> Supervision:
    """Give a council member a field and/or an area to follow (plan III.5)."""
    locked = _editable(movement, by)
    if content_area is None and organisation is None:
        raise ValidationError(_("Hãy chọn lĩnh vực hoặc địa bàn, đơn vị được phân công."))
    if content_area is not None and content_area.movement_id != locked.pk:
        raise ValidationError(_("Lĩnh vực không thuộc phong trào này."))
    if not any(m.role == Role.COUNCIL_MEMBER and m.organisation_id == locked.issuer_id
               for m in member.active_memberships()):
        raise ValidationError(_("%(name)s không phải thành viên Hội đồng TĐKT của %(issuer)s.")
                              % {"name": member, "issuer": locked.issuer})
    supervision, created = Supervision.objects.get_or_create(
        movement=locked, member=member, content_area=content_area, organisation=organisation)
    if created:
        activity.record("supervision.assigned", actor=by, target=locked,
                        organisation=locked.issuer,
                        after={"member": str(member),
                               "content_area": str(content_area or ""),
                               "organisation": str(organisation or "")})
    return supervision


@transaction.atomic
def remove_supervision(supervision, *, by) -> None:
    locked = _editable(supervision.movement, by)
    activity.record("supervision.removed", actor=by, target=locked, organisation=locked.issuer,
                    before={"member": str(supervision.member)})
    supervision.delete()


def organisations_by(movement, *, kinds=(), levels=()):
    """The active organisations under the movement's issuer of the given kinds and levels (the
    "pick by kind and level" of the participants form)."""
    qs = Organisation.objects.active_on().filter(path__startswith=movement.issuer.path).exclude(
        pk=movement.issuer_id)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if levels:
        qs = qs.filter(level__in=levels)
    return qs
