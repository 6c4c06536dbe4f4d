"""App configuration for cms."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "The public debate site, run on Wagtail"
