"""Every write to dossiers, nominees, documents and the award register.

Each action is atomic, checks permission with ``require`` and the dossier's state with a clear
Vietnamese message, and leaves an activity-log row. Moves between states go through
:data:`DOSSIER_FLOW` (``thidua.core.workflow``), the one way a dossier changes state.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import activity
from thidua.core.models import Activity
from thidua.core.notify import notify
from thidua.core.numbers import number_key
from thidua.core.permissions import require
from thidua.core.text import fold, formula_prefix, nfc
from thidua.core.uploads import (
    UploadRejected,
    check_upload,
    kept_only_if_saved,
    server_file_name,
)
from thidua.core.workdays import add_working_days
from thidua.core.workflow import Workflow
from thidua.movements.models import ContentArea, Movement
from thidua.nominations import bulk, limits
from thidua.nominations.bulk import BulkReport
from thidua.nominations.choices import NomineeKind, NomineeRow
from thidua.nominations.classification import classify, content_areas
from thidua.nominations.completeness import checklist, kind_lines, submission_problems
from thidua.nominations.duplicates import comparable_nominees
from thidua.nominations.models import (
    REJECTED_SHEET_FOLDER,
    Attachment,
    AttachmentVersion,
    AwardRecord,
    ChecklistMark,
    CommitteeConclusion,
    Deficiency,
    Dossier,
    DossierSnapshot,
    Nominee,
    RejectedSheet,
    Subject,
    person_key,
)
from thidua.nominations.subjects import Identity, match_subjects, save_new, subject_for
from thidua.orgs.models import Membership, Role
from thidua.rulesets.models import DocumentType

DEFAULT_PROCESSING_DAYS = 15
NOMINEE_FIELDS = ["kind", "full_name", "gender", "birth_year", "birth_date", "ethnicity",
                  "position", "unit_name", "category", "collective_kind", "leader",
                  "achievement_summary", "citation", "note"]
STALE = gettext_lazy("Hồ sơ vừa được người khác thay đổi (trạng thái hiện tại: %(state)s). "
                     "Hãy tải lại trang để xem và thao tác lại.")
REJECTED_SHEET_LIFETIME = timedelta(hours=24)


def _people(organisation, *roles):
    return [m.user for m in Membership.objects.active_on().filter(
        organisation=organisation, role__in=roles).select_related("user")]


def _dossier_url(dossier):
    return reverse("nominations:detail", args=[dossier.pk])


# Texts that name someone or something: printed on decisions and certificates, copied into the
# register and every list we write. One that a spreadsheet would run as a formula is refused
# here, whichever way it came (the Excel import refuses every cell so, naming it).
NAMING_FIELDS = ("full_name", "ethnicity", "position", "unit_name", "leader")
FORMULA_NAME = gettext_lazy("“%(field)s” không được bắt đầu bằng “%(prefix)s” (bảng tính có thể "
                            "chạy nó như công thức); hãy bỏ ký tự này.")


def _label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _lazy_labels(model, names) -> dict:
    """The fields' names as the messages print them, translated only when a message is made: a
    5,000-row list checks every text but seldom has anything to say."""
    return {name: model._meta.get_field(name).verbose_name for name in names}


def _text_problems(values: dict, sizes: dict, labels: dict, naming=()) -> list[str]:
    """What is wrong with the texts of ``values``: over their limit (``sizes``), or, for the
    ``naming`` fields, starting like a formula. ``labels`` name the fields."""
    problems = []
    for name, limit in sizes.items():
        text = values.get(name) or ""
        if message := limits.too_long(labels[name], text, limit):
            problems.append(message)
        if name in naming and (prefix := formula_prefix(text)):
            problems.append(str(FORMULA_NAME) % {"field": labels[name], "prefix": prefix})
    return problems


def _in_row(row_number, problems: list[str]) -> list[str]:
    if not row_number:
        return problems
    return [_("Dòng %(row)s: %(problem)s") % {"row": row_number, "problem": p} for p in problems]


def _require_fits(label, text: str, limit: int) -> str:
    if message := limits.too_long(label, text, limit):
        raise ValidationError(message)
    return text


def _require_editable(dossier):
    if dossier.is_editable:
        return
    if dossier.state in {Dossier.State.DRAFT, Dossier.State.RETURNED}:
        raise ValidationError(_("Danh sách này đã có trong quyết định khen thưởng của đơn vị; "
                                "không thể sửa (muốn sửa, hãy xóa dự thảo quyết định)."))
    if not dossier.is_editable:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái “%(state)s”, không thể sửa.")
            % {"state": dossier.get_state_display()})


REFUSALS = {
    "submit": gettext_lazy("Chỉ hồ sơ đang soạn hoặc bị trả lại mới trình được; hồ sơ này đang "
                           "ở trạng thái “%(state)s”."),
    "return_for_supplement": gettext_lazy("Chỉ trả lại được hồ sơ đang chờ tiếp nhận; hồ sơ này "
                                          "đang ở trạng thái “%(state)s”."),
    "accept": gettext_lazy("Chỉ tiếp nhận được hồ sơ đang chờ tiếp nhận; hồ sơ này đang ở trạng "
                           "thái “%(state)s”."),
    "withdraw": gettext_lazy("Hồ sơ ở trạng thái “%(state)s” không thể rút."),
    "conclude_committee": gettext_lazy("Chỉ hồ sơ đã tiếp nhận mới được Ban Chỉ đạo họp xét; hồ "
                                       "sơ này đang ở trạng thái “%(state)s”."),
    "forward_to_council": gettext_lazy("Chỉ chuyển Hội đồng được hồ sơ Ban Chỉ đạo đã họp xét; "
                                       "hồ sơ này đang ở trạng thái “%(state)s”."),
    "conclude_council": gettext_lazy("Chỉ hồ sơ đã chuyển Hội đồng mới có kết quả xét; hồ sơ này "
                                     "đang ở trạng thái “%(state)s”."),
    "decide_by_unit": gettext_lazy("Chỉ danh sách đơn vị đang lập mới được đơn vị quyết định khen "
                                   "thưởng; danh sách này đang ở trạng thái “%(state)s”."),
}

DOSSIER_FLOW = Workflow(
    model=Dossier,
    verb_prefix="dossier",
    perms={
        "submit": "nominations.submit_dossier",
        "return_for_supplement": "nominations.review_dossier",
        "accept": "nominations.review_dossier",
        "withdraw": "nominations.withdraw_dossier",
        "forward_to_council": "nominations.review_dossier",
        # conclude_committee, conclude_council and decide_by_unit have no permission here:
        # they only follow another act that was checked (closing the committee's or the
        # council's meeting, issuing the unit's decision).
    },
    organisation=lambda dossier: dossier.organisation,
    refusals=REFUSALS,
    stale=STALE,
    select_related=("movement__rule_set", "movement__receiving_office", "organisation",
                    "award_form"),
)


def _with_round(dossier) -> dict:
    # Each move's log row also keeps the submission round it happened in.
    return {"round": dossier.round}


def _seen(dossier, expected_round=None) -> dict:
    """What the user's page showed: the state as read, and the submission round when the page
    sent it (a clerk's click on a page opened before a return and resubmission must not act on
    the new round unseen)."""
    return {"state": dossier.state, "round": expected_round}


def _lock(dossier, expected_round=None) -> Dossier:
    """Lock the row and refuse if someone moved the dossier since the caller read it."""
    return DOSSIER_FLOW.lock(dossier, seen=_seen(dossier, expected_round))


# --- dossiers -------------------------------------------------------------------------------

@transaction.atomic
def create_dossier(*, movement: Movement, organisation, award_form, procedure="normal",
                   unit_meeting_date=None, unit_meeting_result="", by) -> Dossier:
    require(by, "nominations.create_dossier", organisation)
    if movement.status != Movement.Status.PUBLISHED:
        raise ValidationError(_("Phong trào không còn nhận hồ sơ đề nghị."))
    if not organisation.path.startswith(movement.issuer.path):
        raise ValidationError(_("Đơn vị không thuộc phạm vi của phong trào này."))
    if not movement.movement_award_forms.filter(award_form=award_form).exists():
        raise ValidationError(_("Hình thức này không có trong kế hoạch của phong trào."))
    if not award_form.may_be_proposed_by(organisation):
        raise ValidationError(
            _("%(org)s không được đề nghị hình thức “%(form)s”.")
            % {"org": organisation.name, "form": award_form.name})
    result = _require_fits(_label(Dossier, "unit_meeting_result"), nfc(unit_meeting_result),
                           limits.UNIT_MEETING_RESULT)
    dossier = Dossier.objects.create(
        movement=movement, organisation=organisation, award_form=award_form,
        procedure=procedure, unit_meeting_date=unit_meeting_date,
        unit_meeting_result=result, created_by=by,
    )
    activity.record("dossier.created", actor=by, target=dossier, organisation=organisation,
                    after={"award_form": award_form.code, "procedure": procedure})
    return dossier


@transaction.atomic
def update_dossier(dossier, *, by, **fields) -> Dossier:
    locked = _lock(dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    allowed = {"award_form", "procedure", "unit_meeting_date", "unit_meeting_result"}
    before = {k: getattr(locked, k) for k in fields if k in allowed}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(locked, name, nfc(value) if isinstance(value, str) else value)
    if "award_form" in fields and not fields["award_form"].may_be_proposed_by(locked.organisation):
        raise ValidationError(_("Đơn vị không được đề nghị hình thức này."))
    _require_fits(_label(Dossier, "unit_meeting_result"), locked.unit_meeting_result,
                  limits.UNIT_MEETING_RESULT)
    locked.save(update_fields=[*fields, "updated_at"])
    activity.record("dossier.updated", actor=by, target=locked, organisation=locked.organisation,
                    before={k: str(v) for k, v in before.items()},
                    after={k: str(getattr(locked, k)) for k in before})
    return locked


# --- nominees -------------------------------------------------------------------------------

def _clean_row(row: NomineeRow) -> dict:
    """The row's values normalised (core.text.nfc), refused with every problem when a text is
    over its limit or a name starts like a formula; a row of a sheet says which."""
    values = {name: getattr(row, name) for name in NOMINEE_FIELDS}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = nfc(value)
    if not values["full_name"]:
        raise ValidationError(_("Họ và tên (tên tập thể) không được để trống."))
    if problems := _text_problems(values, limits.NOMINEE, _lazy_labels(Nominee, limits.NOMINEE),
                                  NAMING_FIELDS):
        raise ValidationError(_in_row(row.row_number, problems))
    if values["birth_date"] and not values["birth_year"]:
        values["birth_year"] = values["birth_date"].year
    if values["kind"] == NomineeKind.COLLECTIVE:
        values.update(gender="", birth_year=None, birth_date=None, ethnicity="", category="")
    else:
        values.update(collective_kind="", leader="")
    return values


def _identity(values: dict) -> Identity:
    return Identity(kind=values["kind"], name=values["full_name"],
                    birth_year=values["birth_year"], unit=values["unit_name"],
                    gender=values["gender"])


def _next_order(dossier) -> int:
    return (dossier.nominees.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def add_nominee(dossier, row: NomineeRow, *, by) -> Nominee:
    locked = _lock(dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    values = classify(_clean_row(row), row, content_areas(locked))
    nominee = Nominee.objects.create(
        dossier=locked, subject=subject_for(_identity(values), locked.organisation),
        order=_next_order(locked), **values)
    activity.record("nominee.added", actor=by, target=locked, organisation=locked.organisation,
                    after={"nominee": nominee.full_name})
    return nominee


@transaction.atomic
def update_nominee(nominee, row: NomineeRow, *, by) -> Nominee:
    locked = _lock(nominee.dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    values = classify(_clean_row(row), row, content_areas(locked))
    before = {k: str(getattr(nominee, k)) for k in values}
    identity = ("kind", "full_name", "birth_year", "unit_name")
    changed_identity = any(fold(str(values[k] or "")) != fold(str(getattr(nominee, k) or ""))
                           for k in identity)
    for name, value in values.items():
        setattr(nominee, name, value)
    fields = [*values, "name_folded", "unit_folded", "person_key"]
    if changed_identity:
        # A corrected name, birth year or unit may be another person: match the subject again.
        nominee.subject = subject_for(_identity(values), locked.organisation)
        nominee.duplicate_confirmed = False
        fields += ["subject", "duplicate_confirmed"]
    nominee.save(update_fields=fields)
    activity.record("nominee.updated", actor=by, target=locked, organisation=locked.organisation,
                    before=before, after={k: str(v) for k, v in values.items()})
    return nominee


@transaction.atomic
def remove_nominee(nominee, *, by) -> None:
    locked = _lock(nominee.dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    if AttachmentVersion.objects.filter(attachment__nominee=nominee,
                                        round__lt=locked.round).exists():
        raise ValidationError(_("%(name)s có tài liệu đã nộp ở lần trình trước nên không thể xóa "
                                "khỏi danh sách; hãy rút hồ sơ và lập hồ sơ mới nếu cần.")
                              % {"name": nominee.full_name})
    name = nominee.full_name
    files = [v.file for v in AttachmentVersion.objects.filter(attachment__nominee=nominee)]
    nominee.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])
    activity.record("nominee.removed", actor=by, target=locked, organisation=locked.organisation,
                    before={"nominee": name})


@transaction.atomic
def import_nominees(dossier, rows: list[NomineeRow], *, by, source_sha256: str = "") -> int:
    """Add every row or none: a failure on any row rolls the whole list back.

    ``source_sha256`` identifies the uploaded file: the same file imported twice into one dossier
    (a second click on a slow connection) is refused instead of doubling the list.
    """
    locked = _lock(dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    if not rows:
        raise ValidationError(_("Danh sách không có dòng nào."))
    if source_sha256 and Activity.objects.for_object(locked).filter(
            verb="nominees.imported", after__sha256=source_sha256).exists():
        raise ValidationError(_("Tệp danh sách này đã được nhập vào hồ sơ; không nhập lại để "
                                "tránh trùng. Nếu cần, hãy sửa tệp rồi nhập phần bổ sung."))
    _require_dossier_form(locked, rows)
    areas = content_areas(locked)  # once: each row is a dictionary look-up
    cleaned = [classify(_clean_row(r), r, areas) for r in rows]
    subjects = match_subjects([_identity(v) for v in cleaned], locked.organisation)
    save_new(subjects)
    start = _next_order(locked)
    # bulk_create skips Nominee.save(): the folded fields are the subject's, which the match
    # found (or made) by exactly these folded name and unit.
    Nominee.objects.bulk_create([
        Nominee(dossier=locked, subject=subject, order=start + i,
                name_folded=subject.name_folded, unit_folded=subject.unit_folded,
                person_key=person_key(subject.name_folded, values["birth_year"]),
                **values)
        for i, (values, subject) in enumerate(zip(cleaned, subjects, strict=True))
    ], batch_size=1000)
    locked.save(update_fields=["updated_at"])
    activity.record("nominees.imported", actor=by, target=locked, organisation=locked.organisation,
                    after={"rows": len(rows), "sha256": source_sha256})
    return len(rows)


def _require_dossier_form(locked, rows) -> None:
    """A dossier proposes one form: rows naming another one are refused, each named."""
    other = [r for r in rows if r.award_form_code and r.award_form_code != locked.award_form.code]
    if other:
        raise ValidationError([
            _("Dòng %(row)s đề nghị hình thức khác với hình thức của hồ sơ (“%(form)s”); mỗi hồ "
              "sơ chỉ đề nghị một hình thức.") % {"row": r.row_number or "?",
                                                  "form": locked.award_form.name}
            for r in other[:20]])


@transaction.atomic
def confirm_not_duplicate(nominee, *, by) -> Nominee:
    """The officer says the look-alike nominees elsewhere are other people."""
    locked = _lock(nominee.dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    shared = Nominee.objects.filter(subject=nominee.subject).exclude(pk=nominee.pk).exists()
    if shared:
        # Matched automatically to the same subject: give this one a subject of its own.
        nominee.subject = Subject.objects.create(
            kind=nominee.kind, name=nominee.full_name, birth_year=nominee.birth_year,
            gender=nominee.gender, unit_name=nominee.unit_name, organisation=locked.organisation)
    nominee.duplicate_confirmed = True
    nominee.save(update_fields=["duplicate_confirmed", "subject"])
    activity.record("nominee.duplicate_confirmed", actor=by, target=locked,
                    organisation=locked.organisation, after={"nominee": nominee.full_name})
    return nominee


@transaction.atomic
def link_subject(nominee, subject: Subject, *, by) -> Nominee:
    """The officer says this nominee is that existing person or collective: one nominated with
    the same name in this movement, in a dossier the list is compared with (the duplicate
    warnings offer exactly those). A subject known only from another unit's unsent draft is
    refused like one that does not exist: the warnings and the register do not show it."""
    locked = _lock(nominee.dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    if not comparable_nominees(locked).filter(subject=subject,
                                              name_folded=nominee.name_folded).exists():
        raise ValidationError(_("Chỉ liên kết được với người, tập thể cùng tên đã được đề nghị "
                                "trong phong trào này."))
    if subject.kind != nominee.kind:
        raise ValidationError(_("Không thể liên kết cá nhân với tập thể."))
    before = nominee.subject_id
    nominee.subject = subject
    nominee.duplicate_confirmed = True
    nominee.save(update_fields=["subject", "duplicate_confirmed"])
    activity.record("nominee.linked", actor=by, target=locked, organisation=locked.organisation,
                    before={"subject": before}, after={"subject": subject.pk})
    return nominee


# --- documents ------------------------------------------------------------------------------

def attach_document(dossier, *, document_type, uploaded_file, by, nominee=None, original=True,
                    attachment=None) -> AttachmentVersion:
    """Store an uploaded document (checked by content) as a new version; replacing keeps the
    earlier versions."""
    checked = check_upload(uploaded_file)  # before any write: a refused file leaves nothing
    require(by, "nominations.edit_dossier", dossier)
    # The file is written before the row lock (a slow disk must not hold it) and removed again
    # if anything below fails, so a refused or rolled-back upload leaves nothing behind.
    version = AttachmentVersion(
        original_name=checked.original_name, kind=checked.kind,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        uploaded_by=by,
    )
    version.file.save(server_file_name(checked), uploaded_file, save=False)
    with kept_only_if_saved(version.file):
        locked = _lock(dossier)
        require(by, "nominations.edit_dossier", locked)
        _require_editable(locked)
        if nominee is not None and nominee.dossier_id != locked.pk:
            raise ValidationError(_("Người, tập thể này không thuộc hồ sơ."))
        if attachment is None:
            attachment = Attachment.objects.create(
                dossier=locked, nominee=nominee, document_type=document_type,
                original=original)
        elif attachment.dossier_id != locked.pk:
            raise ValidationError(_("Tài liệu không thuộc hồ sơ."))
        version.attachment = attachment
        version.round = locked.round
        version.save()
        locked.save(update_fields=["updated_at"])
        activity.record("document.uploaded", actor=by, target=locked,
                        organisation=locked.organisation,
                        after={"type": document_type, "name": checked.original_name,
                               "sha256": checked.sha256, "attachment": attachment.pk})
    return version


def attach_nominee_documents(dossier, *, document_type, files, by, original=True) -> BulkReport:
    """Many nominees' documents at once (a ZIP or several files): each file is checked by
    content, matched to a nominee by row number or name (``bulk.Matcher``) and stored as that
    nominee's document of ``document_type`` — a new version when the nominee has one. Refused and
    unmatched files are reported, never stored; the matched ones are stored together or not at
    all, with one activity row."""
    require(by, "nominations.edit_dossier", dossier)
    _require_editable(dossier)  # before reading a single file: a clear refusal at once
    if document_type not in bulk.NOMINEE_DOCUMENT_TYPES:
        raise ValidationError(_("Loại tài liệu này không phải tài liệu của từng người, tập thể."))
    matcher = bulk.Matcher(dossier.nominees.order_by("order", "pk")
                           .values_list("pk", "full_name", "name_folded"))
    report = bulk.BulkReport()
    pending = []  # (nominee pk, unsaved version whose file is already written)
    try:
        for name, source, refusal in bulk.expand(files):
            if refusal:
                report.refused.append((name, refusal))
                continue
            try:
                checked = check_upload(source)
            except UploadRejected as exc:
                reason = bulk.nested_archive() if exc.code == "not_ooxml" else exc.message
                report.refused.append((name, reason))
                continue
            nominee, reason = matcher.match(checked.original_name)
            if nominee is None:
                report.unmatched.append((name, reason))
                continue
            version = AttachmentVersion(
                original_name=checked.original_name, kind=checked.kind,
                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                uploaded_by=by)
            # Written before the row lock, as attach_document does; removed below on failure.
            version.file.save(server_file_name(checked), source, save=False)
            pending.append((nominee[0], version))
            report.matched.append((name, nominee[1], nominee[2]))
        if pending:
            _store_matched(dossier, document_type, original, pending, report, by)
    except BaseException:
        for _pk, version in pending:
            version.file.delete(save=False)
        raise
    return report


@transaction.atomic
def _store_matched(dossier, document_type, original, pending, report, by):
    locked = _lock(dossier)
    require(by, "nominations.edit_dossier", locked)
    _require_editable(locked)
    wanted = {pk for pk, _version in pending}
    if locked.nominees.filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError(_("Danh sách vừa được người khác thay đổi; hãy tải lại trang rồi "
                                "tải lên lại."))
    existing = {}
    for attachment in locked.attachments.filter(nominee__in=wanted, document_type=document_type
                                                ).order_by("pk"):
        existing.setdefault(attachment.nominee_id, attachment)
    created = Attachment.objects.bulk_create([
        Attachment(dossier=locked, nominee_id=pk, document_type=document_type, original=original)
        for pk in sorted(wanted - set(existing))])
    existing.update({a.nominee_id: a for a in created})
    for pk, version in pending:
        version.attachment = existing[pk]
        version.round = locked.round
    AttachmentVersion.objects.bulk_create([version for _pk, version in pending])
    locked.save(update_fields=["updated_at"])
    activity.record("documents.bulk_uploaded", actor=by, target=locked,
                    organisation=locked.organisation,
                    after={"type": document_type, "matched": len(report.matched),
                           "new_versions": len(pending) - len(created),
                           "unmatched": len(report.unmatched), "refused": len(report.refused),
                           "files": [name for name, _n, _r in report.matched][:200]})


# --- the workflow ---------------------------------------------------------------------------

# A nominee in a snapshot: its fields, and what it is for (the content area's id, labelled once
# in the snapshot's "content_areas"; the participant kind's value). nominations.diff reads them.
SNAPSHOT_FIELDS = [*NOMINEE_FIELDS, "content_area", "participant_kind"]


def snapshot(dossier) -> dict:
    """What the dossier holds, for the diff between rounds. Read as plain values in four
    queries at most (no model instance per nominee or file, the content areas' labels once):
    a list of thousands is saved in moments."""
    nominees = {pk: values for pk, *values in
                dossier.nominees.values_list("pk", *SNAPSHOT_FIELDS)}
    area = SNAPSHOT_FIELDS.index("content_area")
    used = {v[area] for v in nominees.values() if v[area] is not None}
    areas = {str(pk): f"{code}. {title}" for pk, code, title in (
        ContentArea.objects.filter(pk__in=used).values_list("pk", "code", "title")
        if used else ())}
    latest = {}
    for attachment_id, name, sha256 in (
            AttachmentVersion.objects.filter(attachment__dossier=dossier)
            .order_by("attachment_id", "-uploaded_at", "-pk")
            .values_list("attachment_id", "original_name", "sha256")):
        latest.setdefault(attachment_id, (name, sha256))
    names = dict(zip(nominees, (v[NOMINEE_FIELDS.index("full_name")] for v in
                                nominees.values()), strict=True))
    labels = dict(DocumentType.choices)
    return {
        "award_form": dossier.award_form.name,
        "procedure": dossier.get_procedure_display(),
        "unit_meeting_date": dossier.unit_meeting_date.isoformat()
        if dossier.unit_meeting_date else "",
        "unit_meeting_result": dossier.unit_meeting_result,
        "nominees": {
            str(pk): {f: str(v or "") for f, v in zip(SNAPSHOT_FIELDS, values, strict=True)}
            for pk, values in nominees.items()
        },
        "content_areas": areas,
        "documents": {
            str(pk): {
                "type": str(labels.get(document_type, document_type)),
                "nominee": names.get(nominee_id, "") if nominee_id else "",
                "file": latest.get(pk, ("", ""))[0],
                "sha256": latest.get(pk, ("", ""))[1],
            } for pk, document_type, nominee_id in
            dossier.attachments.values_list("pk", "document_type", "nominee_id")
        },
    }


@transaction.atomic
def submit_dossier(dossier, *, by) -> Dossier:
    """Trình hồ sơ: needs a complete checklist and the unit head's role."""

    def prepare(locked):
        if locked.award_form.decided_by(locked.organisation):
            raise ValidationError(_("“%(form)s” thuộc thẩm quyền của %(org)s: không trình lên "
                                    "thành phố, hãy lập quyết định khen thưởng của đơn vị.")
                                  % {"form": locked.award_form.name, "org": locked.organisation.name})
        problems = submission_problems(locked)  # counted in SQL, whatever the list's length
        if problems:
            raise ValidationError(problems)
        locked.round += 1
        now = timezone.now()
        locked.submitted_at = now
        days = locked.award_form.processing_working_days or DEFAULT_PROCESSING_DAYS
        locked.due_on = add_working_days(timezone.localdate(now), days)

    locked = DOSSIER_FLOW.move(dossier, "submit", by=by, prepare=prepare, after=_with_round)
    DossierSnapshot.objects.create(dossier=locked, round=locked.round, data=snapshot(locked))
    notify(_people(locked.movement.receiving_office, Role.RECEIVING_OFFICE),
           _("%(org)s đã trình hồ sơ đề nghị “%(form)s” (lần %(round)s).")
           % {"org": locked.organisation.name, "form": locked.award_form.name,
              "round": locked.round}, _dossier_url(locked))
    return locked


def _checklist_labels(locked, key=None) -> dict[str, str]:
    """The office marks a document kind as a whole (its key is the document type); marks of one
    nominee's document ("achievement_report:12", made before the checklist was counted per
    kind) keep their labels. The per-nominee expansion is computed only when such a key asks."""
    labels = {line.key: line.label for line in kind_lines(locked)}
    if key is None or (key not in labels and ":" in key):
        nominees = list(locked.nominees.all())
        attachments = list(locked.attachments.prefetch_related("versions"))
        labels |= {item.key: item.label for item in checklist(locked, nominees, attachments)}
    return labels


@transaction.atomic
def mark_item(dossier, *, item_key: str, ok: bool, note="", by,
              expected_round=None) -> ChecklistMark:
    """The office's tick (Đạt / Chưa đạt) on one checklist item of the current round."""
    locked = _lock(dossier, expected_round)
    require(by, "nominations.review_dossier", locked)
    if locked.state != Dossier.State.SUBMITTED:
        raise ValidationError(str(REFUSALS["accept"]) % {"state": locked.get_state_display()})
    if item_key not in _checklist_labels(locked, item_key):
        raise ValidationError(_("Mục này không có trong thành phần hồ sơ."))
    note = _require_fits(_label(ChecklistMark, "note"), nfc(note), limits.MARK_NOTE)
    mark, _created = ChecklistMark.objects.update_or_create(
        dossier=locked, round=locked.round, item_key=item_key,
        defaults={"ok": ok, "note": note, "marked_by": by},
    )
    return mark


@transaction.atomic
def return_dossier(dossier, *, by, other: str = "",
                   deficiencies: list[tuple[str, str, str]] = (), reason="",
                   expected_round=None) -> Dossier:
    """Trả lại để bổ sung with itemised deficiencies: every item marked "Chưa đạt" this round,
    plus ``deficiencies`` given as (item key, item label, what is wrong) and ``other`` text."""
    collected = []

    def prepare(locked):
        marks = list(locked.marks.filter(round=locked.round, ok=False))
        legacy = next((m.item_key for m in marks if ":" in m.item_key), "")
        labels = _checklist_labels(locked, legacy)
        for mark in marks:
            collected.append((mark.item_key, labels.get(mark.item_key, mark.item_key),
                              mark.note or _("Chưa đạt")))
        collected.extend(deficiencies)
        if nfc(other):
            collected.append(("", _("Nội dung khác"), other))
        collected[:] = [(k, nfc(label), nfc(msg)) for k, label, msg in collected if nfc(msg)]
        if not collected:
            raise ValidationError(_("Hãy ghi rõ ít nhất một nội dung cần bổ sung, sửa."))
        too_long = [limits.too_long(label, msg, limits.DEFICIENCY) for _k, label, msg in collected]
        if any(too_long):
            raise ValidationError([m for m in too_long if m])

    locked = DOSSIER_FLOW.move(dossier, "return_for_supplement", by=by, reason=nfc(reason),
                               prepare=prepare, seen=_seen(dossier, expected_round),
                               after=_with_round)
    Deficiency.objects.bulk_create([
        Deficiency(dossier=locked, round=locked.round, item_key=k, item_label=label,
                   message=msg, created_by=by) for k, label, msg in collected
    ])
    notify(_people(locked.organisation, Role.UNIT_OFFICER, Role.UNIT_HEAD),
           _("Hồ sơ “%(form)s” bị trả lại để bổ sung: %(count)s nội dung.")
           % {"form": locked.award_form.name, "count": len(collected)}, _dossier_url(locked))
    return locked


@transaction.atomic
def accept_dossier(dossier, *, by, expected_round=None) -> Dossier:
    """Tiếp nhận: refused while any checklist item of this round is marked "Chưa đạt"."""

    def prepare(locked):
        if locked.marks.filter(round=locked.round, ok=False).exists():
            raise ValidationError(_("Còn mục được đánh dấu chưa đạt: hãy trả lại để bổ sung, "
                                    "hoặc sửa lại đánh dấu."))

    locked = DOSSIER_FLOW.move(dossier, "accept", by=by, prepare=prepare,
                               seen=_seen(dossier, expected_round), after=_with_round)
    notify(_people(locked.organisation, Role.UNIT_OFFICER, Role.UNIT_HEAD),
           _("Hồ sơ “%(form)s” đã được tiếp nhận.") % {"form": locked.award_form.name},
           _dossier_url(locked))
    return locked


# The moves below ask no permission of their own: they follow another act that was checked
# (closing a meeting, issuing a decision). So each one checks that its cause is real — the
# meeting has this dossier's people on its agenda, the decision is issued and awards them —
# and a call without such a cause is refused, whoever makes it. The cause is read through the
# dossier's own relations: this app sits below reviews and decisions and imports neither.
NOT_CAUSED = gettext_lazy("Hồ sơ chỉ chuyển sang bước này theo kết quả của phiên họp hoặc "
                          "quyết định có người, tập thể trong hồ sơ.")


def _require_meeting_cause(locked, meeting, kind: str) -> None:
    pk = getattr(meeting, "pk", None)
    if pk is None or not locked.nominees.filter(
            agenda_items__meeting=pk, agenda_items__meeting__kind=kind).exists():
        raise ValidationError(NOT_CAUSED)


def _require_decision_cause(locked, decision) -> None:
    pk = getattr(decision, "pk", None)
    if pk is None or not locked.nominees.filter(
            awards__decision=pk, awards__decision__state="issued").exists():
        raise ValidationError(NOT_CAUSED)


@transaction.atomic
def conclude_committee(dossier, *, by, cause) -> Dossier:
    """Ban Chỉ đạo đã họp xét: every nominee of the dossier has the Steering Committee's
    conclusion. Follows the closing of the committee's meeting ``cause`` by ``by``."""

    def prepare(locked):
        _require_meeting_cause(locked, cause, "committee")
        if locked.nominees.filter(committee_conclusion="").exists():
            raise ValidationError(_("Ban Chỉ đạo chưa có kết luận cho mọi người, tập thể trong "
                                    "hồ sơ."))

    return DOSSIER_FLOW.follow(dossier, "conclude_committee", by=by, cause=cause,
                               prepare=prepare, after=_with_round)


@transaction.atomic
def forward_to_council(dossier, *, by) -> Dossier:
    """Chuyển Hội đồng TĐKT qua Phòng Nội vụ: only dossiers with a proposed nominee go on."""

    def prepare(locked):
        if not locked.nominees.filter(committee_conclusion=CommitteeConclusion.PROPOSE).exists():
            raise ValidationError(_("Ban Chỉ đạo không đề nghị ai trong hồ sơ này; không có gì "
                                    "để chuyển Hội đồng."))

    locked = DOSSIER_FLOW.move(dossier, "forward_to_council", by=by, prepare=prepare,
                               after=_with_round)
    notify(_people(locked.movement.council_secretariat, Role.COUNCIL_SECRETARIAT),
           _("%(office)s đã chuyển hồ sơ #%(pk)s của %(org)s để Hội đồng TĐKT xét.")
           % {"office": locked.movement.receiving_office.name, "pk": locked.pk,
              "org": locked.organisation.name}, _dossier_url(locked))
    return locked


@transaction.atomic
def conclude_council(dossier, *, by, cause) -> Dossier:
    """Hội đồng TĐKT đã xét: every nominee the committee proposed has the council's outcome.
    Follows the closing of the council's meeting ``cause`` by ``by``."""

    def prepare(locked):
        _require_meeting_cause(locked, cause, "council")
        if locked.nominees.filter(committee_conclusion=CommitteeConclusion.PROPOSE,
                                  council_outcome="").exists():
            raise ValidationError(_("Hội đồng chưa có kết quả xét cho mọi người, tập thể được "
                                    "đề nghị trong hồ sơ."))

    locked = DOSSIER_FLOW.follow(dossier, "conclude_council", by=by, cause=cause,
                                 prepare=prepare, after=_with_round)
    notify(_people(locked.organisation, Role.UNIT_OFFICER, Role.UNIT_HEAD),
           _("Hội đồng TĐKT đã xét hồ sơ “%(form)s”; xem kết quả từng người.")
           % {"form": locked.award_form.name}, _dossier_url(locked))
    return locked


@transaction.atomic
def mark_decided_by_unit(dossier, *, by, cause) -> Dossier:
    """Đơn vị đã quyết định: the unit's own decision on this list (``cause``) was issued by
    ``by``; the list follows it."""
    return DOSSIER_FLOW.follow(dossier, "decide_by_unit", by=by, cause=cause,
                               prepare=lambda locked: _require_decision_cause(locked, cause),
                               after=_with_round)


@transaction.atomic
def withdraw_dossier(dossier, *, by, reason="") -> Dossier:
    if not nfc(reason):
        raise ValidationError(_("Hãy ghi lý do rút hồ sơ."))
    _require_fits(_("Lý do rút hồ sơ"), nfc(reason), limits.REASON)

    def prepare(locked):
        # Withdrawal is possible until the decision: once someone on the list is in an issued
        # decision, or on a proposal already sent to the higher body, it is too late.
        nominees = locked.nominees.all()
        if nominees.filter(awards__decision__state="issued").exists():
            raise ValidationError(_("Đã có quyết định khen thưởng cho người, tập thể trong hồ sơ "
                                    "này; không thể rút hồ sơ."))
        if nominees.filter(proposal_item__isnull=False).exclude(
                proposal_item__proposal__state="draft").exists():
            raise ValidationError(_("Hồ sơ đã được trình cấp trên theo tờ trình; không thể rút "
                                    "hồ sơ (đề nghị cấp trên trả lại nếu cần)."))

    locked = DOSSIER_FLOW.move(dossier, "withdraw", by=by, reason=nfc(reason), prepare=prepare,
                               after=_with_round)
    if locked.round:
        notify(_people(locked.movement.receiving_office, Role.RECEIVING_OFFICE),
               _("%(org)s đã rút hồ sơ “%(form)s”.")
               % {"org": locked.organisation.name, "form": locked.award_form.name},
               _dossier_url(locked))
    return locked


# --- the award register ---------------------------------------------------------------------

REGISTER_NAMING = ("full_name", "unit_name", "award_name", "decision_number", "issuer_name")


@transaction.atomic
def import_award_register(rows, *, by) -> int:
    """Record past awards from an Excel list; all rows or none. Returns rows added (a row
    already in the register is skipped, so importing the same list twice adds nothing).

    A row's subject follows the one matching rule (:mod:`thidua.nominations.subjects`); an old
    register has no kind column, so the kind is left to the match.
    """
    require(by, "nominations.manage_register")
    if not rows:
        raise ValidationError(_("Danh sách không có dòng nào."))
    cleaned = [{name: nfc(getattr(row, name)) for name in limits.REGISTER} for row in rows]
    labels = {"full_name": _label(Subject, "name"),
              **{name: _label(AwardRecord, name) for name in limits.REGISTER if name != "full_name"}}
    problems = []
    for row, values in zip(rows, cleaned, strict=True):
        found = _text_problems(values, limits.REGISTER, labels, REGISTER_NAMING)
        if not values["full_name"]:
            found.append(_("Họ và tên (tên tập thể) không được để trống."))
        problems += _in_row(row.row_number, found)
    if problems:
        raise ValidationError(problems[:50])
    subjects = match_subjects(
        Identity(kind=None, name=v["full_name"], birth_year=row.birth_year, unit=v["unit_name"])
        for row, v in zip(rows, cleaned, strict=True))
    save_new(subjects)

    def same(subject_id, number, award, day):
        # "125/QĐ-UBND" and "125/qđ-ubnd", "Giấy khen" typed in NFD: the same line.
        return subject_id, number_key(number), fold(award), day

    existing = {same(*values) for values in AwardRecord.objects.filter(
        subject__in={s.pk for s in subjects},
    ).values_list("subject_id", "decision_number", "award_name", "decision_date")}
    added = []
    for row, values, subject in zip(rows, cleaned, subjects, strict=True):
        record_key = same(subject.pk, values["decision_number"], values["award_name"],
                          row.decision_date)
        if record_key in existing:
            continue
        existing.add(record_key)
        added.append(AwardRecord(
            subject=subject, decision_number=values["decision_number"],
            award_name=values["award_name"], decision_date=row.decision_date,
            issuer_name=values["issuer_name"], unit_name=values["unit_name"],
            note=values["note"], source=AwardRecord.Source.IMPORT, created_by=by))
    AwardRecord.objects.bulk_create(added, batch_size=500)
    activity.record("register.imported", actor=by,
                    after={"rows": len(rows), "added": len(added)})
    return len(added)


# --- a rejected Excel list ------------------------------------------------------------------

@transaction.atomic
def purge_rejected_sheets(now=None) -> int:
    """Delete the rejected sheets past their expiry, rows and files, and any file in their
    folder that no row owns once it is as old (left by a deleted dossier or user, or by the
    earlier session-based keeping). Returns how many sheets and files went."""
    now = now or timezone.now()
    expired = list(RejectedSheet.objects.filter(expires_at__lte=now))
    _delete_sheets(expired)
    owned = set(RejectedSheet.objects.values_list("file", flat=True))
    orphans = [path for path in _stored_sheets() if path not in owned
               and default_storage.get_modified_time(path) <= now - REJECTED_SHEET_LIFETIME]
    transaction.on_commit(lambda: [default_storage.delete(path) for path in orphans])
    return len(expired) + len(orphans)


def _stored_sheets() -> list[str]:
    try:
        _folders, files = default_storage.listdir(REJECTED_SHEET_FOLDER)
    except FileNotFoundError:
        return []
    return [f"{REJECTED_SHEET_FOLDER}/{name}" for name in files]


def _delete_sheets(sheets) -> None:
    if not sheets:
        return
    files = [sheet.file for sheet in sheets]
    RejectedSheet.objects.filter(pk__in=[sheet.pk for sheet in sheets]).delete()
    # The files go once the rows are surely gone; a rollback keeps both.
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


@transaction.atomic
def keep_rejected_sheet(dossier, data: bytes, errors, *, by) -> RejectedSheet:
    """Keep the officer's rejected sheet and its errors, to send it back with a "Lỗi" column.

    Only its uploader gets it back, for this dossier, until it expires
    (``REJECTED_SHEET_LIFETIME``); a new rejected upload replaces the previous one. Expired
    sheets of anyone are removed here too, and by ``thidua purge_rejected_sheets``.
    """
    # The dossier's row lock queues a second click behind the first, which would otherwise
    # both miss each other's sheet and break the one-sheet-per-person rule.
    dossier = DOSSIER_FLOW.lock(dossier, seen={})
    require(by, "nominations.edit_dossier", dossier)
    now = timezone.now()
    _delete_sheets(list(RejectedSheet.objects.filter(
        dossier=dossier, uploaded_by=by) | RejectedSheet.objects.filter(expires_at__lte=now)))
    sheet = RejectedSheet(
        dossier=dossier, uploaded_by=by, expires_at=now + REJECTED_SHEET_LIFETIME,
        errors=[[e.row, str(e.column), str(e.message)] for e in errors])
    sheet.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
    with kept_only_if_saved(sheet.file):
        sheet.save()
    return sheet
