"""Read-only admin of the audit log: nobody may add, change or delete an event by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "actor_role", "subject", "subject_key", "purpose"]
    list_filter = ["action", "actor_role"]
    search_fields = ["subject_key", "actor_key", "actor__email", "subject__email", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["actor", "subject"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
