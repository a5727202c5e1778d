from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "nuso.cli"
    label = "cli"
    verbose_name = "Kommandon"
