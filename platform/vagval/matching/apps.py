"""App configuration for vagval.matching."""

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "vagval.matching"
    label = "matching"
    verbose_name = "Feed ranking, occupation suggestions and their explanations"
