from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "nuso.portal"
    verbose_name = _("Portalen")

    def ready(self) -> None:
        from nuso.portal import signals  # noqa: F401  (registers the login audit)
        from nuso.reports import registration  # noqa: F401  (registers PowerPoint as a format)
