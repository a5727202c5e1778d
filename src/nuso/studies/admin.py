"""Studies and the codebook in the admin, read only: a version is immutable once records
were harmonised with it, so codes, dictionaries and review decisions change only through
`nuso codebook`, `nuso study` and review, which make a new version, re-harmonise the records
and write the audit log."""

from django.contrib import admin

from nuso.audit.admin import ReadOnlyAdmin
from nuso.studies.models import CodebookEntry, CodebookVersion, Study, ValueMapping


@admin.register(Study)
class StudyAdmin(ReadOnlyAdmin):
    list_display = ["number", "slug", "name"]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "file_version", "created_at", "created_by"]


@admin.register(CodebookEntry)
class CodebookEntryAdmin(ReadOnlyAdmin):
    list_display = ["version", "variable", "code", "label"]
    list_filter = ["version", "variable"]


@admin.register(ValueMapping)
class ValueMappingAdmin(ReadOnlyAdmin):
    list_display = ["variable", "raw_example", "code", "unit", "case_system", "valid_from"]
    list_filter = ["variable"]
    search_fields = ["raw_example", "raw_key"]
