"""Project configuration: settings, URLs, the Celery app, WSGI and ASGI entry points.

The Celery app is loaded on first use, not with this package: the batch commands
(`settings_batch`) never enqueue a task, and importing Celery is ~0.1 s of each command's
start-up. The web site loads it when Django starts (`vagval.web.apps.WebConfig.ready`), so its
tasks are bound to this app; `celery -A vagval.config` finds it here as `app` or `celery_app`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["celery_app"]


def __getattr__(name: str) -> Any:
    if name in ("app", "celery_app"):
        from .celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
