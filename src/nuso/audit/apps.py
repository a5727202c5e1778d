from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nuso.audit"
    label = "audit"
    verbose_name = "Händelselogg"
