from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "nuso.units"
    label = "units"
    verbose_name = "Kommuner och stadsdelar"
