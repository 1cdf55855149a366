from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from thidua.core.verbs import verb_label


class ActivityQuerySet(models.QuerySet):
    # model → visible(user): the objects of that model the user may see. Filled by the apps
    # through ``core.activity.register_visibility`` (core knows no domain app).
    visibility: dict = {}

    def for_object(self, obj):
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )

    def visible_to(self, user):
        """Administrators see every row. A row about an object whose app registered a rule is
        shown exactly to those who may see that object — the same people its page shows the
        history to (an unsent draft: its own unit; not the council or the chairman above it).
        Any other row is shown to the users whose scope holds its organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        by_object, kinds = Q(pk__in=[]), []
        for model, visible in self.visibility.items():
            kind = ContentType.objects.get_for_model(model)
            kinds.append(kind.pk)
            seen = visible(user).annotate(_activity_key=Cast("pk", models.CharField())).values(
                "_activity_key")
            by_object |= Q(target_type=kind, target_id__in=seen)
        by_scope = Q(organisation__in=user.scope()) & ~Q(target_type__in=kinds)
        return self.filter(by_object | by_scope)


class Activity(models.Model):
    """An append-only row of the activity log (nhật ký hoạt động): who did what, when, and why."""

    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người thực hiện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    verb = models.CharField(_("Hành động"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(_("Đối tượng tác động"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("Tổ chức"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    before = models.JSONField(_("Dữ liệu trước khi thay đổi"), null=True, blank=True)
    after = models.JSONField(_("Dữ liệu sau khi thay đổi"), null=True, blank=True)
    reason = models.TextField(_("Lý do"), blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nhật ký hoạt động")
        verbose_name_plural = _("nhật ký hoạt động")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_label}"

    @property
    def verb_label(self) -> str:
        return verb_label(self.verb)


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """An in-app notice (thông báo) for one user; the same text also goes out by mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notices")
    text = models.CharField(_("Nội dung"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return self.text


class WorkerHeartbeat(models.Model):
    """A running task worker (``thidua worker``), as it last reported itself (nhịp sống).

    Each worker updates its row every few seconds from a thread of its own; a row that stops
    moving belongs to a worker that died, whose running tasks are queued again
    (``core.recovery``). ``/healthz`` reads these rows to say whether any worker is alive."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    # The queue task the worker is running now, if any: what to take up again if it dies.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("tiến trình nền")
        verbose_name_plural = _("tiến trình nền")

    def __str__(self):
        return f"{self.hostname}:{self.pid}"
