from django.contrib import admin

from thidua.decisions.models import Award, Decision


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    can_delete = False
    readonly_fields = ["order", "name", "unit_name", "cash", "serial"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are drafted and issued in the product; an issued one never changes."""

    list_display = ["__str__", "issuer", "issued_on", "award_form", "state"]
    list_filter = ["state", "award_form"]
    inlines = [AwardInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
