from django.contrib import admin

from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin[Study]):
    list_display = ["number", "slug", "name"]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin[CodebookVersion]):
    list_display = ["number", "title", "created_at", "created_by"]


@admin.register(CodebookEntry)
class CodebookEntryAdmin(admin.ModelAdmin[CodebookEntry]):
    list_display = ["version", "variable", "code", "label"]
    list_filter = ["version", "variable"]


@admin.register(ValueMapping)
class ValueMappingAdmin(admin.ModelAdmin[ValueMapping]):
    list_display = ["variable", "raw_example", "code", "unit", "case_system", "valid_from"]
    list_filter = ["variable"]
    search_fields = ["raw_example", "raw_key"]
