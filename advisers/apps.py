"""App configuration for advisers."""

from django.apps import AppConfig


class AdvisersConfig(AppConfig):
    name = "advisers"
    label = "advisers"
    verbose_name = "The adviser (rådgivare) portal"
