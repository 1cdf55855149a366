"""Decisions (quyết định khen thưởng) and their awards, numbered certificates and verification.

An issued decision never changes: its rows are written once, and a correction is a new decision
that amends it. Certificate serial numbers come from a per-issuer, per-year counter taken under a
row lock, when the decision is issued — so printing (and reprinting) never makes a new number.
"""


from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.core.jobs import BackgroundJob, job_states
from thidua.core.numbers import number_key
from thidua.decisions import limits
from thidua.documents.models import CertificateLayout
from thidua.movements.models import Movement, ReportPeriod
from thidua.nominations.models import Nominee
from thidua.orgs.models import Organisation, Role
from thidua.rulesets.models import AwardForm


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Issued decisions: every signed-in official of the issuer's tree and the proposing
        units; drafts: the secretariat that drafts them and the signer."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        scope = Organisation.objects.scope_of(user)
        secretariat = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
        units = user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)
        # "Awards someone of a unit in scope" is an EXISTS per decision, never a join over every
        # award and nominee made DISTINCT afterwards.
        awards_scope = Award.objects.filter(decision=OuterRef("pk"),
                                            nominee__dossier__organisation__in=scope)
        return self.filter(
            # The movement's secretariat keeps the city's counts: it sees every issued decision
            # of the movement, the units' own included.
            (Q(state=Decision.State.ISSUED) & (Q(issuer__in=scope) | Exists(awards_scope)
                                               | Q(movement__council_secretariat__in=secretariat)))
            | (Q(movement__council_secretariat__in=secretariat) & Q(issuer=F("movement__issuer")))
            | Q(issuer__in=units) | Q(signer=user)
        )


# Marks the key of a row the 0007 migration found numbered like an earlier one (see
# ``SignedPaper.save``): whitespace never occurs in a key, so a marked key equals no real one.
DUPLICATE_MARK = " #"


class SignedPaper:
    """What a numbered document signed by a chairman or a head says of itself (decisions,
    proposals): "1234/QĐ-UBND", and the title printed over the signer's name.

    ``series_key`` is :func:`~thidua.core.numbers.number_key` of the symbol, kept by ``save``:
    the unique indexes compare it, so "QĐ-UBND" and "qđ-ubnd" are one series in the database
    too. A key the migration marked as a duplicate of an older number keeps its mark (such a row
    was numbered before the check existed; its page says so)."""

    def save(self, *args, **kwargs):
        key = number_key(self.series)
        if not self.series_key.startswith(key + DUPLICATE_MARK):
            self.series_key = key
        if kwargs.get("update_fields") is not None and "series" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "series_key"}
        super().save(*args, **kwargs)

    @property
    def number_duplicated(self) -> bool:
        """Numbered, before numbers were compared normalised, like an earlier issued one."""
        return DUPLICATE_MARK in self.series_key

    @property
    def number_label(self) -> str:
        return f"{self.number}/{self.series}"

    @property
    def signer_title(self) -> str:
        if position := getattr(self, "signer_position", ""):
            return position.upper()
        return "PHÓ CHỦ TỊCH" if self.signer_capacity == "KT. CHỦ TỊCH" else "CHỦ TỊCH"


class Decision(SignedPaper, ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    class Capacity(models.TextChoices):
        ON_BEHALF = "TM. ỦY BAN NHÂN DÂN", _("TM. Ủy ban nhân dân — Chủ tịch ký")
        DEPUTY = "KT. CHỦ TỊCH", _("KT. Chủ tịch — Phó Chủ tịch ký")
        HEAD = "", _("Thủ trưởng cơ quan, đơn vị ký")
        DEPUTY_HEAD = "KT. THỦ TRƯỞNG", _("KT. Thủ trưởng — cấp phó ký")

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="decisions")
    issuer = models.ForeignKey(Organisation, verbose_name=_("Cơ quan ban hành"),
                               on_delete=models.PROTECT, related_name="decisions")
    award_form = models.ForeignKey(AwardForm, verbose_name=_("Hình thức khen thưởng"),
                                   on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("Số"))
    series = models.CharField(_("Ký hiệu"), max_length=limits.SERIES, default="QĐ-UBND")
    series_key = models.CharField(max_length=96, editable=False, default="")
    year = models.PositiveSmallIntegerField(_("Năm"))
    issued_on = models.DateField(_("Ngày ký"))
    place = models.CharField(_("Địa danh"), max_length=limits.PLACE)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người ký"),
                               on_delete=models.PROTECT, related_name="+")
    signer_capacity = models.CharField(_("Thẩm quyền ký"), max_length=32, blank=True,
                                       choices=Capacity.choices, default=Capacity.ON_BEHALF)
    signer_position = models.CharField(
        _("Chức danh người ký"), max_length=limits.SIGNER_POSITION, blank=True,
        help_text=_("Chức danh in ở khối chữ ký khi không phải Chủ tịch, Phó Chủ tịch UBND, "
                    "ví dụ: GIÁM ĐỐC, PHÓ GIÁM ĐỐC."))
    legal_grounds = models.TextField(_("Căn cứ"), max_length=limits.GROUNDS)
    amends = models.ForeignKey("self", verbose_name=_("Sửa đổi quyết định"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="amended_by")
    # The review round (sơ kết, tổng kết) whose conclusion this commendation follows, if any.
    review_round = models.ForeignKey(ReportPeriod, verbose_name=_("Đợt sơ kết, tổng kết"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="decisions")
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT,
                     protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    # Totals kept when the decision is issued (it never changes afterwards), so the city's
    # summary adds up decisions, not every award: lines that correct another decision's
    # (``Award.replaces``) are not counted again.
    awarded_collectives = models.PositiveIntegerField(default=0, editable=False)
    awarded_individuals = models.PositiveIntegerField(default=0, editable=False)
    awarded_cash = models.PositiveBigIntegerField(default=0, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        # The number is compared by its symbol's key: "125/QĐ-UBND" and "125/qđ-ubnd" are one.
        constraints = [models.UniqueConstraint(
            fields=["issuer", "series_key", "year", "number"], condition=Q(state="issued"),
            name="decision_number_once_per_series_key_and_year")]

    def __str__(self):
        return _("Quyết định số %(number)s") % {"number": self.number_label}

    def get_absolute_url(self):
        return reverse("decisions:detail", args=[self.pk])


    @property
    def authority_title(self) -> str:
        """Whose authority the decision is made under: the chairman, or the agency's head
        (the head's title, even when a deputy signs for them)."""
        if self.signer_position:
            title = self.signer_position.upper()
            return title.removeprefix("PHÓ ").strip()
        return "CHỦ TỊCH"

    def printable_awards(self):
        """The lines whose certificates this decision prints: not those an issued amending
        decision has replaced (their certificates are reissued by it)."""
        return self.awards.filter(~replaced(Decision.State.ISSUED))

    @property
    def document_kind(self) -> str:
        """The registered document kind: an amending decision reads differently."""
        return "amendment" if self.amends_id else "decision"

    @property
    def by_unit(self) -> bool:
        """Issued by a unit within its own authority, not by the movement's issuer."""
        return self.issuer_id != self.movement.issuer_id

    @transition(field=state, source=State.DRAFT, target=State.ISSUED)
    def issue(self):
        """Ban hành: signed by the chairman; from now on nothing in it changes."""


class Award(models.Model):
    """One awardee in the decision's annex (danh sách kèm theo), with its certificate serial."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="awards")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(max_length=16)
    name = models.CharField(_("Họ và tên / tên tập thể"), max_length=limits.NAME)
    position = models.CharField(_("Chức vụ"), max_length=limits.NAME, blank=True)
    unit_name = models.CharField(_("Đơn vị"), max_length=limits.NAME, blank=True)
    citation = models.TextField(_("Trích lời khen"), max_length=limits.CITATION)
    cash = models.PositiveIntegerField(_("Tiền thưởng (đồng)"), default=0)
    order = models.PositiveIntegerField(default=0)
    serial = models.CharField(_("Số vào sổ"), max_length=32, unique=True, null=True, blank=True)
    # Serials count from 1 and can be guessed; the verification page shows who was awarded only
    # with this code too, printed in the QR code's link and under it (given with the serial).
    verify_code = models.CharField(_("Mã xác minh"), max_length=8, blank=True, editable=False)
    replaces = models.OneToOneField(
        "self", verbose_name=_("Sửa đổi dòng"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("Dòng của quyết định được sửa đổi mà dòng này thay thế (đính chính họ tên, "
                    "đơn vị, lời khen)."))

    class Meta:
        ordering = ["decision", "order", "pk"]
        verbose_name = _("người, tập thể được khen thưởng")
        verbose_name_plural = _("danh sách khen thưởng")

    def __str__(self):
        return self.name


class SerialCounter(models.Model):
    """The register's numbering: one counter per issuing body and year, taken under a lock."""

    issuer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"],
                                               name="one_counter_per_issuer_year")]

    def __str__(self):
        return f"{self.issuer} {self.year}: {self.last}"


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drafts: the secretariat and the signer. Once sent: also every official of the
        proposing body's tree and of the units whose people are on the list."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        scope = Organisation.objects.scope_of(user)
        secretariat = user.organisations_with_role(Role.COUNCIL_SECRETARIAT)
        items_scope = ProposalItem.objects.filter(proposal=OuterRef("pk"),
                                                  nominee__dossier__organisation__in=scope)
        return self.filter(
            (~Q(state=Proposal.State.DRAFT) & (Q(proposer__in=scope) | Exists(items_scope)))
            | Q(movement__council_secretariat__in=secretariat) | Q(signer=user)
        )


class Proposal(SignedPaper, ConcurrentTransitionMixin, models.Model):
    """Tờ trình đề nghị cấp trên khen thưởng: the city asks a higher authority (the provincial
    chairman, or through it the Prime Minister and the President) to confer the forms above its
    own authority, with the list and the bundled dossiers. Its life is tracked until the higher
    decision comes back and is recorded in the register."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SENT = "sent", _("Đã gửi cấp trên")
        RETURNED = "returned", _("Cấp trên trả lại để bổ sung")
        DECIDED = "decided", _("Cấp trên đã quyết định")

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="proposals")
    proposer = models.ForeignKey(Organisation, verbose_name=_("Cơ quan trình"),
                                 on_delete=models.PROTECT, related_name="proposals")
    award_form = models.ForeignKey(AwardForm, verbose_name=_("Hình thức đề nghị"),
                                   on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("Kính gửi"), max_length=limits.RECIPIENT)
    number = models.PositiveIntegerField(_("Số"))
    series = models.CharField(_("Ký hiệu"), max_length=limits.SERIES, default="TTr-UBND")
    series_key = models.CharField(max_length=96, editable=False, default="")
    year = models.PositiveSmallIntegerField(_("Năm"))
    dated_on = models.DateField(_("Ngày ký"))
    place = models.CharField(_("Địa danh"), max_length=limits.PLACE)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người ký"),
                               on_delete=models.PROTECT, related_name="+")
    signer_capacity = models.CharField(_("Thẩm quyền ký"), max_length=32,
                                       choices=Decision.Capacity.choices,
                                       default=Decision.Capacity.ON_BEHALF)
    grounds = models.TextField(_("Căn cứ"), max_length=limits.GROUNDS)
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT,
                     protected=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=0)
    return_reason = models.TextField(_("Nội dung cấp trên yêu cầu bổ sung"),
                                     max_length=limits.REASON, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    higher_decision_number = models.CharField(_("Số quyết định của cấp trên"),
                                              max_length=limits.HIGHER_NUMBER, blank=True)
    higher_decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    higher_issuer = models.CharField(_("Cơ quan quyết định"), max_length=limits.ISSUER_NAME,
                                     blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-dated_on", "-number"]
        verbose_name = _("tờ trình đề nghị cấp trên khen thưởng")
        verbose_name_plural = _("tờ trình đề nghị cấp trên khen thưởng")
        constraints = [models.UniqueConstraint(
            fields=["proposer", "series_key", "year", "number"], condition=~Q(state="draft"),
            name="proposal_number_once_per_series_key_and_year")]

    def __str__(self):
        return _("Tờ trình số %(number)s") % {"number": self.number_label}

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])


    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SENT)
    def send(self):
        """Gửi cấp trên (again, after a return, with what was supplemented)."""

    @transition(field=state, source=State.SENT, target=State.RETURNED)
    def return_for_supplement(self):
        """Cấp trên trả lại: the higher body asks for more before it decides."""

    @transition(field=state, source=State.SENT, target=State.DECIDED)
    def decide(self):
        """Cấp trên đã quyết định: the higher decision is recorded; nothing changes after."""


class ProposalItem(models.Model):
    """One collective or individual on the proposal's list, and what the higher body decided."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Chờ cấp trên quyết định")
        AWARDED = "awarded", _("Được khen thưởng")
        NOT_AWARDED = "not_awarded", _("Không được khen thưởng")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    nominee = models.OneToOneField(Nominee, on_delete=models.PROTECT, related_name="proposal_item")
    kind = models.CharField(max_length=16)
    name = models.CharField(_("Họ và tên / tên tập thể"), max_length=255)
    position = models.CharField(_("Chức vụ"), max_length=255, blank=True)
    unit_name = models.CharField(_("Đơn vị"), max_length=255, blank=True)
    achievements = models.TextField(_("Thành tích"), blank=True)
    order = models.PositiveIntegerField(default=0)
    result = models.CharField(_("Kết quả"), max_length=16, choices=Result.choices,
                              default=Result.PENDING)
    awarded_form = models.CharField(_("Hình thức được khen"), max_length=limits.NAME, blank=True)

    class Meta:
        ordering = ["proposal", "order", "pk"]
        verbose_name = _("người, tập thể được đề nghị lên cấp trên")
        verbose_name_plural = _("danh sách đề nghị lên cấp trên")

    def __str__(self):
        return self.name


class ProposalAttachment(models.Model):
    """Tài liệu bổ sung: what the secretariat adds to a proposal the higher body returned (a
    missing confirmation, a corrected report), sent with it the next time."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    description = models.CharField(_("Nội dung tài liệu"), max_length=limits.DESCRIPTION)
    file = models.FileField(_("Tệp"), upload_to="proposals/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    sending = models.PositiveSmallIntegerField(
        _("Gửi kèm lần"), help_text=_("Lần gửi tờ trình mà tài liệu này đi kèm."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "uploaded_at", "pk"]
        verbose_name = _("tài liệu bổ sung của tờ trình")
        verbose_name_plural = _("tài liệu bổ sung của tờ trình")

    def __str__(self):
        return self.description


# "Has none" conditions over reverse relations, as NOT EXISTS. ``exclude(awards__isnull=False)``
# and ``awards__isnull=True`` become a LEFT JOIN that PostgreSQL estimates at one row where
# there are tens of thousands, and then a nested loop (the honour roll: 4 s; with these, 0.18 s).

def awarded():
    """For nominees: in some decision (a line of its annex), whatever the decision's state."""
    return Exists(Award.objects.filter(nominee=OuterRef("pk")))


def on_a_proposal():
    """For nominees: on some proposal upward (Tờ trình), whatever its state."""
    return Exists(ProposalItem.objects.filter(nominee=OuterRef("pk")))


def replaced(state=None):
    """For awards: replaced by a line of an amending decision (of ``state``, when given)."""
    lines = Award.objects.filter(replaces=OuterRef("pk"))
    return Exists(lines.filter(decision__state=state) if state else lines)


class CertificateBatch(BackgroundJob):
    """One run of printing a decision's certificates into a single PDF, done by the task worker
    (lượt in giấy khen).

    The worker writes ``pages_done`` as it goes, so the page can show a progress bar. Printing
    only reads the serials given when the decision was issued, so running a batch again (after a
    failure) prints the same numbers.
    """

    State = job_states(_("Đang in"))
    progress_fields = ("pages_done",)
    total_field = "pages_total"

    decision = models.ForeignKey(Decision, verbose_name=_("Quyết định"),
                                 on_delete=models.CASCADE, related_name="certificate_batches")
    # Null is the built-in A4 landscape layout, which has no row.
    # A blank model that has printed cannot be deleted: the print history and its files stay.
    layout = models.ForeignKey(CertificateLayout, verbose_name=_("Mẫu phôi"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    full_design = models.BooleanField(_("In đầy đủ mẫu"), default=False)
    pages_total = models.PositiveIntegerField(_("Tổng số trang"), default=0)
    pages_done = models.PositiveIntegerField(_("Số trang đã in"), default=0)
    file = models.FileField(_("Tệp PDF"), upload_to="certificates/", blank=True)
    # The worker has no request: the verification links on the certificates are built on the
    # address the batch was requested from.
    base_url = models.CharField(max_length=255)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("lượt in giấy khen")
        verbose_name_plural = _("lượt in giấy khen")
        # Named when the model lived in the documents app; kept so moving it rebuilt nothing.
        indexes = [models.Index(fields=["decision", "state"],
                                name="documents_c_decisio_736d39_idx")]

    def __str__(self):
        return _("Lượt in giấy khen #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("decisions:certificate-batch", args=[self.decision_id, self.pk])
