from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from nuso.accounts.models import User


@admin.register(User)
class NusoUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Administrators give each account one role and, for municipal users, their units."""

    list_display = ("username", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    filter_horizontal = ("units", "groups", "user_permissions")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("NUSO", {"fields": ("role", "units")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("NUSO", {"fields": ("role", "units")}),
    )
