"""Replaceable document templates and print-on-blank layouts, per organisation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thidua.core.jobs import BackgroundJob, job_states
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
        SUMMARY_REPORT = "summary_report", _("Báo cáo tổng kết phong trào thi đua")

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
    # mm from the top-left corner of the blank to the first line's baseline; font size in
    # points; width wraps the text; lines is how many lines its box holds. A text that needs more
    # is set smaller until it fits (certificates.fit), so no field prints over another.
    "issuer_title": {"x": 148.5, "y": 62, "size": 15, "width": 230, "lines": 2, "bold": True,
                     "align": "center"},
    "name": {"x": 148.5, "y": 92, "size": 24, "width": 230, "lines": 1, "bold": True,
             "align": "center"},
    "unit": {"x": 148.5, "y": 104, "size": 15, "width": 230, "lines": 2, "align": "center"},
    "citation": {"x": 148.5, "y": 118, "size": 15, "width": 220, "lines": 4, "italic": True,
                 "align": "center"},
    "decision": {"x": 60, "y": 168, "size": 12, "width": 90, "lines": 2, "align": "left"},
    "serial": {"x": 60, "y": 180, "size": 12, "width": 90, "lines": 1, "align": "left"},
    "place_date": {"x": 215, "y": 150, "size": 14, "width": 120, "lines": 1, "italic": True,
                   "align": "center"},
    "signer_title": {"x": 215, "y": 158, "size": 14, "width": 120, "lines": 2, "bold": True,
                     "align": "center"},
    "signer_name": {"x": 215, "y": 188, "size": 15, "width": 120, "lines": 1, "bold": True,
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


class RenderedDocument(BackgroundJob):
    """A generated document rendered once and kept (văn bản đã tạo sẵn), found again by the hash
    of what it says.

    ``content_hash`` covers the render's whole input: the context (every field printed), the
    template's identity (the built-in HTML template's source, or the DOCX template's bytes —
    an organisation's replacement included) and the renderer's version. Asking again for a
    document whose hash has a finished file serves that file; any change to the object gives
    a new hash and a new render. Long documents are rendered by the worker (``tasks.py``), which
    writes its progress here for the page to poll.

    A document's package (format ``zip``, ``packages.py``) is kept the same way, under the hash of
    everything in it (``packages.Plan.key``), and made by the same task when it is large."""

    State = job_states(_("Đang tạo"))
    progress_fields = ("progress", "pages_done")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"
        # A document's package (hồ sơ trọn bộ: the document, its signed scan, its dossiers'
        # files, the manifest), found by the hash of everything in it (``packages.Plan.key``).
        ZIP = "zip", "ZIP"

    kind = models.CharField(_("Loại văn bản"), max_length=32, choices=DocumentTemplate.Kind.choices)
    object_id = models.PositiveBigIntegerField()
    format = models.CharField(_("Định dạng"), max_length=4, choices=Format.choices)
    content_hash = models.CharField(max_length=64)
    # The document's length as its kind counts it (lines, agenda items): why it went to the worker.
    size = models.PositiveIntegerField(_("Số dòng"), default=0)
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    pages_done = models.PositiveIntegerField(_("Số trang đã dàn"), default=0)
    file = models.FileField(_("Tệp"), upload_to="rendered/", blank=True)
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta(BackgroundJob.Meta):
        verbose_name = _("văn bản đã tạo")
        verbose_name_plural = _("văn bản đã tạo")
        indexes = [models.Index(fields=["kind", "object_id", "format", "content_hash"])]
        # Two people asking at once for the same long document share one job.
        constraints = [models.UniqueConstraint(
            fields=["kind", "object_id", "format", "content_hash"],
            condition=Q(state__in=["queued", "running"]), name="one_active_render_per_content")]

    def __str__(self):
        return _("Tạo văn bản #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("documents:job", args=[self.kind, self.object_id, self.pk])

    @property
    def percent(self) -> int:
        return 100 if self.state == self.State.DONE else min(99, self.progress)

    @classmethod
    def finished(cls, kind: str, object_id: int, fmt: str,
                 content_hash: str) -> "RenderedDocument | None":
        """The finished file of exactly this content, if one was made."""
        return (cls.objects.filter(kind=kind, object_id=object_id, format=fmt,
                                   content_hash=content_hash, state=cls.State.DONE)
                .exclude(file="").first())
