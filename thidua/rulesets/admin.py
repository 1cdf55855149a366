from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from thidua.rulesets.models import AwardForm, BaseSalary, DocumentRequirement, RuleSet


class UnverifiedFlagMixin:
    """Shows which values are unverified defaults, on the list and on the form."""

    @admin.display(description=_("Chưa kiểm chứng"))
    def unverified_flag(self, obj):
        if not obj.unverified_fields:
            return "—"
        labels = []
        for name in obj.unverified_fields:
            try:
                labels.append((str(obj._meta.get_field(name).verbose_name),))
            except Exception:
                labels.append((name,))
        return format_html_join(
            ", ", '<span class="unverified-default" title="{0}">⚠ {0}</span>', labels
        )

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "unverified_flag"]


class AwardFormInline(admin.TabularInline):
    model = AwardForm
    extra = 0
    fields = ["order", "code", "name", "authority", "vote_threshold_percent", "vote_base",
              "disclosure_working_days", "processing_working_days"]
    show_change_link = True


@admin.register(RuleSet)
class RuleSetAdmin(UnverifiedFlagMixin, admin.ModelAdmin):
    list_display = ["name", "code", "valid_from", "valid_to", "quorum_percent", "unverified_flag"]
    inlines = [AwardFormInline]


@admin.register(AwardForm)
class AwardFormAdmin(UnverifiedFlagMixin, admin.ModelAdmin):
    list_display = ["name", "rule_set", "authority", "vote_threshold_percent", "vote_base",
                    "cash_multiplier_individual", "unverified_flag"]
    list_filter = ["rule_set", "authority", "category"]
    search_fields = ["name", "code"]


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(UnverifiedFlagMixin, admin.ModelAdmin):
    list_display = ["document_type", "rule_set", "award_form", "nominee_kind", "procedure",
                    "original", "count", "per_nominee", "unverified_flag"]
    list_filter = ["rule_set", "document_type", "procedure"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(UnverifiedFlagMixin, admin.ModelAdmin):
    list_display = ["amount", "valid_from", "legal_reference", "unverified_flag"]
