from django.contrib import admin

from thidua.movements.models import (
    ContentArea,
    Criterion,
    DossierComponent,
    Movement,
    MovementAwardForm,
    ParentDocument,
    PlanItem,
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
    list_display = ["short_title", "number", "issuer", "launched_on", "status", "rule_set"]
    list_filter = ["status", "rule_set"]
    search_fields = ["title", "number"]
    prepopulated_fields = {"slug": ["short_title"]}
    autocomplete_fields = ["issuer", "receiving_office", "council_secretariat"]
    filter_horizontal = ["communications_editors"]
    inlines = [ParentInline, ContentAreaInline, CriterionInline, AwardFormInline,
               DossierComponentInline]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["movement", "section", "code", "title"]
    list_filter = ["movement", "section"]
    filter_horizontal = ["organisations"]
