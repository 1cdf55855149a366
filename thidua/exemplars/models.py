"""Exemplars (gương điển hình): good people and good deeds, advanced examples, good models and
creative ways of working that a movement finds, fosters and spreads (plan I.4, III.3, V.3), and
the suggestions citizens send about them.

An exemplar is written by a unit's officer or a communications editor, submitted, and published
(or returned, or rejected) by a communications editor of the movement. What the public sees is
``Exemplar.objects.public()``: published, and — when it shows a person — with that person's
recorded consent. The database refuses a published row that shows a person without consent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.exemplars import limits
from thidua.movements.models import ContentArea, Criterion, Movement, ParticipantKind
from thidua.orgs.models import Organisation, Role


class ExemplarKind(models.TextChoices):
    GOOD_DEED = "good_deed", _("Gương người tốt, việc tốt")
    ADVANCED = "advanced", _("Điển hình tiên tiến")
    MODEL = "model", _("Mô hình hay")
    CREATIVE = "creative", _("Cách làm sáng tạo")


# The public condition, one place: published, and consent recorded when a person is shown.
PUBLIC = Q(state="published") & (Q(shows_person=False) | Q(consent_at__isnull=False))


class ExemplarQuerySet(models.QuerySet):
    def public(self):
        """What an anonymous visitor may see, on every page, feed, sitemap and search."""
        return self.filter(PUBLIC)

    def visible_to(self, user):
        """Public ones for everybody; besides, a unit's own (any state) to the people of the
        unit and the units above it, and every one of a movement to its communications
        editors. Exists() subqueries, no joins: the search composes this condition."""
        if not user.is_authenticated:
            return self.public()
        if user.is_superuser:
            return self
        editor_orgs = [m.organisation_id for m in user.active_memberships()
                       if m.role == Role.COMMUNICATIONS_EDITOR]
        scope = user.scope().filter(pk=OuterRef("organisation_id"))
        condition = PUBLIC | Exists(scope)
        if editor_orgs:
            edited = Movement.communications_editors.through.objects.filter(
                movement_id=OuterRef("movement_id"), organisation_id__in=editor_orgs)
            condition |= Exists(edited)
        return self.filter(condition)


class Exemplar(ConcurrentTransitionMixin, models.Model):
    """Gương điển hình: a person, a collective, a model or a creative way of working."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Chờ biên tập")
        PUBLISHED = "published", _("Đã đăng")
        RETURNED = "returned", _("Trả lại để sửa")
        REJECTED = "rejected", _("Không đăng")
        UNPUBLISHED = "unpublished", _("Đã gỡ khỏi trang công khai")

    movement = models.ForeignKey(Movement, verbose_name=_("Phong trào"), on_delete=models.PROTECT,
                                 related_name="exemplars")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Đơn vị"),
                                     on_delete=models.PROTECT, related_name="exemplars")
    kind = models.CharField(_("Loại"), max_length=16, choices=ExemplarKind.choices)
    title = models.CharField(_("Tiêu đề"), max_length=limits.TITLE)
    summary = models.TextField(_("Tóm tắt"), max_length=limits.SUMMARY)
    story = models.TextField(_("Câu chuyện"), blank=True)  # sanitised HTML (exemplars.richtext)
    person_name = models.CharField(_("Người, tập thể được nêu gương"), max_length=limits.NAME,
                                   blank=True)
    content_area = models.ForeignKey(ContentArea, verbose_name=_("Nội dung thi đua"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="exemplars")
    criterion = models.ForeignKey(Criterion, verbose_name=_("Tiêu chí"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="exemplars")
    participant_kind = models.CharField(_("Đối tượng thi đua"), max_length=32, blank=True,
                                        choices=ParticipantKind.choices)
    place = models.CharField(_("Địa điểm"), max_length=limits.PLACE, blank=True)
    happened_on = models.DateField(_("Thời gian"), null=True, blank=True)
    shows_person = models.BooleanField(
        _("Có nêu tên, hình ảnh của người cụ thể"), default=True,
        help_text=_("Bỏ chọn khi chỉ giới thiệu một mô hình, cách làm mà không nêu người cụ thể."))
    consent_at = models.DateTimeField(_("Thời điểm ghi nhận sự đồng ý"), null=True, blank=True)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người ghi nhận"),
                                   null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent_note = models.CharField(_("Hình thức đồng ý"), max_length=limits.CONSENT_NOTE, blank=True)
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT,
                     protected=True)
    return_reason = models.TextField(_("Lý do"), blank=True)
    published_at = models.DateTimeField(_("Ngày đăng"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    suggestion = models.ForeignKey("Suggestion", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="exemplars")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Folded (no diacritics, đ→d, lower case) words only, kept by the actions: what the search
    # indexes on both databases (exemplars.search).
    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")

    objects = ExemplarQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("gương điển hình")
        verbose_name_plural = _("gương điển hình")
        indexes = [models.Index(fields=["state", "published_at"], name="exemplar_state_published")]
        constraints = [models.CheckConstraint(
            condition=~Q(state="published") | Q(shows_person=False) | Q(consent_at__isnull=False),
            name="exemplar_published_person_needs_consent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exemplars:public-detail", args=[self.pk])

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED and (not self.shows_person or self.has_consent)

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED, self.State.SUBMITTED,
                              self.State.UNPUBLISHED)

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED)
    def submit(self):
        """Sent to the communications editors."""

    @transition(field=state, source=[State.SUBMITTED, State.UNPUBLISHED], target=State.PUBLISHED)
    def publish(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_for_changes(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.REJECTED)
    def reject(self):
        pass

    @transition(field=state, source=State.PUBLISHED, target=State.UNPUBLISHED)
    def unpublish(self):
        """Off the public pages; the record stays."""


def _photo_path(instance, filename):
    return filename  # the action gives a server-made name (core.uploads.server_file_name)


class ExemplarPhoto(models.Model):
    """A photo, re-encoded by the server: resized, without EXIF (no GPS position, no camera)."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    alt_text = models.CharField(_("Mô tả ảnh (cho người khiếm thị)"), max_length=limits.ALT_TEXT)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exemplar", "order", "pk"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self):
        return self.alt_text


class Suggestion(ConcurrentTransitionMixin, models.Model):
    """A citizen's suggestion of an exemplar (đề xuất của người dân), waiting for moderation.

    The sender's address is never stored, only a keyed hash of it (``source``), to count floods.
    """

    class State(models.TextChoices):
        NEW = "new", _("Chờ xem xét")
        ACCEPTED = "accepted", _("Đã tiếp nhận thành bài viết")
        DISMISSED = "dismissed", _("Không sử dụng")

    movement = models.ForeignKey(Movement, verbose_name=_("Phong trào"), on_delete=models.PROTECT,
                                 related_name="exemplar_suggestions")
    name = models.CharField(_("Họ và tên người đề xuất"), max_length=limits.SUGGESTION_NAME,
                            blank=True)
    contact = models.CharField(_("Số điện thoại hoặc thư điện tử"),
                               max_length=limits.SUGGESTION_CONTACT)
    about = models.CharField(_("Người, tập thể, mô hình được đề xuất"), max_length=limits.NAME)
    place = models.CharField(_("Địa điểm"), max_length=limits.PLACE, blank=True)
    text = models.TextField(_("Nội dung"), max_length=limits.SUGGESTION_TEXT)
    source = models.CharField(max_length=32, db_index=True, blank=True, editable=False)
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.NEW,
                     protected=True)
    note = models.TextField(_("Ghi chú xử lý"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("đề xuất của người dân")
        verbose_name_plural = _("đề xuất của người dân")
        indexes = [models.Index(fields=["source", "created_at"], name="suggestion_source_time")]

    def __str__(self):
        return self.about

    @transition(field=state, source=State.NEW, target=State.ACCEPTED)
    def accept(self):
        """An editor turns it into a draft exemplar."""

    @transition(field=state, source=State.NEW, target=State.DISMISSED)
    def dismiss(self):
        pass
