"""App configuration for cms, the public debate site run on Wagtail."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "The public debate site, run on Wagtail"

    def ready(self) -> None:
        from cms.cache import connect_invalidation

        connect_invalidation()
