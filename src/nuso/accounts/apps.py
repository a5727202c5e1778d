from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nuso.accounts"
    label = "accounts"
    verbose_name = "Konton"
