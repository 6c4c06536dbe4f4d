"""App configuration for vagval.taxonomy."""

from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class TaxonomyConfig(AppConfig):
    name = "vagval.taxonomy"
    label = "taxonomy"
    verbose_name = "The JobTech taxonomy: occupations, SSYK, skills, places, languages"

    def ready(self) -> None:
        from vagval.taxonomy.normalize import use_lemma_cache

        # Every process that lemmatises (web, ingest and its workers) loads simplemma's
        # dictionaries from the marshal cache instead of decoding them again.
        use_lemma_cache(
            Path(getattr(settings, "VAGVAL_CACHE_DIR", settings.BASE_DIR / "var" / "cache"))
        )
