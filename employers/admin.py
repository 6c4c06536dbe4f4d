"""Django admin of the member-company portal: seminars are run by staff here; the rest is
read-mostly support (no personal data is editable in bulk)."""

from __future__ import annotations

from django.contrib import admin

from .models import Case, Opening, Seminar, SeminarSignup


class SignupInline(admin.TabularInline):
    model = SeminarSignup
    extra = 0
    fields = ("name", "email", "role", "organisation", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "audience", "capacity", "is_published")
    list_filter = ("audience", "is_published")
    inlines = [SignupInline]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "notice_date", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "organisation__name")
    readonly_fields = ("self_signup_nonce", "created_by", "created_at", "updated_at")


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "audience", "status", "created_at")
    list_filter = ("audience", "status")
    readonly_fields = ("feed_ad_id", "ranked_at", "created_by")
