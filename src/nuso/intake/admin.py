from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nuso.audit.admin import ReadOnlyAdmin
from nuso.audit.services import Actor
from nuso.intake.decisions import RawValue, ReviewDecisionError, decide
from nuso.intake.models import ColumnMapping, ImportBatch, ReviewItem


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = [
        "file_name",
        "study",
        "unit",
        "period",
        "status",
        "rows_imported",
        "rows_pending_review",
    ]
    list_filter = ["status", "study", "period"]
    search_fields = ["file_name", "content_hash"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin[ReviewItem]):
    """The review queue for analysts: the same decision service as `nuso review`, through the
    actions only. The fields are read-only and items are not deleted here: a status or
    decision set by hand would re-harmonise nothing and leave no audit entry."""

    readonly_fields = [f.name for f in ReviewItem._meta.fields]

    list_display = ["variable", "raw_example", "occurrences", "first_suggestion", "status"]
    list_filter = ["status", "variable"]
    search_fields = ["raw_example"]
    ordering = ["-occurrences"]
    actions = ["accept_first_suggestion", "mark_unknown"]

    @admin.display(description=_("förslag"))
    def first_suggestion(self, item: ReviewItem) -> str:
        return ", ".join(f"{s['code']} ({s['score']:.0%})" for s in item.suggestions[:2])

    @admin.action(description=_("Besluta enligt första förslaget (omharmoniserar)"))
    def accept_first_suggestion(self, request: HttpRequest, items: QuerySet[ReviewItem]) -> None:
        self.decide_all(
            request, items, lambda item: item.suggestions[0]["code"] if item.suggestions else None
        )

    @admin.action(description=_("Besluta som okänt värde"))
    def mark_unknown(self, request: HttpRequest, items: QuerySet[ReviewItem]) -> None:
        self.decide_all(request, items, lambda item: "")

    def decide_all(self, request: HttpRequest, items: QuerySet[ReviewItem], code_of: Any) -> None:
        actor = Actor.of_user(request.user)  # type: ignore[arg-type]
        for item in items.filter(status=ReviewItem.Status.PENDING):
            code = code_of(item)
            if code is None:
                self.message_user(
                    request,
                    gettext("%(value)r: inget förslag.") % {"value": item.raw_example},
                    messages.WARNING,
                )
                continue
            try:
                result = decide(RawValue.of(item), code, None, actor)
            except ReviewDecisionError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            self.message_user(
                request,
                gettext(
                    "%(value)r → %(code)s: kodbok v%(version)s, %(records)s poster omharmoniserade."
                )
                % {
                    "value": item.raw_example,
                    "code": code or gettext("(okänt)"),
                    "version": result.version,
                    "records": result.records_updated,
                },
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReviewItem | None = None) -> bool:
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(ReadOnlyAdmin):
    """Columns mapped by hand, to read: they are made with `nuso import --kolumn` (audited),
    never edited or deleted here."""

    list_display = ["unit", "study", "header", "target", "actor", "created_at"]
    list_filter = ["study"]
    search_fields = ["header", "unit__name", "unit__code"]
