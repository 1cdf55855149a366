from django.contrib import admin

from thidua.movements.models import (
    ContentArea,
    Criterion,
    DossierComponent,
    Movement,
    MovementAwardForm,
    ParentDocument,
    Participant,
    PlanItem,
    Registration,
    Reminder,
    ReportPeriod,
    Supervision,
)


class ParentInline(admin.TabularInline):
    model = ParentDocument
    extra = 0
    fk_name = "movement"


class ContentAreaInline(admin.StackedInline):
    model = ContentArea
    extra = 0


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0


class AwardFormInline(admin.TabularInline):
    model = MovementAwardForm
    extra = 0


class DossierComponentInline(admin.TabularInline):
    model = DossierComponent
    extra = 0


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["short_title", "number", "issuer", "launched_on", "status", "rule_set",
                    "budget"]
    list_filter = ["status", "rule_set"]
    search_fields = ["title", "number"]
    prepopulated_fields = {"slug": ["short_title"]}
    autocomplete_fields = ["issuer", "receiving_office", "council_secretariat"]
    filter_horizontal = ["communications_editors"]
    # The status moves only through the movement's workflow (the page's buttons).
    readonly_fields = ["status", "launched_at"]
    inlines = [ParentInline, ContentAreaInline, CriterionInline, AwardFormInline,
               DossierComponentInline]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["movement", "section", "code", "title"]
    list_filter = ["movement", "section"]
    filter_horizontal = ["organisations"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the movement's actions: the admin shows them, never edits them (an edit
    here would skip the workflow, the checks and the log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "movement", "added_on", "removed_on"]
    list_filter = ["movement"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "movement", "state", "submitted_at"]
    list_filter = ["movement", "state"]


@admin.register(ReportPeriod)
class ReportPeriodAdmin(ReadOnlyAdmin):
    list_display = ["title", "movement", "kind", "due_on", "concluded_on"]
    list_filter = ["movement", "kind"]


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ["member", "movement", "content_area", "organisation"]
    list_filter = ["movement"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "movement", "deadline", "kind", "due_on", "sent_at"]
    list_filter = ["movement", "kind", "deadline"]
