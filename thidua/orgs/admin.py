from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from thidua.orgs.models import (
    Membership,
    Organisation,
    OrganisationEvent,
    OrganisationVersion,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Thông tin thêm"), {"fields": ["full_name", "phone"]}))
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]


class VersionInline(admin.TabularInline):
    model = OrganisationVersion
    fk_name = "organisation"
    extra = 0
    can_delete = False
    readonly_fields = ["name", "short_name", "level", "kind", "parent", "valid_from", "valid_to"]

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = OrganisationEvent
    fk_name = "organisation"
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "occurred_on", "other", "legal_reference", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read-mostly: renames, moves and mergers go through the recorded actions, not this form."""

    list_display = ["name", "code", "level", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name", "code"]
    readonly_fields = ["path", "parent", "valid_from", "valid_to", "merged_into", "name"]
    inlines = [VersionInline, EventInline]
