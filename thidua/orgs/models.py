"""Organisations as an effective-dated tree, users, and their roles in organisations.

Dates are half-open intervals: a row is in force on ``valid_from <= day < valid_to``; a null
``valid_to`` means "still in force". A rename or a move closes one version and opens the next on
the same day, so exactly one version answers for any day of the organisation's life.
"""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def today() -> date:
    return timezone.localdate()


class Level(models.TextChoices):
    """Cấp: the administrative level an organisation sits at."""

    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường")
    UNIT = "unit", _("Cơ quan, đơn vị")


class Kind(models.TextChoices):
    """Loại hình tổ chức."""

    GOVERNMENT = "government", _("Chính phủ, bộ, ngành trung ương")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    SPECIALISED_OFFICE = "specialised_office", _("Cơ quan chuyên môn")
    PARTY_BODY = "party_body", _("Cơ quan Đảng")
    FRONT_MASS_ORG = "front_mass_org", _("Mặt trận Tổ quốc, tổ chức đoàn thể")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")
    SCHOOL = "school", _("Trường học")
    HEALTH_FACILITY = "health_facility", _("Cơ sở y tế")
    POLICE_ARMY = "police_army", _("Công an, quân sự")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


class Role(models.TextChoices):
    """Vai trò of a user in an organisation (DOMAIN.md §2)."""

    UNIT_OFFICER = "unit_officer", _("Cán bộ thi đua - khen thưởng")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    RECEIVING_OFFICE = "receiving_office", _("Cơ quan tiếp nhận hồ sơ")
    COUNCIL_SECRETARIAT = "council_secretariat", _("Thường trực Hội đồng TĐKT")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng TĐKT")
    CHAIRMAN = "chairman", _("Chủ tịch, Phó Chủ tịch")
    COMMUNICATIONS_EDITOR = "communications_editor", _("Biên tập tuyên truyền")
    VIEWER = "viewer", _("Theo dõi, kiểm tra")


class OrganisationQuerySet(models.QuerySet):
    def active_on(self, day: date | None = None):
        day = day or today()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def subtrees(self, roots):
        """The given organisations and everything below them (by materialised path)."""
        paths = [r.path for r in roots]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def scope_of(self, user):
        """What ``user`` works on: their organisations and the units below them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        roots = [m.organisation for m in user.active_memberships()]
        return self.subtrees(roots)

    def visible_to(self, user):
        return self.scope_of(user)


class Organisation(models.Model):
    """A public body, office, ward, school or enterprise (cơ quan, tổ chức, đơn vị).

    The row carries the organisation's stable identity and, for fast look-ups, a copy of its
    current attributes; ``OrganisationVersion`` rows hold what it was called and where it sat on
    every past day. Only ``thidua.orgs.actions`` writes either, so the two never disagree.
    """

    code = models.SlugField(_("Mã"), max_length=64, unique=True)
    name = models.CharField(_("Tên"), max_length=255)
    short_name = models.CharField(_("Tên viết tắt"), max_length=100, blank=True)
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("Loại hình"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("Trực thuộc"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # "/12/40/57/": ids from the root down; lets a subtree be one indexed prefix query.
    path = models.CharField(max_length=512, db_index=True, editable=False)
    valid_from = models.DateField(_("Hiệu lực từ"))
    valid_to = models.DateField(_("Hết hiệu lực từ"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("Sáp nhập vào"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_from",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def is_active_on(self, day: date | None = None) -> bool:
        day = day or today()
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def version_on(self, day: date) -> "OrganisationVersion | None":
        return (
            self.versions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)
            .select_related("parent")
            .first()
        )

    def name_on(self, day: date) -> str:
        """The name the organisation bore on ``day``; its current name if it did not exist."""
        version = self.version_on(day)
        return version.name if version else self.name

    def parent_on(self, day: date) -> "Organisation | None":
        version = self.version_on(day)
        return version.parent if version else None

    def ancestors(self) -> list["Organisation"]:
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        by_id = Organisation.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class OrganisationVersion(models.Model):
    """What an organisation was called, what it was and where it sat, for a span of days."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField(_("Tên"), max_length=255)
    short_name = models.CharField(_("Tên viết tắt"), max_length=100, blank=True)
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("Loại hình"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        Organisation, verbose_name=_("Trực thuộc"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    valid_from = models.DateField(_("Hiệu lực từ"))
    valid_to = models.DateField(_("Hết hiệu lực từ"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "valid_from"]
        verbose_name = _("phiên bản tổ chức")
        verbose_name_plural = _("lịch sử tổ chức")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="org_version_one_per_start_day"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="org_version_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from} – {self.valid_to or '…'})"


class OrganisationEvent(models.Model):
    """A recorded change to the tree: founding, rename, move, merger, dissolution."""

    class Kind(models.TextChoices):
        ESTABLISHED = "established", _("Thành lập")
        RENAMED = "renamed", _("Đổi tên")
        MOVED = "moved", _("Thay đổi trực thuộc")
        MERGED = "merged", _("Sáp nhập vào tổ chức khác")
        ABSORBED = "absorbed", _("Tiếp nhận tổ chức sáp nhập")
        DISSOLVED = "dissolved", _("Giải thể")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("Loại sự kiện"), max_length=16, choices=Kind.choices)
    occurred_on = models.DateField(_("Ngày hiệu lực"))
    other = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Tổ chức liên quan"),
    )
    legal_reference = models.CharField(_("Căn cứ"), max_length=255, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "occurred_on", "pk"]
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")

    def __str__(self):
        return f"{self.organisation} — {self.get_kind_display()} ({self.occurred_on:%d/%m/%Y})"


class User(AbstractUser):
    """A person who signs in. Organisation and role come from ``Membership`` rows."""

    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    def active_memberships(self) -> list["Membership"]:
        """This user's memberships in force today, cached for the request."""
        if not self.pk:
            return []
        cached = getattr(self, "_active_memberships", None)
        if cached is None:
            cached = list(
                Membership.objects.active_on().filter(user=self).select_related("organisation")
            )
            self._active_memberships = cached
        return cached

    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships()}

    def organisations_with_role(self, *roles: str) -> list[Organisation]:
        return [m.organisation for m in self.active_memberships() if m.role in roles]

    def scope(self):
        """The organisations this user works on (their own and the units below them), for
        lower layers that filter by organisation without knowing the tree."""
        return Organisation.objects.scope_of(self)


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: date | None = None):
        day = day or today()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def visible_to(self, user):
        return self.filter(organisation__in=Organisation.objects.scope_of(user))


class Membership(models.Model):
    """A user's role in an organisation (vai trò của người dùng tại một tổ chức)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("Tổ chức"), on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("Vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("Chức vụ"), max_length=150, blank=True)
    valid_from = models.DateField(_("Từ ngày"), default=today)
    valid_to = models.DateField(_("Đến ngày"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "role"]
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(valid_to__isnull=True),
                name="membership_one_open_role_per_org",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class Throttle(models.Model):
    """How many times one key (a keyed hash of "what, from whom") was used in one fixed window
    of time: the counter behind the password-reset budget (orgs.throttle). In the database, not
    in a process's memory, so every app server counts against the same budget."""

    key = models.CharField(max_length=64)
    window = models.BigIntegerField()  # start of the window, in seconds since the epoch
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="throttle_one_row_per_window")
        ]

    def __str__(self):
        return f"{self.key[:8]}… × {self.count}"
