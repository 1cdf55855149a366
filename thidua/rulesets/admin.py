from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from thidua.rulesets.models import AwardForm, BaseSalary, DocumentRequirement, RuleSet
from thidua.rulesets.ratios import ratio_text

# Long free texts are edited in a box; their limit is stated under it (the field's help text)
# and enforced by the form (max_length) before anything is saved.
LONG_TEXTS = {"legal_basis", "note"}


class LongTextMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in LONG_TEXTS and (db_field.max_length or 0) > 255:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 4})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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
    fields = ["order", "code", "name", "authority", "vote_threshold", "vote_comparison",
              "vote_base", "disclosure_working_days", "processing_working_days"]
    show_change_link = True


@admin.register(RuleSet)
class RuleSetAdmin(UnverifiedFlagMixin, LongTextMixin, admin.ModelAdmin):
    list_display = ["name", "code", "valid_from", "valid_to", "quorum_ratio",
                    "recusals_leave_base", "unverified_flag"]
    inlines = [AwardFormInline]

    @admin.display(description=_("Tỷ lệ thành viên tối thiểu có mặt"), ordering="quorum")
    def quorum_ratio(self, obj):
        return ratio_text(obj.quorum)


@admin.register(AwardForm)
class AwardFormAdmin(UnverifiedFlagMixin, LongTextMixin, admin.ModelAdmin):
    list_display = ["name", "rule_set", "authority", "vote_rule", "cash_multiplier_individual",
                    "unverified_flag"]
    list_filter = ["rule_set", "authority", "category"]
    search_fields = ["name", "code"]

    @admin.display(description=_("Biểu quyết"))
    def vote_rule(self, obj):
        return obj.vote_rule_text


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(UnverifiedFlagMixin, admin.ModelAdmin):
    list_display = ["document_type", "rule_set", "award_form", "nominee_kind", "procedure",
                    "original", "count", "per_nominee", "unverified_flag"]
    list_filter = ["rule_set", "document_type", "procedure"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(UnverifiedFlagMixin, admin.ModelAdmin):
    list_display = ["amount", "valid_from", "legal_reference", "unverified_flag"]
