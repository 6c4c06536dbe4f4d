"""App configuration for vagval.web."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vagval.web"
    label = "web"
    verbose_name = "Shared page layout, home page, language switch and health check"
