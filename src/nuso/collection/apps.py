from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "nuso.collection"
    label = "collection"
    verbose_name = "Insamling"
