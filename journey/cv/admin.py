"""Admin of step 4: the interview question bank is data that staff edit here. Clients' CVs,
letters and answers are personal data and are not in the admin."""

from __future__ import annotations

from django.contrib import admin

from .models import InterviewQuestion


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(admin.ModelAdmin):
    list_display = ("text_sv", "kind", "skill_id", "group_id", "active", "order")
    list_filter = ("kind", "active")
    list_editable = ("active", "order")
    search_fields = ("text_sv", "text_en", "key", "skill_id", "group_id")
    ordering = ("kind", "order", "id")
    fieldsets = (
        (None, {"fields": ("key", "kind", "active", "order")}),
        ("Vem frågan gäller", {"fields": ("skill_id", "group_id")}),
        ("Svenska", {"fields": ("text_sv", "guidance_sv")}),
        ("English", {"fields": ("text_en", "guidance_en")}),
    )
