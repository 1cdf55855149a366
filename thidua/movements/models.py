"""Emulation movements (phong trào thi đua) and the structure of the plan that launches one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.movements.choices import ParticipantKind
from thidua.orgs.models import Level, Organisation, today
from thidua.rulesets.models import AwardForm, DocumentType, ProvidedBy, RuleSet


class MovementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Launched movements are public; drafts only to the issuer's people, the movement's
        council secretariat and admins."""
        published = ~Q(status=Movement.Status.DRAFT)
        if not user.is_authenticated:
            return self.filter(published)
        if user.is_superuser:
            return self
        own = [m.organisation_id for m in user.active_memberships()]
        return self.filter(published | Q(issuer_id__in=own) | Q(council_secretariat_id__in=own))


class Movement(ConcurrentTransitionMixin, models.Model):
    """Phong trào thi đua, launched by a plan (kế hoạch) of an issuing body.

    draft (dự thảo) → published (đã phát động) → closed (đã kết thúc) → summarised (đã tổng
    kết); moved only by ``thidua.movements.flows.MOVEMENT_FLOW``. The member keeps the name
    ``PUBLISHED`` and its stored value: the other apps compare against it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã phát động")
        CLOSED = "closed", _("Đã kết thúc")
        SUMMARISED = "summarised", _("Đã tổng kết")

    class Stream(models.TextChoices):
        REGULAR = "regular", _("Thường xuyên")
        THEMED = "themed", _("Theo đợt, chuyên đề")

    slug = models.SlugField(_("Đường dẫn"), max_length=100, unique=True)
    number = models.CharField(_("Số kế hoạch"), max_length=64)
    document_kind = models.CharField(_("Loại văn bản"), max_length=64, default="Kế hoạch")
    title = models.CharField(_("Tên phong trào"), max_length=500)
    short_title = models.CharField(_("Tên ngắn"), max_length=200)
    issuer = models.ForeignKey(Organisation, verbose_name=_("Cơ quan ban hành"),
                               on_delete=models.PROTECT, related_name="movements_issued")
    issued_on = models.DateField(_("Ngày ban hành"))
    launched_on = models.DateField(_("Ngày phát động"))
    ends_on = models.DateField(_("Ngày kết thúc"), null=True, blank=True)
    place = models.CharField(_("Địa danh"), max_length=100, blank=True)
    signer_name = models.CharField(_("Người ký"), max_length=150)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=150)
    signer_capacity = models.CharField(_("Thẩm quyền ký"), max_length=150, blank=True)
    scope = models.CharField(_("Phạm vi"), max_length=16, choices=Level.choices)
    stream = models.CharField(_("Loại phong trào"), max_length=16, choices=Stream.choices)
    status = FSMField(_("Trạng thái"), max_length=16, choices=Status.choices,
                      default=Status.DRAFT)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("Bộ quy tắc áp dụng"),
                                 on_delete=models.PROTECT, related_name="movements")
    receiving_office = models.ForeignKey(
        Organisation, verbose_name=_("Cơ quan tiếp nhận hồ sơ"), on_delete=models.PROTECT,
        related_name="movements_receiving",
    )
    council_secretariat = models.ForeignKey(
        Organisation, verbose_name=_("Cơ quan thường trực Hội đồng TĐKT"),
        on_delete=models.PROTECT, related_name="movements_secretariat",
    )
    communications_editors = models.ManyToManyField(
        Organisation, verbose_name=_("Cơ quan tuyên truyền"), blank=True,
        related_name="movements_communicating",
    )
    award_forms = models.ManyToManyField(AwardForm, through="MovementAwardForm",
                                         verbose_name=_("Hình thức khen thưởng"))
    award_standard = models.TextField(_("Tiêu chuẩn khen thưởng"), blank=True)
    criteria_intro = models.TextField(_("Yêu cầu chung về tiêu chí"), blank=True)
    plan_file = models.FileField(_("Văn bản kế hoạch"), upload_to="movements/", blank=True)
    plan_file_name = models.CharField(max_length=255, blank=True)
    plan_file_sha256 = models.CharField(max_length=64, blank=True)
    registration_deadline = models.DateField(_("Hạn đăng ký thi đua"), null=True, blank=True)
    plan_deadline = models.DateField(_("Hạn gửi kế hoạch của đơn vị"), null=True, blank=True)
    dossier_deadline = models.DateField(_("Hạn gửi hồ sơ khen thưởng"), null=True, blank=True)
    # Dự toán kinh phí khen thưởng, in đồng like an award's cash (whole đồng, never negative:
    # the column's own check); blank when the plan sets none.
    budget = models.PositiveBigIntegerField(
        _("Dự toán kinh phí khen thưởng (đồng)"), null=True, blank=True,
        help_text=_("Tổng kinh phí khen thưởng dự kiến của phong trào; để trống nếu kế hoạch "
                    "chưa ghi."))
    launched_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["-launched_on", "pk"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number", "issued_on"],
                                    name="movement_unique_plan_number")
        ]

    def __str__(self):
        return self.short_title or self.title

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @transition(field=status, source=Status.DRAFT, target=Status.PUBLISHED)
    def launch(self):
        """Phát động."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.CLOSED)
    def close(self):
        """Kết thúc."""

    @transition(field=status, source=Status.CLOSED, target=Status.SUMMARISED)
    def summarise(self):
        """Tổng kết."""


class ParentDocument(models.Model):
    """A higher plan or decision this movement implements (613/KH-UBND, 1497/QĐ-TTg)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="parents")
    # An internal parent (a movement in the product) or an external document (number, date,
    # issuer only); an internal one also fills those three, so every page reads them alike.
    parent_movement = models.ForeignKey(Movement, verbose_name=_("Phong trào cấp trên"),
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="children")
    number = models.CharField(_("Số hiệu"), max_length=64)
    issued_on = models.DateField(_("Ngày ban hành"))
    issuer_name = models.CharField(_("Cơ quan ban hành"), max_length=255)
    issuer = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    title = models.TextField(_("Trích yếu"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "order"]
        verbose_name = _("văn bản cấp trên")
        verbose_name_plural = _("văn bản cấp trên")

    def __str__(self):
        return f"{self.number} ngày {self.issued_on:%d/%m/%Y}"


class ContentArea(models.Model):
    """Nội dung thi đua (plan II.2.x)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="content_areas")
    code = models.CharField(_("Mục"), max_length=16)
    title = models.CharField(_("Tiêu đề"), max_length=255)
    text = models.TextField(_("Nội dung"))
    # The units that carry this field: a council member supervising the field follows them.
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="+",
                                           verbose_name=_("Đơn vị thực hiện chính"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "order"]
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        constraints = [models.UniqueConstraint(fields=["movement", "code"],
                                               name="content_area_code_per_movement")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    """Tiêu chí thi đua, aimed at one kind of participant."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("Mục"), max_length=16)
    participant_kind = models.CharField(_("Đối tượng thi đua"), max_length=32,
                                        choices=ParticipantKind.choices)
    title = models.CharField(_("Tiêu đề"), max_length=255)
    text = models.TextField(_("Nội dung"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "order"]
        verbose_name = _("tiêu chí thi đua")
        verbose_name_plural = _("tiêu chí thi đua")
        constraints = [models.UniqueConstraint(fields=["movement", "code"],
                                               name="criterion_code_per_movement")]

    def __str__(self):
        return self.title


class PlanItem(models.Model):
    """A numbered paragraph of the plan that the system shows but does not compute with:
    purposes (I), solutions (III), honouree groups (IV.2.1), procedure steps (IV.2.4) and
    responsibilities (V)."""

    class Section(models.TextChoices):
        PURPOSE = "purpose", _("Mục đích, yêu cầu")
        SOLUTION = "solution", _("Giải pháp thực hiện")
        HONOUREE_GROUP = "honouree_group", _("Đối tượng khen thưởng")
        PROCEDURE_STEP = "procedure_step", _("Thủ tục khen thưởng")
        RESPONSIBILITY = "responsibility", _("Tổ chức thực hiện")

    class Responsible(models.TextChoices):
        NONE = "", _("—")
        ALL_UNITS = "all_units", _("Các cơ quan, đơn vị, xã, phường")
        FRONT = "front", _("Mặt trận Tổ quốc, đoàn thể, doanh nghiệp, Nhân dân")
        COMMUNICATIONS = "communications", _("Cơ quan tuyên truyền")
        RECEIVING_OFFICE = "receiving_office", _("Cơ quan tiếp nhận hồ sơ")
        COUNCIL_SECRETARIAT = "council_secretariat", _("Thường trực Hội đồng TĐKT")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="plan_items")
    section = models.CharField(_("Phần"), max_length=32, choices=Section.choices)
    code = models.CharField(_("Mục"), max_length=16)
    title = models.CharField(_("Tiêu đề"), max_length=255, blank=True)
    text = models.TextField(_("Nội dung"))
    responsible = models.CharField(_("Vai trò"), max_length=32, choices=Responsible.choices,
                                   blank=True, default="")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="+",
                                           verbose_name=_("Tổ chức được giao"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "section", "order"]
        verbose_name = _("mục kế hoạch")
        verbose_name_plural = _("mục kế hoạch")
        constraints = [models.UniqueConstraint(fields=["movement", "section", "code"],
                                               name="plan_item_code_per_section")]

    def __str__(self):
        return f"{self.code} {self.title or self.text[:60]}"


class MovementAwardForm(models.Model):
    """An award form the plan offers (IV.2.2), from the movement's rule set."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE,
                                 related_name="movement_award_forms")
    award_form = models.ForeignKey(AwardForm, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "order"]
        verbose_name = _("hình thức khen thưởng của phong trào")
        verbose_name_plural = _("hình thức khen thưởng của phong trào")
        constraints = [models.UniqueConstraint(fields=["movement", "award_form"],
                                               name="movement_award_form_once")]

    def __str__(self):
        return str(self.award_form)


class DossierComponent(models.Model):
    """Thành phần hồ sơ as the plan states it (IV.2.4)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE,
                                 related_name="dossier_components")
    document_type = models.CharField(_("Loại tài liệu"), max_length=32,
                                     choices=DocumentType.choices)
    provided_by = models.CharField(_("Bên cung cấp"), max_length=16, choices=ProvidedBy.choices)
    original = models.BooleanField(_("Bản chính"), default=True)
    count = models.PositiveSmallIntegerField(_("Số bản"), default=1)
    per_nominee = models.BooleanField(_("Mỗi tập thể, cá nhân"), default=False)
    text = models.CharField(_("Nội dung"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "order"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        constraints = [models.UniqueConstraint(
            fields=["movement", "document_type", "provided_by"],
            name="dossier_component_once",
        )]

    def __str__(self):
        return self.text


# --- running a movement ------------------------------------------------------------------------


class ParticipantQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_on__isnull=True)


class Participant(models.Model):
    """An organisation taking part in a movement (đơn vị tham gia). Removing one that already
    sent dossiers keeps the row, marked removed, so its dossiers still say where they came from."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Đơn vị"),
                                     on_delete=models.PROTECT,
                                     related_name="movement_participations")
    added_on = models.DateField(_("Ngày tham gia"), default=today)
    removed_on = models.DateField(_("Ngày rút khỏi phong trào"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["movement", "organisation__path"]
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        constraints = [models.UniqueConstraint(fields=["movement", "organisation"],
                                               name="participant_once")]

    def __str__(self):
        return str(self.organisation)


class Registration(ConcurrentTransitionMixin, models.Model):
    """Đăng ký thi đua: a unit's commitments, approved and sent by its head, accepted or
    returned by the movement's office."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi, chờ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Đơn vị"),
                                     on_delete=models.PROTECT,
                                     related_name="movement_registrations")
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT,
                     protected=True)
    note = models.TextField(_("Ghi chú chung"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("Lý do trả lại"), blank=True)
    late_reason = models.TextField(_("Lý do tiếp nhận sau hạn"), blank=True)

    class Meta:
        ordering = ["movement", "organisation__path"]
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [models.UniqueConstraint(fields=["movement", "organisation"],
                                               name="registration_once")]

    def __str__(self):
        return f"{self.organisation} — {self.movement}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED)
    def submit(self):
        """The unit head approves and sends."""

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_registration(self):
        pass

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.ACCEPTED)
    def accept_late(self):
        """After the deadline only the office takes a registration in, with a logged reason."""


class Commitment(models.Model):
    """One criterion's commitment in a registration: a target (chỉ tiêu) or a yes/no pledge."""

    class Kind(models.TextChoices):
        TARGET = "target", _("Chỉ tiêu")
        PLEDGE = "pledge", _("Cam kết thực hiện")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="commitments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("Hình thức"), max_length=8, choices=Kind.choices,
                            default=Kind.PLEDGE)
    target = models.CharField(_("Chỉ tiêu"), max_length=200, blank=True)
    pledged = models.BooleanField(_("Cam kết thực hiện"), default=False)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["registration", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["registration", "criterion"],
                                               name="commitment_once")]

    def __str__(self):
        return f"{self.registration} — {self.criterion_id}"


class UnitPlan(models.Model):
    """Kế hoạch triển khai của đơn vị (plan V.1): an uploaded document or a text composed in the
    product from the template; it implements the movement's own plan."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="unit_plans")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Đơn vị"),
                                     on_delete=models.PROTECT, related_name="movement_plans")
    number = models.CharField(_("Số kế hoạch"), max_length=64, blank=True)
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    text = models.TextField(_("Nội dung kế hoạch"), blank=True)
    file = models.FileField(_("Tệp kế hoạch"), upload_to="movements/plans/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    filed_at = models.DateTimeField(auto_now=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["movement", "organisation__path"]
        verbose_name = _("kế hoạch của đơn vị")
        verbose_name_plural = _("kế hoạch của đơn vị")
        constraints = [models.UniqueConstraint(fields=["movement", "organisation"],
                                               name="unit_plan_once")]

    def __str__(self):
        return f"{self.organisation} — {self.movement}"


class ReportPeriod(models.Model):
    """A reporting period the movement sets (kỳ báo cáo); a mid-term or final one is also a
    review round (sơ kết, tổng kết) that collects the period's reports and records its
    conclusion."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Báo cáo định kỳ")
        MID_TERM = "mid_term", _("Sơ kết")
        FINAL = "final", _("Tổng kết")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE,
                                 related_name="report_periods")
    kind = models.CharField(_("Loại kỳ báo cáo"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("Tên kỳ báo cáo"), max_length=200)
    starts_on = models.DateField(_("Từ ngày"))
    ends_on = models.DateField(_("Đến ngày"))
    due_on = models.DateField(_("Hạn gửi báo cáo"))
    conclusion = models.TextField(_("Kết luận"), blank=True)
    concluded_on = models.DateField(_("Ngày kết luận"), null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["movement", "due_on", "pk"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["movement", "title"], name="report_period_title_once"),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")),
                                   name="report_period_dates_in_order"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_review_round(self) -> bool:
        return self.kind != self.Kind.MONTHLY


class ProgressReport(ConcurrentTransitionMixin, models.Model):
    """A unit's report for one period: per criterion what was done, figures, evidence."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi, chờ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    period = models.ForeignKey(ReportPeriod, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Đơn vị"),
                                     on_delete=models.PROTECT, related_name="movement_reports")
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT,
                     protected=True)
    summary = models.TextField(_("Đánh giá chung"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("Lý do trả lại"), blank=True)

    class Meta:
        ordering = ["period", "organisation__path"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        constraints = [models.UniqueConstraint(fields=["period", "organisation"],
                                               name="progress_report_once")]

    def __str__(self):
        return f"{self.organisation} — {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_report(self):
        pass


class ProgressEntry(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    done = models.TextField(_("Kết quả thực hiện"), blank=True)
    figure = models.DecimalField(_("Số liệu"), max_digits=14, decimal_places=2, null=True,
                                 blank=True)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["report", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["report", "criterion"],
                                               name="progress_entry_once")]

    def __str__(self):
        return f"{self.report} — {self.criterion_id}"


class Evidence(models.Model):
    """A file that backs a progress report (minh chứng), checked by content."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="movements/evidence/")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self):
        return self.file_name


class Supervision(models.Model):
    """A council member assigned a field (content area) or an area (organisation and the units
    below it) of a movement (plan III.5)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="supervisions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Thành viên Hội đồng"),
                               on_delete=models.CASCADE, related_name="supervisions")
    content_area = models.ForeignKey(ContentArea, verbose_name=_("Lĩnh vực"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Địa bàn, đơn vị"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["movement", "member", "pk"]
        verbose_name = _("phân công theo dõi")
        verbose_name_plural = _("phân công theo dõi")
        constraints = [
            models.CheckConstraint(condition=Q(content_area__isnull=False)
                                   | Q(organisation__isnull=False),
                                   name="supervision_has_a_field_or_area"),
        ]

    def __str__(self):
        return f"{self.member} — {self.content_area or self.organisation}"


class Reminder(models.Model):
    """A reminder sent to a unit about one deadline: at most one per deadline per unit, which
    is what makes the reminder job safe to run twice or to rerun after it was stopped."""

    class Kind(models.TextChoices):
        SOON = "soon", _("Sắp đến hạn")
        LATE = "late", _("Quá hạn")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    deadline = models.CharField(_("Hạn"), max_length=32)  # "registration", "plan", "report-<id>"
    due_on = models.DateField(_("Ngày hết hạn"))
    kind = models.CharField(_("Loại"), max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("nhắc hạn")
        verbose_name_plural = _("nhắc hạn")
        constraints = [models.UniqueConstraint(fields=["movement", "organisation", "deadline"],
                                               name="reminder_once_per_deadline")]

    def __str__(self):
        return f"{self.organisation} — {self.deadline}"
