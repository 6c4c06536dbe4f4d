"""App configuration for journey."""

from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "journey"
    label = "journey"
    verbose_name = "The client journey: steps 1-5 and the overview"
