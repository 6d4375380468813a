"""Admin for members, their API tokens and failed sign-ins.

The wiki's admin role (not Django's per-model permissions) decides who manages these, so the ModelAdmins
grant access to wiki admins; only a superuser may touch superusers or make one.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import APIToken, LoginFailure, User
from .retired import username_retired


class KeepsRetiredNames:
    """A deleted account's username is never given to anyone again (retired.py), by the admin either."""

    def clean_username(self):
        clean = getattr(super(), "clean_username", None)  # the creation form's: unique in any case
        username = clean() if clean else self.cleaned_data["username"]
        if username != self.instance.username and username_retired(username):
            raise forms.ValidationError(
                f"The username “{username}” belonged to a deleted account: choose another."
            )
        return username


class WikiUserChangeForm(KeepsRetiredNames, UserChangeForm):
    pass


class WikiUserCreationForm(KeepsRetiredNames, AdminUserCreationForm):
    pass


class WikiAdminAccess:
    """Admin access for anyone with the wiki's admin role."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_wiki_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)


@admin.register(User)
class WikiUserAdmin(WikiAdminAccess, UserAdmin):
    form = WikiUserChangeForm
    add_form = WikiUserCreationForm
    list_display = ("username", "email", "role", "email_confirmed", "is_active", "date_joined", "last_login")
    list_filter = ("role", "email_confirmed", "is_active", "is_superuser")
    search_fields = ("username", "email", "first_name", "last_name")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined", "is_staff")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email", "email_confirmed")}),
        (
            "Role",
            {
                "fields": ("role", "is_active", "is_superuser", "is_staff"),
                "description": "Admins open this site; trusted members move, protect and roll back pages.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "role", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser")
        return fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    @staticmethod
    def _may_manage(request, obj) -> bool:
        # A wiki admin who is not a superuser could otherwise reset a superuser's password and become one.
        return obj is None or not obj.is_superuser or request.user.is_superuser


@admin.register(APIToken)
class APITokenAdmin(WikiAdminAccess, admin.ModelAdmin):
    """Read-only: a key is shown once to its owner when made (settings page or `districtwiki token`);
    admins can only see tokens and revoke (delete) them."""

    list_display = ("name", "user", "hint", "created_at", "last_used_at")
    list_filter = ("created_at", "last_used_at")
    search_fields = ("name", "hint", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "hint", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(WikiAdminAccess, admin.ModelAdmin):
    """Deleting a name's failures lifts its sign-in lock."""

    list_display = ("username", "ip_address", "timestamp")
    list_filter = ("timestamp",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "timestamp"
    readonly_fields = ("username", "ip_address", "timestamp")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
