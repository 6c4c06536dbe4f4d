"""App configuration for vagval.jobs."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "vagval.jobs"
    label = "jobs"
    verbose_name = "Job-ad ingestion: sources, pipeline, deduplication, enrichment, expiry"
