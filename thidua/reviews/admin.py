"""Administrators see meetings, agendas and who voted — never a ballot's choice.

``BallotBox`` is deliberately not registered: the counts are reached only through the results.
"""

from django.contrib import admin

from thidua.reviews.models import (
    AgendaItem,
    BallotReceipt,
    Disclosure,
    Meeting,
    MeetingMember,
    MinutesRevision,
    Objection,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Meeting records change only through the product's actions (logged, checked)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = MeetingMember
    extra = 0
    can_delete = False
    readonly_fields = ["user", "role", "present"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "scheduled_at", "state", "quorum_met"]
    list_filter = ["kind", "state"]
    inlines = [MemberInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["nominee", "meeting", "conclusion", "agree", "disagree", "abstain", "base",
                    "result"]


@admin.register(BallotReceipt)
class BallotReceiptAdmin(ReadOnlyAdmin):
    list_display = ["item", "member", "written", "recorded_by"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["title", "movement", "starts_on", "ends_on"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["nominee", "name", "created_at"]


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "number", "reason", "created_by", "created_at"]
