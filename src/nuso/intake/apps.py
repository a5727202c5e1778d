from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "nuso.intake"
    label = "intake"
    verbose_name = "Inläsning och granskning"
