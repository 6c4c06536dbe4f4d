"""App configuration for vagval.audit."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vagval.audit"
    label = "audit"
    verbose_name = "Audit log of every access to someone else's personal data"
