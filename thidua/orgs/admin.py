from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.orgs import actions, limits, mfa
from thidua.orgs.models import (
    Membership,
    Organisation,
    OrganisationEvent,
    OrganisationVersion,
    User,
)


class MembershipAdminForm(forms.ModelForm):
    """A row of the user's roles. Who holds which role where is fixed once saved: to change it,
    end the row ("Đến ngày") and add a new one, so the history and the log stay true."""

    class Meta:
        model = Membership
        fields = ["organisation", "role", "title", "valid_from", "valid_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("organisation", "role"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_title(self):
        return limits.clean(self.cleaned_data.get("title"), limits.TITLE, _("Chức vụ"),
                            naming=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày kết thúc vai trò không được trước ngày bắt đầu."))
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    extra = 0
    # A role ends on a date; the row stays as the record (and the log names who ended it).
    can_delete = False
    autocomplete_fields = ["organisation"]


# An account's own texts: (limit, label, names someone?) — through orgs.limits like the rest.
ACCOUNT_TEXTS = {
    # Look-alike letters in a user name would let "chutiсh" (Cyrillic "с") pose as "chutich":
    # normalised, it is the same name and the uniqueness check refuses it.
    "username": (150, _("Tên đăng nhập"), False),
    "full_name": (limits.FULL_NAME, _("Họ và tên"), True),
    "first_name": (limits.PERSON_NAME, _("Tên"), True),
    "last_name": (limits.PERSON_NAME, _("Họ"), True),
    "phone": (limits.PHONE, _("Điện thoại"), False),  # "+84…" is a number, not a formula
}


class AccountTextsMixin:
    """Cleans the account's free texts with the one normaliser and their limits."""

    def _post_clean(self):
        for name, (limit, label, naming) in ACCOUNT_TEXTS.items():
            if name in self.fields and name in self.cleaned_data:
                try:
                    self.cleaned_data[name] = limits.clean(self.cleaned_data[name], limit, label,
                                                           naming=naming)
                except ValidationError as exc:
                    self.add_error(name, exc)
        super()._post_clean()


class AccountChangeForm(AccountTextsMixin, UserChangeForm):
    pass


class AccountCreationForm(AccountTextsMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts. Every change of roles, of the administrator flag, of activation, groups or
    permissions made here goes through ``orgs.actions`` and is logged with the administrator."""

    fieldsets = (*BaseUserAdmin.fieldsets, (_("Thông tin thêm"), {"fields": ["full_name", "phone"]}))
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    actions = ["remove_second_factor"]

    @admin.action(description=_("Gỡ xác thực hai bước (người dùng mất điện thoại)"))
    def remove_second_factor(self, request, queryset):
        for user in queryset:
            mfa.remove_for(user, by=request.user)
        self.message_user(request, _("Đã gỡ xác thực hai bước của %(n)s tài khoản; ai bắt buộc "
                                     "dùng sẽ thiết lập lại ở lần đăng nhập sau.")
                          % {"n": len(queryset)})

    def has_delete_permission(self, request, obj=None):
        # An account is deactivated, never deleted: its name stays on what it did.
        return False

    def save_related(self, request, form, formsets, change):
        before = _access_before(form, change)
        super().save_related(request, form, formsets, change)
        actions.record_access_change(form.instance, before=before, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        user = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            data = getattr(row, "cleaned_data", None)
            if not data or not row.has_changed():
                continue
            if row.instance.pk is None:
                formset.new_objects.append(actions.grant_role(
                    user, data["organisation"], data["role"], title=data["title"],
                    valid_from=data["valid_from"], valid_to=data["valid_to"], by=request.user))
            else:
                formset.changed_objects.append((actions.change_membership(
                    row.instance, title=data["title"], valid_from=data["valid_from"],
                    valid_to=data["valid_to"], by=request.user), row.changed_data))
        return None


def _access_before(form, change) -> dict:
    """The account's flags, groups and permissions before this save: the flags as the form
    found them (the account row is already saved), groups and permissions from the database
    (saved after this is read)."""
    if not change:
        return actions.account_access(User())
    before = actions.account_access(User.objects.get(pk=form.instance.pk))
    for flag in ("is_active", "is_staff", "is_superuser"):
        if flag in form.initial:
            before[flag] = form.initial[flag]
    return before


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


class OrganisationAddForm(forms.ModelForm):
    legal_reference = forms.CharField(label=_("Căn cứ"), required=False,
                                      help_text=limits.at_most(limits.LEGAL_REFERENCE))

    class Meta:
        model = Organisation
        fields = ["code", "name", "short_name", "level", "kind", "parent", "valid_from"]
        help_texts = {"name": limits.at_most(limits.ORGANISATION_NAME),
                      "short_name": limits.at_most(limits.SHORT_NAME)}

    def clean_name(self):
        name = limits.clean(self.cleaned_data.get("name"), limits.ORGANISATION_NAME,
                            _("Tên tổ chức"), naming=True)
        if not name:
            raise ValidationError(_("Tên tổ chức không được để trống."))
        return name

    def clean_short_name(self):
        return limits.clean(self.cleaned_data.get("short_name"), limits.SHORT_NAME,
                            _("Tên viết tắt"), naming=True)

    def clean_legal_reference(self):
        return limits.clean(self.cleaned_data.get("legal_reference"), limits.LEGAL_REFERENCE,
                            _("Căn cứ"))

    def clean(self):
        cleaned = super().clean()
        parent, day = cleaned.get("parent"), cleaned.get("valid_from")
        if parent is not None and day is not None and not parent.is_active_on(day):
            self.add_error("parent", _("Tổ chức cấp trên không còn hiệu lực vào ngày thành lập."))
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Founding an organisation goes through ``orgs.actions.create_organisation`` (its path, first
    version, founding event and log row); an existing one is shown, not edited: its name, level,
    kind and place in the tree have a history, which only the recorded actions write."""

    list_display = ["name", "code", "level", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "short_name", "code"]
    inlines = [VersionInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False  # shown, not edited

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = OrganisationAddForm
            kwargs["fields"] = [*OrganisationAddForm.Meta.fields, "legal_reference"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*OrganisationAddForm.Meta.fields, "legal_reference"]
        return super().get_fields(request, obj)

    def get_inline_instances(self, request, obj=None):
        return [] if obj is None else super().get_inline_instances(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        created = actions.create_organisation(
            code=data["code"], name=data["name"], short_name=data["short_name"],
            level=data["level"], kind=data["kind"], parent=data["parent"],
            valid_from=data["valid_from"], legal_reference=data["legal_reference"],
            by=request.user)
        obj.pk, obj.path = created.pk, created.path  # the admin's redirect and message use them


# Authenticators change only through orgs.mfa (logged): not through django-otp's own admin pages,
# which would also show their secrets.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
