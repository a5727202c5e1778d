from django.urls import path

from nuso.collection import views

app_name = "collection"
urlpatterns = [
    path("", views.start, name="start"),
    path("ny/", views.new, name="new"),
    path("utkast/", views.drafts, name="drafts"),
    path("perioder/", views.periods, name="periods"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/spara.json", views.autosave, name="autosave"),
    path("<int:pk>/kasta/", views.discard, name="discard"),
]
