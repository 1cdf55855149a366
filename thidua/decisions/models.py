"""Decisions (quyết định khen thưởng) and their awards, numbered certificates and verification.

An issued decision never changes: its rows are written once, and a correction is a new decision
that amends it. Certificate serial numbers come from a per-issuer, per-year counter taken under a
row lock, when the decision is issued — so printing (and reprinting) never makes a new number.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.movements.models import Movement
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
        return self.filter(
            (Q(state=Decision.State.ISSUED) & (Q(issuer__in=scope)
                                               | Q(awards__nominee__dossier__organisation__in=scope)))
            | Q(movement__council_secretariat__in=secretariat) | Q(signer=user)
        ).distinct()


class Decision(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    class Capacity(models.TextChoices):
        ON_BEHALF = "TM. ỦY BAN NHÂN DÂN", _("TM. Ủy ban nhân dân — Chủ tịch ký")
        DEPUTY = "KT. CHỦ TỊCH", _("KT. Chủ tịch — Phó Chủ tịch ký")

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="decisions")
    issuer = models.ForeignKey(Organisation, verbose_name=_("Cơ quan ban hành"),
                               on_delete=models.PROTECT, related_name="decisions")
    award_form = models.ForeignKey(AwardForm, verbose_name=_("Hình thức khen thưởng"),
                                   on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("Số"))
    series = models.CharField(_("Ký hiệu"), max_length=32, default="QĐ-UBND")
    year = models.PositiveSmallIntegerField(_("Năm"))
    issued_on = models.DateField(_("Ngày ký"))
    place = models.CharField(_("Địa danh"), max_length=100)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người ký"),
                               on_delete=models.PROTECT, related_name="+")
    signer_capacity = models.CharField(_("Thẩm quyền ký"), max_length=32,
                                       choices=Capacity.choices, default=Capacity.ON_BEHALF)
    legal_grounds = models.TextField(_("Căn cứ"))
    amends = models.ForeignKey("self", verbose_name=_("Sửa đổi quyết định"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="amended_by")
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT,
                     protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [models.UniqueConstraint(
            fields=["issuer", "series", "year", "number"], condition=Q(state="issued"),
            name="decision_number_once_per_series_and_year")]

    def __str__(self):
        return _("Quyết định số %(number)s") % {"number": self.number_label}

    def get_absolute_url(self):
        return reverse("decisions:detail", args=[self.pk])

    @property
    def number_label(self) -> str:
        return f"{self.number}/{self.series}"

    @property
    def signer_title(self) -> str:
        return "PHÓ CHỦ TỊCH" if self.signer_capacity == self.Capacity.DEPUTY else "CHỦ TỊCH"

    @transition(field=state, source=State.DRAFT, target=State.ISSUED)
    def issue(self):
        """Ban hành: signed by the chairman; from now on nothing in it changes."""


class Award(models.Model):
    """One awardee in the decision's annex (danh sách kèm theo), with its certificate serial."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="awards")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="awards")
    kind = models.CharField(max_length=16)
    name = models.CharField(_("Họ và tên / tên tập thể"), max_length=255)
    position = models.CharField(_("Chức vụ"), max_length=255, blank=True)
    unit_name = models.CharField(_("Đơn vị"), max_length=255, blank=True)
    citation = models.TextField(_("Trích lời khen"))
    cash = models.PositiveIntegerField(_("Tiền thưởng (đồng)"), default=0)
    order = models.PositiveIntegerField(default=0)
    serial = models.CharField(_("Số vào sổ"), max_length=32, unique=True, null=True, blank=True)

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
