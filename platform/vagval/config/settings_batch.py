"""Settings for the job-ad batch commands (`ingest`, `dedup_clusters`, `expire_ads`).

The same environment-driven settings as `settings`, with only the apps those commands touch:
the job-ad and taxonomy tables refer to no other app. Loading the whole site (Wagtail's apps
build their API registries in `ready()`, allauth's MFA loads its crypto, the portals their
models) is ~2 s of every command's start-up: a fifth of a daily delta's time budget, for code the
command never runs. `manage.py` picks this module for those commands unless
DJANGO_SETTINGS_MODULE is set; the web site, Celery workers and tests use `settings`.
"""

from vagval.config.settings import *  # noqa: F403
from vagval.config.settings import INSTALLED_APPS as _SITE_APPS

BATCH_APPS = ["django.contrib.contenttypes", "vagval.taxonomy", "vagval.jobs"]
# Every app kept is an app of the site, so the batch settings can never drift into a different
# schema: `tests/config/test_settings_batch.py` checks the commands against the full settings.
INSTALLED_APPS = [app for app in _SITE_APPS if app in BATCH_APPS]
MIDDLEWARE = []  # type: ignore[var-annotated]
ROOT_URLCONF = "vagval.config.urls_batch"
