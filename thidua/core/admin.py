from django.contrib import admin

from thidua.core.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "target_label", "organisation"]
    list_filter = ["verb"]
    search_fields = ["target_label", "reason", "actor__username"]
    date_hierarchy = "created_at"

    # The log is append-only: nobody edits or deletes history, administrators included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
