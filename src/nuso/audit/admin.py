from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nuso.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the log is evidence, so nobody edits or deletes it here."""

    list_display = ["at", "actor_label", "action", "target_type", "target_id", "unit"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
