"""App configuration for vagval.consent."""

from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "vagval.consent"
    label = "consent"
    verbose_name = "Consent ledger, data export and erasure"
