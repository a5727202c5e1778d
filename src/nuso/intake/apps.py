from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "nuso.intake"
    label = "intake"
    verbose_name = _("Inläsning och granskning")
