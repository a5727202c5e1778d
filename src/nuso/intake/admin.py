from django.contrib import admin

from nuso.intake.models import ImportBatch, ReviewItem


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ["file_name", "study", "unit", "period", "status", "rows_imported"]
    list_filter = ["status", "study", "period"]
    search_fields = ["file_name", "content_hash"]


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin[ReviewItem]):
    list_display = ["variable", "raw_example", "occurrences", "status"]
    list_filter = ["status", "variable"]
    search_fields = ["raw_example"]
