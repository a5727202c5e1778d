from django.urls import path, register_converter

from nuso.portal import downloads, views, workspace
from nuso.portal.converters import RowFormat, TableFormat

register_converter(RowFormat, "row_format")
register_converter(TableFormat, "table_format")

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("enhet/<str:code>/<slug:study>/", views.dashboard, name="dashboard"),
    path(
        "enhet/<str:code>/<slug:study>/registreringar/",
        views.registrations,
        name="registrations",
    ),
    path("enhet/<str:code>/<slug:study>/diagram/<slug:table>.svg", views.chart, name="chart"),
    path(
        "enhet/<str:code>/<slug:study>/nyckeltal.svg",
        views.key_figure_chart,
        name="key_figure_chart",
    ),
    path(
        "enhet/<str:code>/<slug:study>/tabeller.<table_format:format_>",
        views.download_tables,
        name="download_tables",
    ),
    path(
        "enhet/<str:code>/<slug:study>/rader.<row_format:format_>",
        downloads.download_rows,
        name="download_rows",
    ),
    path(
        "riket/<slug:study>/rapporter.zip", downloads.download_all_decks, name="download_all_decks"
    ),
    path("nedladdning/<slug:key>/", downloads.prepared_page, name="prepared"),
    path("nedladdning/<slug:key>/status.json", downloads.prepared_status, name="prepared_status"),
    path("nedladdning/<slug:key>/fil", downloads.prepared_file, name="prepared_file"),
    path("riket/<slug:study>/", views.national, name="national"),
    path("tabeller/<slug:study>/version.json", views.tables_version, name="tables_version"),
    path("arbetsyta/las-in/", workspace.upload, name="upload"),
    path("arbetsyta/granska/", workspace.review, name="review"),
    path("arbetsyta/inlasningar/", workspace.imports, name="imports"),
    path("arbetsyta/inlasningar/<int:pk>/", workspace.import_report, name="import_report"),
    path("arbetsyta/inlasningar/<int:pk>/kolumn/", workspace.map_column, name="map_column"),
    path("arbetsyta/inlasningar/<int:pk>/aterstall/", workspace.restore, name="restore"),
    path("riket/<slug:study>/tratt.svg", views.national_chart, name="national_chart"),
    path(
        "riket/<slug:study>/rader.<row_format:format_>",
        downloads.download_all_rows,
        name="download_all_rows",
    ),
]
