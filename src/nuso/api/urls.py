from django.urls import path

from nuso.api.api import api

urlpatterns = [path("v1/", api.urls)]
