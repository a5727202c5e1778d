from django.apps import AppConfig


class StudiesConfig(AppConfig):
    name = "nuso.studies"
    label = "studies"
    verbose_name = "Delstudier och kodbok"
