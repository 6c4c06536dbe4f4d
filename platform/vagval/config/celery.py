"""The Celery application: broker and behaviour come from Django settings (CELERY_*)."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.config.settings")

# vagval.config is not an installed app, so autodiscovery would miss its diagnostic tasks.
app = Celery("vagval", include=["vagval.config.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work. Each task is idempotent, so a beat that fires twice changes nothing.
app.conf.beat_schedule = {
    "jobs-ingest-jobstream": {
        "task": "vagval.jobs.tasks.jobstream_sync",
        "schedule": crontab(minute="*/10"),
    },
    "jobs-expire": {
        "task": "vagval.jobs.tasks.ads_expire",
        "schedule": crontab(minute=15),
    },
    # The journey's nightly feeds (after the night's ingest and expiry), then the digests.
    "journey-feeds-nightly": {
        "task": "journey.tasks.feeds_nightly",
        "schedule": crontab(hour=3, minute=30),
    },
    "journey-feed-alerts": {
        "task": "journey.tasks.feed_alerts_dispatch",
        "schedule": crontab(hour=7, minute=0),
    },
    # CVs and letters deleted more than 30 days ago are purged for good.
    "journey-cv-purge-deleted": {
        "task": "journey.cv.tasks.documents_purge_deleted",
        "schedule": crontab(hour=4, minute=15),
    },
    # Adviser portal: meeting reminders a day ahead, and intake of new clients.
    "advisers-meeting-reminders": {
        "task": "advisers.tasks.meeting_reminders_send",
        "schedule": crontab(minute="*/15"),
    },
    "advisers-intake": {
        "task": "advisers.tasks.intake_pending",
        "schedule": crontab(minute=5),
    },
    # Member-company portal: open internal openings ranked again against the night's profiles.
    "employers-openings-rank": {
        "task": "employers.tasks.openings_rank_open",
        "schedule": crontab(hour=4, minute=0),
    },
    # Public site: scheduled publishing every minute, reader data purged nightly.
    "cms-publish-scheduled": {
        "task": "cms.tasks.pages_publish_scheduled",
        "schedule": crontab(minute="*"),
    },
    "cms-reader-data-purge": {
        "task": "cms.tasks.reader_data_purge",
        "schedule": crontab(hour=3, minute=30),
    },
}
