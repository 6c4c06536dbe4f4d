"""App configuration for vagval.web."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vagval.web"
    label = "web"
    verbose_name = "Shared page layout, home page, language switch and health check"

    def ready(self) -> None:
        # The site's views and services enqueue tasks: Celery's current app must be Vägval's
        # (broker and settings from CELERY_*) before the first request, not its default one.
        # The batch commands, which enqueue nothing, do without (see `vagval.config`).
        from vagval.config import celery  # noqa: F401
