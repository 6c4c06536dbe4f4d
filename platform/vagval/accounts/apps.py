"""App configuration for vagval.accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vagval.accounts"
    label = "accounts"
    verbose_name = "Users, roles and member companies"
