from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from nuso.audit.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """An admin that shows and never changes: for records that change only through a use
    case that audits them (and re-harmonises what depends on them), or never."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes it here."""

    list_display = ["at", "actor_label", "action", "target_type", "target_id", "unit"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]
