from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thidua.core.models import Activity
from thidua.core.verbs import VERB_LABELS, verb_label


class VerbFilter(admin.SimpleListFilter):
    """Filter by what was done, named by its label (never the log's code, e.g. meeting.close)."""

    title = _("Hành động")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        return sorted(((verb, str(label)) for verb, label in VERB_LABELS.items()),
                      key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_label", "organisation"]
    list_filter = [VerbFilter]
    search_fields = ["target_label", "reason", "actor__username"]
    date_hierarchy = "created_at"

    @admin.display(description=_("Hành động"), ordering="verb")
    def action(self, obj):
        return verb_label(obj.verb)

    # The log is append-only: nobody edits or deletes history, administrators included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
