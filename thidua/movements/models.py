"""Emulation movements (phong trào thi đua) and the structure of the plan that launches one."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.orgs.models import Level, Organisation
from thidua.rulesets.models import AwardForm, DocumentType, ProvidedBy, RuleSet


class MovementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published movements are public; drafts only to the issuer's people and admins."""
        published = Q(status__in=[Movement.Status.PUBLISHED, Movement.Status.CLOSED])
        if not user.is_authenticated:
            return self.filter(published)
        if user.is_superuser:
            return self
        own = [m.organisation_id for m in user.active_memberships()]
        return self.filter(published | Q(issuer_id__in=own))


class Movement(models.Model):
    """Phong trào thi đua, launched by a plan (kế hoạch) of an issuing body."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đang triển khai")
        CLOSED = "closed", _("Đã kết thúc")

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
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices,
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


class ParentDocument(models.Model):
    """A higher plan or decision this movement implements (613/KH-UBND, 1497/QĐ-TTg)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="parents")
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
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["movement", "order"]
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        constraints = [models.UniqueConstraint(fields=["movement", "code"],
                                               name="content_area_code_per_movement")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class ParticipantKind(models.TextChoices):
    """Đối tượng thi đua a criterion aims at (plan IV.1)."""

    AGENCIES = "agencies", _("Các cơ quan, đơn vị tham mưu")
    PARTY_AND_GOVERNMENT = "party_and_government", _("Cấp ủy, chính quyền các cấp")
    FRONT_AND_MASS_ORGANISATIONS = "front_and_mass_organisations", _("Mặt trận Tổ quốc, đoàn thể")
    FRONTLINE = "frontline", _("Lực lượng tuyến đầu")
    ENTERPRISES = "enterprises", _("Doanh nghiệp, doanh nhân")
    CITIZENS = "citizens", _("Các tầng lớp Nhân dân")
    PRESS = "press", _("Cơ quan truyền thông, báo chí")


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
