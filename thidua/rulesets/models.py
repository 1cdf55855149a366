"""Versioned legal rule sets (bộ quy tắc theo căn cứ pháp lý), kept as data.

Every value that DOMAIN.md marks [I] (inferred, not checked against a legal text) is named in the
row's ``unverified_fields`` and shown as "unverified default" wherever the row is shown, so an
official can confirm or correct it instead of trusting it blindly.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thidua.orgs.models import Level
from thidua.rulesets.fields import HELP as RATIO_HELP
from thidua.rulesets.fields import FractionField
from thidua.rulesets.ratios import ratio_text

# How long the free texts of a rule set may be (characters): the form, the admin and the loader
# refuse longer ones with the field's name.
NAME_LENGTH = 255
SHORT_NAME_LENGTH = 100
LEGAL_BASIS_LENGTH = 2000
NOTE_LENGTH = 2000
FORM_NOTE_LENGTH = 1000
REQUIREMENT_NOTE_LENGTH = 255


def _at_most(limit: int) -> str:
    return gettext("Tối đa %(limit)s ký tự.") % {"limit": limit}


at_most = lazy(_at_most, str)
at_most.__doc__ = "The sentence a form shows under a limited text field (in the reader's language)."


class UnverifiedMixin(models.Model):
    unverified_fields = models.JSONField(
        _("Giá trị mặc định chưa kiểm chứng"), default=list, blank=True,
        help_text=_("Tên các trường có giá trị suy luận, cần đối chiếu văn bản pháp lý."),
    )

    class Meta:
        abstract = True

    def is_unverified(self, field: str) -> bool:
        return field in self.unverified_fields


class RuleSetQuerySet(models.QuerySet):
    def in_force_on(self, day: date) -> "RuleSet":
        """The rule set whose legal basis governs ``day``; raises ``RuleSet.DoesNotExist``."""
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day
        ).latest("valid_from")


class RuleSet(UnverifiedMixin):
    """One legal basis: the award forms, documents, votes and limits it implies."""

    code = models.SlugField(_("Mã"), max_length=32, unique=True)
    name = models.CharField(_("Tên"), max_length=NAME_LENGTH, help_text=at_most(NAME_LENGTH))
    legal_basis = models.CharField(_("Căn cứ pháp lý"), max_length=LEGAL_BASIS_LENGTH,
                                   help_text=at_most(LEGAL_BASIS_LENGTH))
    valid_from = models.DateField(_("Áp dụng từ"))
    valid_to = models.DateField(_("Hết áp dụng từ"), null=True, blank=True)
    quorum = FractionField(
        _("Tỷ lệ thành viên tối thiểu có mặt"),
        help_text=format_lazy("{} {}", _(
            "Phiên họp Hội đồng hợp lệ khi số thành viên có mặt đạt từ tỷ lệ này của tổng số "
            "thành viên trở lên (hai phần ba: 2/3). Chưa đủ thì không bỏ phiếu được."),
            RATIO_HELP),
    )
    recusals_leave_base = models.BooleanField(
        _("Thành viên không tham gia biểu quyết được trừ khỏi số tính tỷ lệ"), default=False,
        help_text=_("Mặc định không: tỷ lệ tính trên “tổng số thành viên Hội đồng” (hoặc số "
                    "thành viên dự họp) đúng như lời văn của quy định, kể cả thành viên xin không "
                    "biểu quyết. Chỉ bật khi văn bản áp dụng cho phép trừ; nếu giá trị chưa được "
                    "kiểm chứng, trang phiên họp, kết quả và biên bản đều ghi rõ."),
    )
    written_votes_count = models.BooleanField(
        _("Phiếu gửi bằng văn bản được tính như thành viên có mặt"), default=True,
        help_text=_("Thành viên vắng mặt gửi phiếu bằng văn bản được tính vào số thành viên "
                    "tham gia biểu quyết (không tính vào số có mặt để xác định phiên họp hợp lệ)."),
    )
    note = models.CharField(_("Ghi chú"), max_length=NOTE_LENGTH, blank=True,
                            help_text=at_most(NOTE_LENGTH))

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("bộ quy tắc")
        verbose_name_plural = _("bộ quy tắc")

    def __str__(self):
        return self.name

    @property
    def quorum_text(self) -> str:
        """"2/3", "70%": the quorum as the rule set writes it."""
        return ratio_text(self.quorum)

    def requirements_for(self, award_form, nominee_kind: str, procedure: str):
        """Documents a dossier needs for one form, nominee kind and procedure."""
        return self.document_requirements.filter(
            Q(award_form__isnull=True) | Q(award_form=award_form),
            Q(nominee_kind=NomineeKind.ANY) | Q(nominee_kind=nominee_kind),
            Q(procedure=Procedure.ANY) | Q(procedure=procedure),
        )


class BaseSalary(UnverifiedMixin):
    """Mức lương cơ sở: cash rewards are multiples of the amount in force on the decision date."""

    amount = models.PositiveIntegerField(_("Mức lương cơ sở (đồng)"))
    valid_from = models.DateField(_("Áp dụng từ"), unique=True)
    legal_reference = models.CharField(_("Căn cứ"), max_length=NAME_LENGTH,
                                       help_text=at_most(NAME_LENGTH))

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")

    def __str__(self):
        return f"{self.amount:,} đ ({self.valid_from:%d/%m/%Y})"

    @classmethod
    def on(cls, day: date) -> "BaseSalary":
        return cls.objects.filter(valid_from__lte=day).latest("valid_from")


class Authority(models.TextChoices):
    """Người có thẩm quyền quyết định khen thưởng."""

    PRESIDENT = "president", _("Chủ tịch nước")
    PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
    PROVINCE_CHAIRMAN = "province_chairman", _("Chủ tịch UBND tỉnh")
    DISTRICT_CHAIRMAN = "district_chairman", _("Chủ tịch UBND huyện, thành phố")
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chủ tịch UBND xã, phường")
    AGENCY_HEAD = "agency_head", _("Thủ trưởng cơ quan, đơn vị")


class AwardCategory(models.TextChoices):
    ORDER = "order", _("Huân chương")
    HONORARY_TITLE = "honorary_title", _("Danh hiệu vinh dự nhà nước")
    CERTIFICATE = "certificate", _("Bằng khen, giấy khen")
    EMULATION_TITLE = "emulation_title", _("Danh hiệu thi đua")


class VoteBase(models.TextChoices):
    PRESENT = "present", _("Thành viên có mặt")
    ALL = "all", _("Tổng số thành viên Hội đồng")


class VoteComparison(models.TextChoices):
    AT_LEAST = "at_least", _("Từ … % trở lên")
    MORE_THAN = "more_than", _("Trên … %")


class AwardForm(UnverifiedMixin):
    """Hình thức khen thưởng: who confers it, who may propose it, how it is voted and paid."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="award_forms")
    code = models.SlugField(_("Mã"), max_length=64)
    name = models.CharField(_("Tên"), max_length=NAME_LENGTH, help_text=at_most(NAME_LENGTH))
    short_name = models.CharField(_("Tên ngắn"), max_length=SHORT_NAME_LENGTH, blank=True,
                                  help_text=at_most(SHORT_NAME_LENGTH))
    category = models.CharField(_("Nhóm"), max_length=32, choices=AwardCategory.choices)
    authority = models.CharField(_("Thẩm quyền quyết định"), max_length=32,
                                 choices=Authority.choices)
    authority_level = models.CharField(_("Cấp quyết định"), max_length=16, choices=Level.choices)
    proposer_levels = models.JSONField(
        _("Cấp được đề nghị"), default=list,
        help_text=_("Cấp của các tổ chức được lập hồ sơ đề nghị hình thức này."),
    )
    for_individuals = models.BooleanField(_("Khen cá nhân"), default=True)
    for_collectives = models.BooleanField(_("Khen tập thể"), default=True)
    vote_threshold = FractionField(
        _("Tỷ lệ phiếu đồng ý"), null=True, blank=True,
        help_text=format_lazy("{} {}", _(
            "Để trống khi pháp luật không quy định tỷ lệ riêng (khi đó cần trên một nửa)."),
            RATIO_HELP),
    )
    vote_comparison = models.CharField(_("Cách so sánh"), max_length=16,
                                       choices=VoteComparison.choices,
                                       default=VoteComparison.AT_LEAST)
    vote_base = models.CharField(_("Tính trên"), max_length=16, choices=VoteBase.choices,
                                 default=VoteBase.PRESENT)
    secret_ballot = models.BooleanField(_("Bỏ phiếu kín"), default=True)
    disclosure_working_days = models.PositiveSmallIntegerField(
        _("Số ngày làm việc công khai trước phiên họp"), null=True, blank=True
    )
    processing_working_days = models.PositiveSmallIntegerField(
        _("Thời hạn giải quyết (ngày làm việc)"), null=True, blank=True
    )
    cash_multiplier_individual = models.DecimalField(
        _("Hệ số tiền thưởng cá nhân"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cash_multiplier_collective = models.DecimalField(
        _("Hệ số tiền thưởng tập thể"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    retention_years = models.PositiveSmallIntegerField(
        _("Thời hạn lưu hồ sơ (năm)"), null=True, blank=True,
        help_text=_("Để trống nếu lưu vĩnh viễn."),
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    note = models.CharField(_("Ghi chú"), max_length=FORM_NOTE_LENGTH, blank=True,
                            help_text=at_most(FORM_NOTE_LENGTH))

    class Meta:
        ordering = ["rule_set", "order"]
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="award_form_code_per_set")
        ]

    def __str__(self):
        return self.name

    @property
    def decided_locally(self) -> bool:
        """True when a district or lower authority decides it (no proposal upward)."""
        return self.authority in {
            Authority.DISTRICT_CHAIRMAN, Authority.COMMUNE_CHAIRMAN, Authority.AGENCY_HEAD
        }

    def decided_by(self, organisation) -> bool:
        """True when ``organisation`` confers this form itself (thẩm quyền của đơn vị): a ward's
        or commune's chairman for the commune form, an agency's head for the agency form."""
        from thidua.orgs.models import Level

        return ((self.authority == Authority.COMMUNE_CHAIRMAN and organisation.level == Level.COMMUNE)
                or (self.authority == Authority.AGENCY_HEAD and organisation.level == Level.UNIT))

    def may_be_proposed_by(self, organisation) -> bool:
        return organisation.level in self.proposer_levels

    VOTE_FIELDS = ("vote_threshold", "vote_comparison", "vote_base")

    @property
    def vote_rule_text(self) -> str:
        """The voting rule in words, with its exact ratio (see :func:`vote_rule_words`)."""
        return vote_rule_words(self.vote_threshold, self.vote_comparison, self.vote_base)

    @property
    def vote_rule_unverified(self) -> bool:
        return any(self.is_unverified(name) for name in self.VOTE_FIELDS)


def vote_rule_words(threshold, comparison: str, base: str) -> str:
    """A voting rule in words, with its exact ratio: "từ 90% tổng số thành viên Hội đồng trở
    lên", "trên 50% số thành viên Hội đồng dự họp"; no ratio means more than half."""
    if threshold is None:
        return gettext("trên một nửa số thành viên Hội đồng dự họp (không quy định tỷ lệ "
                           "riêng)")
    words = {"ratio": ratio_text(threshold),
             "base": (gettext("tổng số thành viên Hội đồng") if base == VoteBase.ALL
                      else gettext("số thành viên Hội đồng dự họp"))}
    if comparison == VoteComparison.MORE_THAN:
        return gettext("trên %(ratio)s %(base)s") % words
    return gettext("từ %(ratio)s %(base)s trở lên") % words


class NomineeKind(models.TextChoices):
    ANY = "any", _("Mọi đối tượng")
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")


class Procedure(models.TextChoices):
    ANY = "any", _("Mọi thủ tục")
    NORMAL = "normal", _("Thủ tục thông thường")
    SIMPLIFIED = "simplified", _("Thủ tục đơn giản")


class DocumentType(models.TextChoices):
    UNIT_SUBMISSION = "unit_submission", _("Tờ trình của đơn vị")
    UNIT_MINUTES = "unit_minutes", _("Biên bản họp xét của đơn vị")
    COMMITTEE_SUBMISSION = "committee_submission", _("Tờ trình của Ban Chỉ đạo")
    COMMITTEE_MINUTES = "committee_minutes", _("Biên bản họp xét của Ban Chỉ đạo")
    ACHIEVEMENT_REPORT = "achievement_report", _("Báo cáo thành tích")
    ACHIEVEMENT_SUMMARY = "achievement_summary", _("Tóm tắt thành tích")
    EVIDENCE = "evidence", _("Tài liệu minh chứng khác")


class ProvidedBy(models.TextChoices):
    UNIT = "unit", _("Đơn vị đề nghị")
    RECEIVING_OFFICE = "receiving_office", _("Cơ quan tiếp nhận")


class DocumentRequirement(UnverifiedMixin):
    """Thành phần hồ sơ: one required document for a form, nominee kind and procedure."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE,
                                 related_name="document_requirements")
    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("Hình thức"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="document_requirements", help_text=_("Để trống: áp dụng cho mọi hình thức."),
    )
    nominee_kind = models.CharField(_("Loại đối tượng được khen"), max_length=16, choices=NomineeKind.choices,
                                    default=NomineeKind.ANY)
    procedure = models.CharField(_("Thủ tục"), max_length=16, choices=Procedure.choices,
                                 default=Procedure.ANY)
    document_type = models.CharField(_("Loại tài liệu"), max_length=32,
                                     choices=DocumentType.choices)
    provided_by = models.CharField(_("Bên cung cấp"), max_length=16, choices=ProvidedBy.choices,
                                   default=ProvidedBy.UNIT)
    original = models.BooleanField(_("Bản chính"), default=True)
    count = models.PositiveSmallIntegerField(_("Số bản"), default=1)
    per_nominee = models.BooleanField(_("Mỗi người/tập thể một bộ"), default=False)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    note = models.CharField(_("Ghi chú"), max_length=REQUIREMENT_NOTE_LENGTH, blank=True,
                            help_text=at_most(REQUIREMENT_NOTE_LENGTH))

    class Meta:
        ordering = ["rule_set", "order", "pk"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        copy = _("bản chính") if self.original else _("bản sao")
        return f"{self.get_document_type_display()} ({self.count:02d} {copy})"
