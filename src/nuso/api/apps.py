from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nuso.api"
    verbose_name = "API för verksamhetssystem"
