"""App configuration for employers."""

from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "employers"
    label = "employers"
    verbose_name = "The member-company (HR) portal"
