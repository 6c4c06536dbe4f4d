"""Admin views of vagval.jobs: read-only, for looking into ads, clusters, runs and the quarantine.

Rows are written only by the pipeline (`services.py`); the admin never edits them, so every
model here is view-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vagval.jobs.models import IngestRun, JobAd, JobCluster, QuarantinedRecord, SourceCursor


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JobAd)
class JobAdAdmin(ReadOnlyAdmin):
    list_display = (
        "headline",
        "employer_name",
        "source",
        "source_id",
        "is_active",
        "is_canonical",
        "cluster_id",
        "published_at",
    )
    list_filter = ("source", "is_active", "is_canonical", "language")
    search_fields = ("headline", "employer_name", "source_id")
    exclude = ("minhash",)


@admin.register(JobCluster)
class JobClusterAdmin(ReadOnlyAdmin):
    list_display = ("id", "canonical", "member_count", "is_active", "updated_at")
    list_filter = ("is_active",)
    raw_id_fields = ("canonical",)


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "source", "source_id", "reason", "message", "origin")
    list_filter = ("source", "reason")
    search_fields = ("source_id", "message", "origin")


@admin.register(IngestRun)
class IngestRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "source",
        "read",
        "new",
        "updated",
        "duplicates",
        "quarantined",
        "seconds",
    )
    list_filter = ("source",)


@admin.register(SourceCursor)
class SourceCursorAdmin(ReadOnlyAdmin):
    list_display = ("source", "last_timestamp", "updated_at")
