from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "nuso.portal"
    verbose_name = "Portalen"

    def ready(self) -> None:
        from nuso.portal import signals  # noqa: F401  (registers the login audit)
        from nuso.reports import registration  # noqa: F401  (registers PowerPoint as a format)
