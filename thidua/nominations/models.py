"""Nomination dossiers (hồ sơ đề nghị khen thưởng), their nominees and documents, and the award
register (sổ khen thưởng) that follows every subject across movements."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.core.text import fold
from thidua.movements.models import ContentArea, Movement, ParticipantKind
from thidua.nominations import limits
from thidua.nominations.choices import (
    CollectiveKind,
    Gender,
    IndividualCategory,
    NomineeKind,
    Procedure,
)
from thidua.orgs.models import Organisation, Role
from thidua.rulesets.models import AwardForm, DocumentType


class SubjectQuerySet(models.QuerySet):
    def search(self, query: str):
        """Diacritic- and case-insensitive, and blind to look-alike letters (the query is
        normalised as stored names are): "do duc dat" and "Ðỗ" with U+00D0 find "Đỗ Đức Đạt"."""
        folded = fold(query)
        if not folded:
            return self.none()
        # PostgreSQL answers this LIKE '%…%' from the pg_trgm GIN index on name_folded (migration
        # 0010), SQLite by reading the folded column: the same rows either way.
        return self.filter(name_folded__contains=folded)

    def visible_to(self, user):
        """The subjects ``user`` may know of: those in the award register, and those nominated
        in a dossier the user sees. One known only from another unit's unsent draft is that
        unit's business. Two EXISTS, no join fanned out over awards and nominations."""
        if not user.is_authenticated:
            return self.none()
        awarded = AwardRecord.objects.filter(subject=OuterRef("pk"))
        nominated = Nominee.objects.filter(subject=OuterRef("pk"),
                                           dossier__in=Dossier.objects.visible_to(user))
        return self.filter(Exists(awarded) | Exists(nominated))


class Subject(models.Model):
    """Đối tượng khen thưởng: a person or collective, stable across movements and dossiers."""

    kind = models.CharField(_("Loại"), max_length=16, choices=NomineeKind.choices)
    name = models.CharField(_("Họ và tên / tên tập thể"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("Năm sinh"), null=True, blank=True)
    gender = models.CharField(_("Giới tính"), max_length=8, choices=Gender.choices, blank=True)
    unit_name = models.CharField(_("Đơn vị"), max_length=255, blank=True)
    unit_folded = models.CharField(max_length=255, blank=True, editable=False)
    organisation = models.ForeignKey(Organisation, verbose_name=_("Thuộc tổ chức"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name_folded", "pk"]
        # The matching rule's full key (subjects.py): a list's lines are found by index whatever
        # the register's size.
        indexes = [models.Index(fields=["name_folded", "birth_year", "unit_folded"],
                                name="subject_identity")]
        verbose_name = _("đối tượng khen thưởng")
        verbose_name_plural = _("đối tượng khen thưởng")

    def __str__(self):
        return f"{self.name} ({self.birth_year})" if self.birth_year else self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.unit_folded = fold(self.unit_name)
        super().save(*args, **kwargs)


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A draft is seen only by its own unit. Once sent, a dossier is also seen by the units
        above it (their officers, heads, chairmen and inspectors), by the receiving office of
        its movement, and — once accepted — by the council secretariat."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        own = user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)
        above = Organisation.objects.subtrees(user.organisations_with_role(
            Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.CHAIRMAN, Role.VIEWER))
        receiving = user.organisations_with_role(Role.RECEIVING_OFFICE)
        secretariat = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
        sent = Q(round__gt=0)  # submitted at least once; a never-sent withdrawal stays private
        return self.filter(
            Q(organisation__in=own)
            | (sent & Q(organisation__in=above))
            | (sent & Q(movement__receiving_office__in=receiving))
            | (Q(movement__council_secretariat__in=secretariat)
               & Q(state__in=Dossier.COUNCIL_STATES))
        )


class Dossier(ConcurrentTransitionMixin, models.Model):
    """Hồ sơ đề nghị khen thưởng: one unit's proposal of one award form for many nominees.

    The allowed moves between states are the transition methods below and nothing else; the
    actions in ``nominations.actions`` call them under a row lock and log every move.
    ``ConcurrentTransitionMixin`` makes a second, stale move fail instead of overwriting.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã trình, chờ tiếp nhận")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        COMMITTEE_REVIEWED = "committee_reviewed", _("Ban Chỉ đạo đã họp xét")
        FORWARDED = "forwarded", _("Đã chuyển Hội đồng TĐKT")
        COUNCIL_REVIEWED = "council_reviewed", _("Hội đồng TĐKT đã xét")
        DECIDED_BY_UNIT = "decided_by_unit", _("Đơn vị đã quyết định khen thưởng")
        WITHDRAWN = "withdrawn", _("Đã rút")

    movement = models.ForeignKey(Movement, verbose_name=_("Phong trào"), on_delete=models.PROTECT,
                                 related_name="dossiers")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Đơn vị đề nghị"),
                                     on_delete=models.PROTECT, related_name="dossiers")
    award_form = models.ForeignKey(AwardForm, verbose_name=_("Hình thức đề nghị"),
                                   on_delete=models.PROTECT, related_name="+")
    procedure = models.CharField(_("Thủ tục"), max_length=16, choices=Procedure.choices,
                                 default=Procedure.NORMAL)
    unit_meeting_date = models.DateField(_("Ngày họp xét của đơn vị"), null=True, blank=True)
    unit_meeting_result = models.TextField(_("Kết quả họp xét của đơn vị"), blank=True,
                                           max_length=limits.UNIT_MEETING_RESULT)
    state = FSMField(_("Trạng thái"), max_length=24, choices=State.choices, default=State.DRAFT,
                     protected=True)
    round = models.PositiveSmallIntegerField(_("Lần trình"), default=0)
    submitted_at = models.DateTimeField(_("Ngày trình"), null=True, blank=True)
    due_on = models.DateField(_("Hạn giải quyết"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    # What the council secretariat works on: accepted by the office, and everything after.
    COUNCIL_STATES = [State.ACCEPTED, State.COMMITTEE_REVIEWED, State.FORWARDED,
                      State.COUNCIL_REVIEWED]

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("hồ sơ đề nghị")
        verbose_name_plural = _("hồ sơ đề nghị")
        indexes = [models.Index(fields=["movement", "state"])]

    def __str__(self):
        return _("Hồ sơ số %(pk)s — %(org)s") % {"pk": self.pk, "org": self.organisation}

    def get_absolute_url(self):
        return reverse("nominations:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        # A list the unit has already decided on itself (its own decision) stays as decided.
        return (self.state in {self.State.DRAFT, self.State.RETURNED}
                and not self.nominees.filter(awards__isnull=False).exists())

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED)
    def submit(self):
        """Trình: the unit head sends the dossier (again, after a return)."""

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_for_supplement(self):
        """Trả lại để bổ sung, with itemised deficiencies."""

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        """Tiếp nhận: complete; goes on to the Steering Committee review."""

    @transition(field=state, source=State.ACCEPTED, target=State.COMMITTEE_REVIEWED)
    def conclude_committee(self):
        """Ban Chỉ đạo họp xét: every nominee has a conclusion (propose / do not propose)."""

    @transition(field=state, source=State.COMMITTEE_REVIEWED, target=State.FORWARDED)
    def forward_to_council(self):
        """Chuyển Hội đồng TĐKT (qua Phòng Nội vụ): the proposed nominees go to the council."""

    @transition(field=state, source=State.FORWARDED, target=State.COUNCIL_REVIEWED)
    def conclude_council(self):
        """Hội đồng TĐKT đã xét: every proposed nominee has a council outcome."""

    @transition(field=state, source=State.DRAFT, target=State.DECIDED_BY_UNIT)
    def decide_by_unit(self):
        """Đơn vị đã quyết định: the unit's own decision on its own list (a form within its
        authority) was issued; the list never goes to the city."""

    @transition(field=state,
                source=[State.DRAFT, State.SUBMITTED, State.RETURNED, State.ACCEPTED,
                        State.COMMITTEE_REVIEWED, State.FORWARDED, State.COUNCIL_REVIEWED],
                target=State.WITHDRAWN)
    def withdraw(self):
        """Rút hồ sơ: a unit may withdraw until a decision is made (DOMAIN.md §4)."""


class CommitteeConclusion(models.TextChoices):
    PROPOSE = "propose", _("Đề nghị khen thưởng")
    NOT_PROPOSE = "not_propose", _("Không đề nghị")


class CouncilOutcome(models.TextChoices):
    """Kết quả xét per nominee after the council (DOMAIN.md §4 step 5)."""

    APPROVED_LOCAL = "approved_local", _("Đề nghị Chủ tịch quyết định khen thưởng")
    APPROVED_UPWARD = "approved_upward", _("Đề nghị cấp trên khen thưởng")
    NOT_APPROVED = "not_approved", _("Không đề nghị khen thưởng")


class Nominee(models.Model):
    """A person or collective proposed in a dossier (cá nhân / tập thể được đề nghị)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="nominees")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="nominations")
    kind = models.CharField(_("Loại"), max_length=16, choices=NomineeKind.choices)
    full_name = models.CharField(_("Họ và tên / tên tập thể"), max_length=255)
    gender = models.CharField(_("Giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Năm sinh"), null=True, blank=True)
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("Dân tộc"), max_length=64, blank=True)
    position = models.CharField(_("Chức vụ"), max_length=255, blank=True)
    unit_name = models.CharField(_("Đơn vị công tác / đơn vị cấp trên"), max_length=255,
                                 blank=True)
    category = models.CharField(_("Đối tượng"), max_length=32, choices=IndividualCategory.choices,
                                blank=True)
    collective_kind = models.CharField(_("Loại tập thể"), max_length=16,
                                       choices=CollectiveKind.choices, blank=True)
    leader = models.CharField(_("Người đứng đầu"), max_length=255, blank=True)
    # Nội dung thi đua (plan II.2.x) and đối tượng thi đua (plan IV.1) the nomination is for,
    # counted by the statistics. The content area is one of the dossier's movement's (the
    # actions check); PROTECT, as an exemplar's: an area that counted awards is not removed.
    content_area = models.ForeignKey(ContentArea, verbose_name=_("Nội dung thi đua"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    participant_kind = models.CharField(_("Đối tượng thi đua"), max_length=32, blank=True,
                                        choices=ParticipantKind.choices)
    # A TextField's max_length is the limit the forms and actions apply (nominations.limits);
    # a CharField's column is at least as wide as its limit.
    achievement_summary = models.TextField(_("Tóm tắt thành tích"), blank=True,
                                           max_length=limits.NOMINEE["achievement_summary"])
    citation = models.TextField(_("Trích lời khen trên giấy khen"), blank=True,
                                max_length=limits.NOMINEE["citation"])
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("STT"), default=0)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    unit_folded = models.CharField(max_length=255, blank=True, editable=False)
    # Folded name and birth year, kept by save() and the bulk import: the key the same-person
    # warnings look up by index (duplicates.py) instead of comparing names pair by pair.
    person_key = models.CharField(max_length=262, db_index=True, editable=False, default="")
    committee_conclusion = models.CharField(
        _("Kết luận của Ban Chỉ đạo"), max_length=16, choices=CommitteeConclusion.choices,
        blank=True)
    committee_reason = models.CharField(_("Lý do (Ban Chỉ đạo)"), max_length=500, blank=True)
    council_outcome = models.CharField(_("Kết quả xét của Hội đồng"), max_length=20,
                                       choices=CouncilOutcome.choices, blank=True)
    outcome_reason = models.CharField(_("Lý do (Hội đồng)"), max_length=500, blank=True)
    duplicate_confirmed = models.BooleanField(
        _("Đã xác nhận không trùng"), default=False,
        help_text=_("Cán bộ đã xem cảnh báo trùng và xác nhận đây là người, tập thể khác."),
    )

    class Meta:
        ordering = ["dossier", "order", "pk"]
        verbose_name = _("người, tập thể được đề nghị")
        verbose_name_plural = _("danh sách đề nghị")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        self.unit_folded = fold(self.unit_name)
        self.person_key = person_key(self.name_folded, self.birth_year)
        super().save(*args, **kwargs)


def person_key(name_folded: str, birth_year) -> str:
    """Who a nominee may be the same person as: folded name and birth year ("nguyen thi lan|1985";
    a collective, without a year, "tram y te|")."""
    return f"{name_folded}|{birth_year or ''}"


def _attachment_path(instance, filename):
    # The caller passes a server-made name (core.uploads.server_file_name); never the user's.
    return f"dossiers/{filename}"


class Attachment(models.Model):
    """A typed document of a dossier (tài liệu), with every uploaded version kept."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    nominee = models.ForeignKey(Nominee, verbose_name=_("Của người, tập thể"), null=True,
                                blank=True, on_delete=models.CASCADE, related_name="attachments")
    document_type = models.CharField(_("Loại tài liệu"), max_length=32,
                                     choices=DocumentType.choices)
    original = models.BooleanField(_("Bản chính"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "document_type", "pk"]
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")

    def __str__(self):
        return self.get_document_type_display()


class AttachmentVersion(models.Model):
    """One uploaded file; replacing a document adds a version and keeps the earlier ones."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=255)
    kind = models.CharField(_("Định dạng"), max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("Dung lượng"))
    sha256 = models.CharField(max_length=64, db_index=True)
    round = models.PositiveSmallIntegerField(_("Lần trình"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attachment", "-uploaded_at", "-pk"]
        verbose_name = _("phiên bản tài liệu")
        verbose_name_plural = _("phiên bản tài liệu")

    def __str__(self):
        return self.original_name


class ChecklistMark(models.Model):
    """The receiving office's tick on one checklist item, for one submission round."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="marks")
    round = models.PositiveSmallIntegerField()
    item_key = models.CharField(max_length=64)
    ok = models.BooleanField()
    note = models.CharField(_("Nhận xét"), max_length=500, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "round", "item_key"],
                                               name="one_mark_per_item_per_round")]

    def __str__(self):
        return f"{self.item_key}: {'ok' if self.ok else 'not ok'}"


class Deficiency(models.Model):
    """Thiếu sót: one itemised reason a dossier was returned."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deficiencies")
    round = models.PositiveSmallIntegerField(_("Lần trình"))
    item_key = models.CharField(max_length=64, blank=True)
    item_label = models.CharField(_("Mục"), max_length=300)
    message = models.TextField(_("Nội dung cần bổ sung, sửa"), max_length=limits.DEFICIENCY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "round", "pk"]
        verbose_name = _("thiếu sót")
        verbose_name_plural = _("thiếu sót")

    def __str__(self):
        return f"{self.item_label}: {self.message}"


class DossierSnapshot(models.Model):
    """What the dossier held when it was submitted, so versions can be compared."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="snapshots")
    round = models.PositiveSmallIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "round"]
        constraints = [models.UniqueConstraint(fields=["dossier", "round"],
                                               name="one_snapshot_per_round")]

    def __str__(self):
        return f"{self.dossier_id} #{self.round}"


class AwardRecord(models.Model):
    """A line of the award register (sổ khen thưởng): who received what, by which decision.

    Filled by decisions (a later issue) and, for the past, by importing an Excel list.
    ``unit_name`` keeps the unit's name as it was written on the decision.
    """

    class Source(models.TextChoices):
        DECISION = "decision", _("Quyết định trong hệ thống")
        HIGHER = "higher", _("Quyết định của cấp trên, theo tờ trình")
        IMPORT = "import", _("Nhập từ danh sách cũ")

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="awards")
    award_name = models.CharField(_("Hình thức khen thưởng"), max_length=255)
    award_form = models.ForeignKey(AwardForm, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_number = models.CharField(_("Số quyết định"), max_length=64)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    issuer_name = models.CharField(_("Cơ quan quyết định"), max_length=255, blank=True)
    unit_name = models.CharField(_("Đơn vị (tại thời điểm khen)"), max_length=255, blank=True)
    movement = models.ForeignKey(Movement, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    nominee = models.ForeignKey("Nominee", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="award_records")
    source = models.CharField(max_length=16, choices=Source.choices)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("sổ khen thưởng")
        verbose_name_plural = _("sổ khen thưởng")
        # Numbers restart every year and differ by issuer: "1/QĐ-UBND" of 2021 and of 2022 are
        # two decisions. A line is the same award only with the same number, form and date (or,
        # for an old list without dates, the same number and form).
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "decision_number", "award_name", "decision_date"],
                condition=Q(decision_date__isnull=False), name="award_record_once_dated"),
            models.UniqueConstraint(
                fields=["subject", "decision_number", "award_name"],
                condition=Q(decision_date__isnull=True), name="award_record_once_undated"),
        ]

    def __str__(self):
        return f"{self.subject} — {self.award_name} ({self.decision_number})"


REJECTED_SHEET_FOLDER = "import-errors"


def _rejected_sheet_path(instance, filename):
    # The caller passes a server-made name; the user's own file name is never used.
    return f"{REJECTED_SHEET_FOLDER}/{filename}"


class RejectedSheet(models.Model):
    """An uploaded list the import refused, kept a short while so that its uploader can take it
    back with a "Lỗi" column. Written by ``actions.keep_rejected_sheet``; expired ones are
    deleted, rows and files, by that action and by ``thidua purge_rejected_sheets``."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="+")
    file = models.FileField(upload_to=_rejected_sheet_path, max_length=255)
    errors = models.JSONField(default=list)  # [row, column, message] per error
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "uploaded_by"],
                                               name="one_rejected_sheet_per_uploader")]
        verbose_name = _("danh sách bị từ chối")
        verbose_name_plural = _("danh sách bị từ chối")

    def __str__(self):
        return f"{self.dossier_id}: {self.file.name}"
