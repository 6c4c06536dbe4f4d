"""App configuration for vagval.taxonomy."""

from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "vagval.taxonomy"
    label = "taxonomy"
    verbose_name = "The JobTech taxonomy: occupations, SSYK, skills, places, languages"
