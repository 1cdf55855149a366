"""Replaceable document templates and print-on-blank layouts, per organisation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.orgs.models import Organisation


class DocumentTemplate(models.Model):
    """A DOCX template an administrator uploads to replace the built-in one for an organisation."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Quyết định khen thưởng")
        AMENDMENT = "amendment", _("Quyết định sửa đổi quyết định khen thưởng")
        UNIT_PROPOSAL = "unit_proposal", _("Tờ trình của đơn vị, kèm danh sách")
        COMMITTEE_PROPOSAL = "committee_proposal", _("Tờ trình của Ban Chỉ đạo")
        COMMITTEE_MINUTES = "committee_minutes", _("Biên bản họp Ban Chỉ đạo")
        COUNCIL_MINUTES = "council_minutes", _("Biên bản họp Hội đồng TĐKT")
        UPWARD_PROPOSAL = "upward_proposal", _("Tờ trình đề nghị cấp trên khen thưởng")
        RETURN_NOTICE = "return_notice", _("Thông báo trả hồ sơ để bổ sung")

    kind = models.CharField(_("Loại văn bản"), max_length=32, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("Tổ chức"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("Tệp mẫu .docx"), upload_to="templates/")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        constraints = [models.UniqueConstraint(fields=["kind", "organisation"],
                                               name="one_template_per_kind_and_org")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.organisation or _('mặc định')}"


class SignedCopy(models.Model):
    """Bản đã ký: the scan of the signed, stamped document. Once uploaded it is the record; the
    generated DOCX/PDF stay drafts. A later upload supersedes it and the earlier one is kept."""

    kind = models.CharField(_("Loại văn bản"), max_length=32, choices=DocumentTemplate.Kind.choices)
    object_id = models.PositiveBigIntegerField()
    file = models.FileField(_("Tệp"), upload_to="signed/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("bản đã ký")
        verbose_name_plural = _("bản đã ký")
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id}: {self.original_name}"

    @classmethod
    def current(cls, kind: str, obj) -> "SignedCopy | None":
        return cls.objects.filter(kind=kind, object_id=obj.pk).first()


DEFAULT_FIELDS = {
    # mm from the top-left corner of the blank; font size in points; width wraps the text.
    "issuer_title": {"x": 148.5, "y": 62, "size": 15, "width": 230, "bold": True, "align": "center"},
    "name": {"x": 148.5, "y": 92, "size": 24, "width": 230, "bold": True, "align": "center"},
    "unit": {"x": 148.5, "y": 104, "size": 15, "width": 230, "align": "center"},
    "citation": {"x": 148.5, "y": 118, "size": 15, "width": 220, "italic": True,
                 "align": "center"},
    "decision": {"x": 60, "y": 168, "size": 12, "width": 110, "align": "left"},
    "serial": {"x": 60, "y": 175, "size": 12, "width": 110, "align": "left"},
    "place_date": {"x": 215, "y": 150, "size": 14, "width": 120, "italic": True,
                   "align": "center"},
    "signer_title": {"x": 215, "y": 158, "size": 14, "width": 120, "bold": True,
                     "align": "center"},
    "signer_name": {"x": 215, "y": 188, "size": 15, "width": 120, "bold": True,
                    "align": "center"},
    "qr": {"x": 25, "y": 160, "size": 22},
}


class CertificateLayout(models.Model):
    """Where each variable text goes on a pre-printed Giấy khen blank (phôi), in millimetres.

    ``offset_x_mm``/``offset_y_mm`` shift everything at once: the calibration a secretariat does
    after printing one test page on a printer that feeds a few millimetres off.
    """

    organisation = models.ForeignKey(Organisation, verbose_name=_("Tổ chức"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("Tên mẫu phôi"), max_length=100)
    page_width_mm = models.DecimalField(_("Khổ ngang (mm)"), max_digits=6, decimal_places=1,
                                        default=297)
    page_height_mm = models.DecimalField(_("Khổ dọc (mm)"), max_digits=6, decimal_places=1,
                                         default=210)
    offset_x_mm = models.DecimalField(_("Dịch ngang (mm)"), max_digits=5, decimal_places=1,
                                      default=0)
    offset_y_mm = models.DecimalField(_("Dịch dọc (mm)"), max_digits=5, decimal_places=1,
                                      default=0)
    fields = models.JSONField(_("Vị trí các trường"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu in phôi giấy khen")
        verbose_name_plural = _("mẫu in phôi giấy khen")

    def __str__(self):
        return self.name

    def merged_fields(self) -> dict:
        return {key: {**spec, **self.fields.get(key, {})} for key, spec in DEFAULT_FIELDS.items()}
