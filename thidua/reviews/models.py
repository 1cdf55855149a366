"""Meetings that review nominations: the Steering Committee's review and the council's vote.

Ballots are secret. A ``BallotReceipt`` records that a member voted on an item (so nobody votes
twice); the choice only adds one to the item's ``BallotBox`` counts. No row per vote exists, so
no page, admin view or API, and no ordering of rows, joins a choice to whoever made it. (On
PostgreSQL the superseded versions of a box stay in its table pages until vacuumed; someone
reading the raw pages during the meeting could still follow the counts — see docs/decisions.md.)
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from thidua.movements.models import Movement
from thidua.nominations.models import CommitteeConclusion, Nominee
from thidua.orgs.models import Organisation
from thidua.reviews import limits


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The holding office's staff, the meeting's members and secretary, administrators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        own = [m.organisation_id for m in user.active_memberships()]
        seated = MeetingMember.objects.filter(meeting=models.OuterRef("pk"), user=user)
        return self.filter(
            models.Q(organisation_id__in=own) | models.Exists(seated)
            | models.Q(secretary=user) | models.Q(chair=user)
        )


class Meeting(ConcurrentTransitionMixin, models.Model):
    """Phiên họp xét: planned, then open (taking conclusions or votes), then closed and locked."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Họp xét của Ban Chỉ đạo")
        COUNCIL = "council", _("Phiên họp Hội đồng Thi đua - Khen thưởng")

    class State(models.TextChoices):
        PLANNED = "planned", _("Đã lên lịch")
        OPEN = "open", _("Đang họp")
        CLOSED = "closed", _("Đã kết thúc")

    kind = models.CharField(_("Loại phiên họp"), max_length=16, choices=Kind.choices)
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="meetings")
    organisation = models.ForeignKey(Organisation, verbose_name=_("Cơ quan tổ chức"),
                                     on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("Tên phiên họp"), max_length=limits.TITLE)
    scheduled_at = models.DateTimeField(_("Thời gian"))
    place = models.CharField(_("Địa điểm"), max_length=limits.PLACE)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Chủ trì"),
                              on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Thư ký"),
                                  on_delete=models.PROTECT, related_name="+")
    state = FSMField(_("Trạng thái"), max_length=16, choices=State.choices,
                     default=State.PLANNED, protected=True)
    quorum_met = models.BooleanField(_("Đủ số thành viên"), null=True, blank=True)
    # The quorum the closing checked, as it was then: {"quorum": "2/3", "unverified": bool,
    # "members": n, "present": n} (empty before closing, and for meetings closed before it was
    # kept).
    quorum_rule = models.JSONField(default=dict, blank=True, editable=False)
    # When it really opened and ended (set by the open, close and adjourn moves); the minutes
    # print these, not the scheduled time.
    opened_at = models.DateTimeField(_("Khai mạc lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("phiên họp")
        verbose_name_plural = _("phiên họp")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:detail", args=[self.pk])

    @transition(field=state, source=State.PLANNED, target=State.OPEN)
    def open(self):
        """Khai mạc: attendance is taken and the voting (or the conclusions) begin."""

    @transition(field=state, source=State.OPEN, target=State.CLOSED)
    def close(self):
        """Bế mạc: results are computed and the minutes are locked."""

    @transition(field=state, source=[State.PLANNED, State.OPEN], target=State.CLOSED)
    def adjourn(self):
        """Hoãn: ends without results; the agenda's nominees are released."""


class MeetingMember(models.Model):
    """A council member invited to a meeting, with their role in it and their attendance."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch Hội đồng")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
        MEMBER = "member", _("Ủy viên")
        SECRETARY = "secretary", _("Ủy viên thư ký")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("Vai trò"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField(_("Có mặt"), default=False)

    class Meta:
        ordering = ["meeting", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="member_once")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class AgendaItem(models.Model):
    """One nominee on a meeting's agenda, with the committee's conclusion or the council's
    result. The tally columns are written once, when the meeting closes, for the minutes."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Đạt")
        FAILED = "failed", _("Không đạt")
        NO_QUORUM = "no_quorum", _("Không đủ số thành viên")
        WITHDRAWN = "withdrawn", _("Hồ sơ đã rút")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    conclusion = models.CharField(_("Kết luận"), max_length=16,
                                  choices=CommitteeConclusion.choices, blank=True)
    reason = models.CharField(_("Lý do"), max_length=limits.CONCLUSION_REASON, blank=True)
    agree = models.PositiveSmallIntegerField(null=True, blank=True)
    disagree = models.PositiveSmallIntegerField(null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    base = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.CharField(_("Kết quả"), max_length=16, choices=Result.choices, blank=True)
    # The rule and the attendance the result was computed from, as they were at closing:
    # {"rule": VoteRule.as_data(), "attendance": {...}} (see reviews.voting; empty before
    # closing and for results kept before it was stored).
    reckoning = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "nominee"],
                                               name="nominee_once_per_meeting")]

    def __str__(self):
        return str(self.nominee)


class Recusal(models.Model):
    """A member who steps aside from one item (conflict of interest), with the reason."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField(_("Lý do"), max_length=limits.RECUSAL_REASON)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="recuse_once")]

    def __str__(self):
        return f"{self.member} — {self.item}"


class BallotReceipt(models.Model):
    """That a member voted on an item — never what they chose."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="receipts")
    written = models.BooleanField(_("Phiếu bằng văn bản"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="vote_once")]

    def __str__(self):
        return f"{self.member} — {self.item}"


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")


class BallotBox(models.Model):
    """Hòm phiếu of one agenda item: how many chose each answer, and nothing else."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="ballot_box")
    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)

    def __str__(self):
        return str(self.item)

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.abstain


class Disclosure(models.Model):
    """Công khai: candidates shown on a public page for some working days before the council
    meeting, so that anyone may object."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="disclosures")
    title = models.CharField(_("Tiêu đề"), max_length=limits.TITLE)
    starts_on = models.DateField(_("Công khai từ ngày"))
    ends_on = models.DateField(_("Đến hết ngày"))
    nominees = models.ManyToManyField(Nominee, related_name="disclosures")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("công khai danh sách")
        verbose_name_plural = _("công khai danh sách")

    def __str__(self):
        return self.title


class Objection(models.Model):
    """Ý kiến phản ánh from a visitor about a disclosed candidate."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="objections")
    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("Họ và tên người gửi"), max_length=limits.OBJECTION_NAME)
    contact = models.CharField(_("Số điện thoại hoặc thư điện tử"),
                               max_length=limits.OBJECTION_CONTACT)
    text = models.CharField(_("Nội dung"), max_length=limits.OBJECTION_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)
    handling = models.CharField(_("Kết quả xử lý"), max_length=limits.OBJECTION_HANDLING,
                                blank=True)
    # A keyed hash of the sender's address, never the address: enough to tell a flood apart.
    source = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    flooded = models.BooleanField(
        _("Gửi dồn dập"), default=False,
        help_text=_("Cùng một nguồn đã gửi nhiều ý kiến trong thời gian ngắn; vẫn được lưu để "
                    "Thường trực Hội đồng xem xét."))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ý kiến phản ánh")
        verbose_name_plural = _("ý kiến phản ánh")

    def __str__(self):
        return f"{self.nominee}: {self.text[:40]}"


class MinutesRevision(models.Model):
    """The meeting's minutes as data, locked when the meeting closes; a correction is a new
    revision with its reason, the earlier ones kept."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveSmallIntegerField()
    data = models.JSONField()
    reason = models.CharField(_("Lý do điều chỉnh"), max_length=limits.CORRECTION_REASON,
                              blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"],
                                               name="one_minutes_per_number")]

    def __str__(self):
        return f"{self.meeting} — {self.number}"
