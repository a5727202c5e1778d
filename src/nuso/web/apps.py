from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nuso.web"
    label = "web"
    verbose_name = "Webb"
