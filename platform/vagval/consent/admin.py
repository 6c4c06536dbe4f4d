"""Admin of consent texts (publish new versions) and a read-only view of the ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ConsentRecord, ConsentText


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["purpose", "version", "title_sv", "published_at"]
    list_filter = ["purpose"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A text people have agreed to must never change; publish a new version instead.
        if obj is not None and obj.records.exists():
            return [f.name for f in self.model._meta.fields]
        return []


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "purpose", "text", "granted_at", "withdrawn_at"]
    list_filter = ["purpose"]
    list_select_related = ["user", "text"]
    search_fields = ["user__email"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
