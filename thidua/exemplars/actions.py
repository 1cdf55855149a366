"""Every write to exemplars and citizens' suggestions: atomic, permission-checked, logged.

The editorial flow (draft → submitted → published / returned / rejected; published ⇄ unpublished)
moves only through :data:`EXEMPLAR_FLOW`; a suggestion (new → accepted / dismissed) through
:data:`SUGGESTION_FLOW`.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import activity
from thidua.core.permissions import require
from thidua.core.text import nfc, nfc_lines
from thidua.core.uploads import kept_only_if_saved
from thidua.core.workflow import Workflow
from thidua.exemplars import limits, photos, richtext
from thidua.exemplars.models import Exemplar, ExemplarPhoto, Suggestion
from thidua.exemplars.search import index_words
from thidua.movements.models import Movement

EXEMPLAR_FLOW = Workflow(
    model=Exemplar,
    verb_prefix="exemplar",
    perms={
        "submit": "exemplars.submit_exemplar",
        "publish": "exemplars.publish_exemplar",
        "return_for_changes": "exemplars.publish_exemplar",
        "reject": "exemplars.publish_exemplar",
        "unpublish": "exemplars.publish_exemplar",
    },
    organisation=lambda e: e.organisation,
    refusals={
        "submit": gettext_lazy("Chỉ gửi được bài đang soạn hoặc bị trả lại (hiện: %(state)s)."),
        "publish": gettext_lazy("Chỉ đăng được bài đang chờ biên tập hoặc đã gỡ (hiện: %(state)s)."),
        "unpublish": gettext_lazy("Bài này không ở trên trang công khai (hiện: %(state)s)."),
    },
    select_related=("movement", "organisation"),
)

SUGGESTION_FLOW = Workflow(
    model=Suggestion,
    verb_prefix="suggestion",
    perms={"accept": "exemplars.moderate_suggestion", "dismiss": "exemplars.moderate_suggestion"},
    organisation=lambda s: s.movement.issuer,
    refusals={"accept": gettext_lazy("Đề xuất này đã được xử lý (%(state)s)."),
              "dismiss": gettext_lazy("Đề xuất này đã được xử lý (%(state)s).")},
    select_related=("movement",),
)

# Citizens' suggestions from one address (a keyed hash of it): a person suggests a few; a script
# sends hundreds. Counted in the database, so the limit holds whichever app server answers.
SUGGESTIONS_PER_HOUR = 5
SUGGESTIONS_PER_DAY = 20

FIELDS = ("kind", "title", "summary", "story", "person_name", "content_area", "criterion",
          "participant_kind", "place", "happened_on", "shows_person")


def _limited(value: str, limit: int, label) -> str:
    if len(value) > limit:
        raise ValidationError(_("%(label)s dài quá %(limit)s ký tự (hiện có %(n)s).")
                              % {"label": label, "limit": limit, "n": len(value)})
    return value


def _clean_fields(movement, data: dict) -> dict:
    """Normalised, bounded, checked against the movement; raises ValidationError."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown exemplar fields: {sorted(unknown)}")
    out = dict(data)
    for name, limit, label in (("title", limits.TITLE, _("Tiêu đề")),
                               ("person_name", limits.NAME, _("Người, tập thể được nêu gương")),
                               ("place", limits.PLACE, _("Địa điểm"))):
        if name in out:
            out[name] = _limited(nfc(out[name]), limit, label)
    if "summary" in out:
        out["summary"] = _limited(nfc_lines(out["summary"]), limits.SUMMARY, _("Tóm tắt"))
    if "story" in out:
        out["story"] = _limited(richtext.clean(out["story"]), limits.STORY, _("Câu chuyện"))
    if "title" in out and not out["title"]:
        raise ValidationError(_("Hãy ghi tiêu đề."))
    if "summary" in out and not out["summary"]:
        raise ValidationError(_("Hãy ghi tóm tắt (hiển thị trong danh sách và khi chia sẻ)."))
    area, criterion = out.get("content_area"), out.get("criterion")
    if area is not None and area.movement_id != movement.pk:
        raise ValidationError(_("Nội dung thi đua không thuộc phong trào này."))
    if criterion is not None and criterion.movement_id != movement.pk:
        raise ValidationError(_("Tiêu chí không thuộc phong trào này."))
    if out.get("happened_on") and out["happened_on"] > timezone.localdate():
        raise ValidationError(_("Thời gian không thể ở tương lai."))
    return out


def _index(exemplar: Exemplar) -> None:
    exemplar.search_title = index_words(exemplar.title)
    exemplar.search_body = index_words(exemplar.summary, richtext.plain(exemplar.story),
                                       exemplar.person_name, exemplar.place,
                                       exemplar.organisation.name)


def _may_record(by, movement, organisation) -> None:
    if by is None:
        return
    if not (by.has_perm("exemplars.record_for_unit", organisation)
            or by.has_perm("exemplars.edit_movement", movement)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


@transaction.atomic
def record_exemplar(*, movement, organisation, by, **data) -> Exemplar:
    """A new exemplar, as a draft of ``organisation`` (ghi nhận gương điển hình)."""
    _may_record(by, movement, organisation)
    if movement.status == Movement.Status.DRAFT:
        raise ValidationError(_("Phong trào chưa được phát động."))
    if not organisation.is_active_on():
        raise ValidationError(_("Đơn vị này không còn hoạt động."))
    fields = _clean_fields(movement, data)
    exemplar = Exemplar(movement=movement, organisation=organisation, created_by=by, **fields)
    if not exemplar.kind:
        raise ValidationError(_("Hãy chọn loại gương điển hình."))
    _index(exemplar)
    exemplar.save()
    activity.record("exemplar.created", actor=by, target=exemplar, organisation=organisation,
                    after={"kind": exemplar.kind})
    return exemplar


def _editable(locked: Exemplar, by) -> None:
    require(by, "exemplars.edit_exemplar", locked)
    editor = by is None or by.has_perm("exemplars.publish_exemplar", locked)
    if locked.state in (Exemplar.State.DRAFT, Exemplar.State.RETURNED):
        return
    if editor and locked.is_editable:
        return
    raise ValidationError(_("Không sửa được bài ở trạng thái “%(state)s”.")
                          % {"state": locked.get_state_display()})


@transaction.atomic
def update_exemplar(exemplar, *, by, seen_state=None, **data) -> Exemplar:
    locked = EXEMPLAR_FLOW.lock(exemplar, seen={"state": seen_state or exemplar.state})
    _editable(locked, by)
    fields = _clean_fields(locked.movement, data)
    changed = {}
    for name, value in fields.items():
        if getattr(locked, name) != value:
            changed[name] = True
            setattr(locked, name, value)
    if "shows_person" in changed and locked.shows_person is False:
        pass  # a model without a person needs no consent; nothing else changes
    _index(locked)
    locked.save()
    activity.record("exemplar.updated", actor=by, target=locked, organisation=locked.organisation,
                    after={"fields": sorted(changed)})
    return locked


def add_photo(exemplar, uploaded, *, alt_text, by) -> ExemplarPhoto:
    """A photo, checked and re-encoded before anything is stored (exemplars.photos)."""
    require(by, "exemplars.edit_exemplar", exemplar)
    alt_text = _limited(nfc(alt_text), limits.ALT_TEXT, _("Mô tả ảnh"))
    if not alt_text:
        raise ValidationError(_("Hãy mô tả ngắn nội dung ảnh (cho người khiếm thị)."))
    prepared = photos.prepare(uploaded)  # slow work outside any lock
    now = timezone.localtime()
    name = f"exemplars/{now:%Y}/{now:%m}/{prepared.sha256[:32]}-{timezone.now().timestamp():.0f}.jpg"
    photo = ExemplarPhoto(exemplar=exemplar, alt_text=alt_text, width=prepared.width,
                          height=prepared.height, sha256=prepared.sha256, uploaded_by=by)
    photo.image.save(name, ContentFile(prepared.data), save=False)
    with kept_only_if_saved(photo.image):
        locked = EXEMPLAR_FLOW.lock(exemplar, seen={})
        _editable(locked, by)
        if locked.photos.count() >= limits.PHOTOS:
            raise ValidationError(_("Mỗi bài có tối đa %(n)s ảnh.") % {"n": limits.PHOTOS})
        photo.order = locked.photos.count() + 1
        photo.save()
        activity.record("exemplar.photo_added", actor=by, target=locked,
                        organisation=locked.organisation, after={"photo": photo.pk})
    return photo


@transaction.atomic
def remove_photo(photo, *, by) -> None:
    locked = EXEMPLAR_FLOW.lock(photo.exemplar, seen={})
    _editable(locked, by)
    image = photo.image
    photo.delete()
    transaction.on_commit(lambda: image.delete(save=False))
    activity.record("exemplar.photo_removed", actor=by, target=locked,
                    organisation=locked.organisation, after={"photo": photo.alt_text})


@transaction.atomic
def record_consent(exemplar, *, note, by) -> Exemplar:
    """The person shown agreed to be published: who collected it and when are kept."""
    locked = EXEMPLAR_FLOW.lock(exemplar, seen={})
    require(by, "exemplars.edit_exemplar", locked)
    note = _limited(nfc(note), limits.CONSENT_NOTE, _("Hình thức đồng ý"))
    if not note:
        raise ValidationError(_("Hãy ghi hình thức đồng ý (ví dụ: “Đồng ý bằng văn bản ngày "
                                "12/11/2021, lưu tại phường”)."))
    locked.consent_at = timezone.now()
    locked.consent_by = by
    locked.consent_note = note
    locked.save(update_fields=["consent_at", "consent_by", "consent_note", "updated_at"])
    activity.record("exemplar.consent_recorded", actor=by, target=locked,
                    organisation=locked.organisation, reason=note)
    return locked


@transaction.atomic
def withdraw_consent(exemplar, *, reason, by) -> Exemplar:
    """The person withdrew consent: a published story that shows them comes off the public
    pages at once (the record stays, unpublished)."""
    locked = EXEMPLAR_FLOW.lock(exemplar, seen={})
    require(by, "exemplars.edit_exemplar", locked)
    reason = nfc(reason)
    if not reason:
        raise ValidationError(_("Hãy ghi lý do."))
    if locked.state == Exemplar.State.PUBLISHED and locked.shows_person:
        locked = EXEMPLAR_FLOW.follow(locked, "unpublish", by=by, cause=_("Rút lại sự đồng ý"),
                                      reason=reason)
    locked.consent_at = None
    locked.consent_by = None
    locked.consent_note = ""
    locked.save(update_fields=["consent_at", "consent_by", "consent_note", "updated_at"])
    activity.record("exemplar.consent_withdrawn", actor=by, target=locked,
                    organisation=locked.organisation, reason=reason)
    return locked


def submit_exemplar(exemplar, *, by, seen_state=None) -> Exemplar:
    def prepare(locked):
        if not locked.title or not locked.summary:
            raise ValidationError(_("Bài cần có tiêu đề và tóm tắt trước khi gửi."))
        locked.return_reason = ""

    return EXEMPLAR_FLOW.move(exemplar, "submit", by=by, seen={"state": seen_state},
                              prepare=prepare)


def publish_exemplar(exemplar, *, by, seen_state=None) -> Exemplar:
    def prepare(locked):
        if locked.shows_person and not locked.has_consent:
            raise ValidationError(_("Chưa ghi nhận sự đồng ý của người được nêu gương: không "
                                    "đăng được bài có nêu tên, hình ảnh của người cụ thể."))
        locked.published_at = locked.published_at or timezone.now()
        locked.published_by = by
        locked.return_reason = ""

    return EXEMPLAR_FLOW.move(exemplar, "publish", by=by, seen={"state": seen_state},
                              prepare=prepare)


def _with_reason(transition, required_message):
    def act(exemplar, *, reason, by, seen_state=None) -> Exemplar:
        reason = _limited(nfc_lines(reason), limits.REASON, _("Lý do"))
        if not reason:
            raise ValidationError(required_message)

        def prepare(locked):
            locked.return_reason = reason

        return EXEMPLAR_FLOW.move(exemplar, transition, by=by, seen={"state": seen_state},
                                  prepare=prepare, reason=reason)

    return act


return_exemplar = _with_reason("return_for_changes", gettext_lazy("Hãy ghi nội dung cần sửa."))
reject_exemplar = _with_reason("reject", gettext_lazy("Hãy ghi lý do không đăng."))
unpublish_exemplar = _with_reason("unpublish", gettext_lazy("Hãy ghi lý do gỡ bài."))


# --- citizens' suggestions ---------------------------------------------------------------------

TOO_MANY = gettext_lazy("Đã nhận nhiều đề xuất từ địa chỉ mạng của anh/chị trong thời gian ngắn. "
                        "Xin vui lòng gửi lại sau ít phút, hoặc liên hệ trực tiếp Phòng Văn hóa "
                        "và Thông tin.")


@transaction.atomic
def submit_suggestion(*, movement, contact, about, text, name="", place="",
                      source="") -> Suggestion:
    """A citizen's suggestion (no account). Beyond a few an hour from one source it is refused."""
    if movement.status != Movement.Status.PUBLISHED:
        raise ValidationError(_("Phong trào này hiện không nhận đề xuất."))
    name, contact, about, place = nfc(name), nfc(contact), nfc(about), nfc(place)
    text = nfc_lines(text)
    if not (contact and about and text):
        raise ValidationError(_("Hãy ghi cách liên hệ, người hoặc mô hình được đề xuất và nội "
                                "dung."))
    _limited(name, limits.SUGGESTION_NAME, _("Họ và tên"))
    _limited(contact, limits.SUGGESTION_CONTACT, _("Số điện thoại hoặc thư điện tử"))
    _limited(about, limits.NAME, _("Người, tập thể, mô hình được đề xuất"))
    _limited(place, limits.PLACE, _("Địa điểm"))
    _limited(text, limits.SUGGESTION_TEXT, _("Nội dung"))
    if source:
        now = timezone.now()
        sent = Suggestion.objects.filter(source=source)
        if (sent.filter(created_at__gte=now - timedelta(hours=1)).count() >= SUGGESTIONS_PER_HOUR
                or sent.filter(created_at__gte=now - timedelta(days=1)).count()
                >= SUGGESTIONS_PER_DAY):
            raise ValidationError(TOO_MANY, code="rate_limited")
    suggestion = Suggestion.objects.create(movement=movement, name=name, contact=contact,
                                           about=about, place=place, text=text, source=source)
    activity.record("suggestion.received", target=suggestion, organisation=movement.issuer)
    return suggestion


def accept_suggestion(suggestion, *, organisation, kind, by) -> Exemplar:
    """An editor turns a suggestion into a draft exemplar of ``organisation`` (the unit where it
    happened), to be written up, given consent and published like any other."""
    with transaction.atomic():
        made = {}

        def prepare(locked):
            made["exemplar"] = record_exemplar(
                movement=locked.movement, organisation=organisation, by=by, kind=kind,
                title=locked.about, summary=locked.text[:limits.SUMMARY], story=locked.text,
                person_name=locked.about, place=locked.place)
            locked.handled_by = by

        SUGGESTION_FLOW.move(suggestion, "accept", by=by, prepare=prepare)
        exemplar = made["exemplar"]
        exemplar.suggestion = suggestion
        exemplar.save(update_fields=["suggestion"])
        return exemplar


def dismiss_suggestion(suggestion, *, note, by) -> Suggestion:
    note = nfc_lines(note)

    def prepare(locked):
        locked.note = note
        locked.handled_by = by

    return SUGGESTION_FLOW.move(suggestion, "dismiss", by=by, prepare=prepare, reason=note)
