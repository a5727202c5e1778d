from django.contrib import admin

from nuso.units.models import County, Unit


@admin.register(County)
class CountyAdmin(admin.ModelAdmin[County]):
    list_display = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["code", "name", "kind", "county", "population", "municipality_group"]
    list_filter = ["kind", "county", "municipality_group"]
    search_fields = ["code", "name"]
